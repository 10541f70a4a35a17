/**
 * The CPU backend in a browser: on a cross-origin-isolated page it splits the
 * work across Web Workers that share the state through SharedArrayBuffer; on a
 * page without isolation (no SharedArrayBuffer) it runs on the calling thread.
 * Either way the result is the one Node computes, to f64 rounding. Skipped
 * outside CI when there is no Chromium; with CI set, a missing Chromium fails.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/simulate.js';
import { CHROMIUM, runInChromium } from '../../helpers/browser.js';
import { expectClose } from '../../helpers/expect-close.js';
import { inCI } from '../../helpers/webgpu.js';
import { expectSameRun } from '../../helpers/result-checks.js';
import { THREAD_CONSISTENCY, TOLERANCES } from '../../tolerances.js';
import { BROWSER_ANTISYMMETRIC_CONFIG, BROWSER_CPU_CONFIG, BROWSER_FULL_SPIN_CONFIG, BROWSER_SECTOR_CONFIG } from './browser-config.js';
import type { CpuBrowserRun } from './browser-page.js';

const here = dirname(fileURLToPath(import.meta.url));
const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('CPU backend in the browser — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

suite('CPU backend in the browser (headless Chromium)', () => {
  it.each([
    [true, 'cpu f64, 2 worker threads'],
    [false, 'cpu f64, 1 thread (in place)'],
  ])('cross-origin isolated %s: runs as "%s" and matches Node', async (isolated, description) => {
    const { value } = await runInChromium<CpuBrowserRun>(join(here, 'browser-page.ts'), 'runCpu', { crossOriginIsolated: isolated });
    expect(value.crossOriginIsolated).toBe(isolated);
    expect(value.description).toBe(description);
    const node = await simulate(BROWSER_CPU_CONFIG, { backend: 'cpu', threads: 1 });
    for (const key of ['norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz'] as const) {
      expectClose(value.result[key], node[key], { ...THREAD_CONSISTENCY, label: key });
    }
    expectClose(value.result.density, node.density, { ...THREAD_CONSISTENCY, label: 'density' });
    expectClose(value.result.probabilities!.S, node.probabilities!.S, { ...THREAD_CONSISTENCY, label: 'P(S)' });
  });

  it('runs basis "sector" on worker threads, as Node does in the sector and in the full basis', async () => {
    const { value } = await runInChromium<CpuBrowserRun>(join(here, 'browser-page.ts'), 'runCpuSector', { crossOriginIsolated: true });
    expect(value.description).toBe('cpu f64, 2 worker threads');
    expect(value.result.config.basis).toBe('sector');
    const sector = await simulate(BROWSER_SECTOR_CONFIG, { backend: 'cpu', threads: 1 });
    const full = await simulate({ ...BROWSER_SECTOR_CONFIG, basis: 'full' }, { backend: 'cpu', threads: 1 });
    expectSameRun(value.result, sector, THREAD_CONSISTENCY);
    expectSameRun(value.result, full, TOLERANCES.cpu);
  });

  it('runs basis "antisymmetric" on worker threads, as Node does in it and in the sector', async () => {
    const { value } = await runInChromium<CpuBrowserRun>(join(here, 'browser-page.ts'), 'runCpuAntisymmetric', { crossOriginIsolated: true });
    expect(value.description).toBe('cpu f64, 2 worker threads');
    expect(value.result.config.basis).toBe('antisymmetric');
    const half = await simulate(BROWSER_ANTISYMMETRIC_CONFIG, { backend: 'cpu', threads: 1 });
    const sector = await simulate({ ...BROWSER_ANTISYMMETRIC_CONFIG, basis: 'sector' }, { backend: 'cpu', threads: 1 });
    expectSameRun(value.result, half, THREAD_CONSISTENCY);
    expectSameRun(value.result, sector, TOLERANCES.cpu);
  });

  it('runs basis "full" of local spins S = 1 on worker threads, as Node does in it and in the sector', async () => {
    const { value } = await runInChromium<CpuBrowserRun>(join(here, 'browser-page.ts'), 'runCpuFullSpin', { crossOriginIsolated: true });
    expect(value.description).toBe('cpu f64, 2 worker threads');
    expect(value.result.config.basis).toBe('full');
    const full = await simulate(BROWSER_FULL_SPIN_CONFIG, { backend: 'cpu', threads: 1 });
    const sector = await simulate({ ...BROWSER_FULL_SPIN_CONFIG, basis: 'sector' }, { backend: 'cpu', threads: 1 });
    expectSameRun(value.result, full, THREAD_CONSISTENCY);
    expectSameRun(value.result, sector, TOLERANCES.cpu);
  });
});
