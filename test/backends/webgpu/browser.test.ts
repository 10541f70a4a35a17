/**
 * The WebGPU backend in a browser: the library bundled for the browser (the
 * Node `webgpu` package must stay out of the bundle) runs on navigator.gpu in
 * headless Chromium, whose WebGPU uses SwiftShader where there is no GPU, and
 * agrees with the CPU backend in the same page; and basis "sector" in the
 * page (one run per electron count) agrees with the Node CPU runs in the sector
 * and in the full basis; and the theta sweep in the page (three phase states
 * on the device) agrees with the Node CPU's sweep. Skipped outside CI when there
 * is no Chromium; with CI set, a missing Chromium fails.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/simulate.js';
import { thetaSweep, type ThetaSweep } from '../../../src/studies/theta-sweep.js';
import { CHROMIUM, runInChromium } from '../../helpers/browser.js';
import { expectConserved, expectSameRun } from '../../helpers/result-checks.js';
import { inCI } from '../../helpers/webgpu.js';
import { TOLERANCES, WEBGPU_CONSERVATION } from '../../tolerances.js';
import { BROWSER_SECTOR_CONFIGS, BROWSER_THETA_SWEEP } from './browser-config.js';
import type { BrowserCheck, BrowserSectorRuns } from './browser-page.js';

const here = dirname(fileURLToPath(import.meta.url));

const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('WebGPU in the browser — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

suite('WebGPU backend in the browser (headless Chromium)', () => {
  it('runs on navigator.gpu from a browser bundle without the Node package, and matches the CPU', async () => {
    expect(CHROMIUM, 'Chromium is needed for the browser test (apt-get install chromium)').toBeDefined();
    const { value: r, bundle } = await runInChromium<BrowserCheck>(join(here, 'browser-page.ts'), 'runCheck');
    expect(bundle).not.toMatch(/dawn\.node|from ["']webgpu["']/);
    expect(r.hasNavigatorGpu).toBe(true);
    expect(r.backend).toBe('webgpu');
    expect(r.outputs).toBe(7);
    expect(r.description).toMatch(/^webgpu f32, /);
    expect(r.maxDeviation).toBeLessThan(TOLERANCES.webgpu.abs);
  });

  it('runs basis "sector" (two electrons, T-; one electron) and "antisymmetric" (T0) in the page, equal to the Node CPU runs in that basis and the full basis', async () => {
    const { value } = await runInChromium<BrowserSectorRuns>(join(here, 'browser-page.ts'), 'runSectorCheck');
    expect(value.results).toHaveLength(BROWSER_SECTOR_CONFIGS.length);
    for (const [i, config] of BROWSER_SECTOR_CONFIGS.entries()) {
      const page = value.results[i];
      expect(page.backend).toBe('webgpu');
      expect(value.descriptions[i]).toMatch(new RegExp(`^webgpu f32, .*basis ${config.basis}`));
      expectSameRun(page, await simulate(config, { backend: 'cpu', threads: 1 }), TOLERANCES.webgpu);
      expectSameRun(page, await simulate({ ...config, basis: 'full' }, { backend: 'cpu', threads: 1 }), TOLERANCES.webgpu);
      expectConserved(page, WEBGPU_CONSERVATION);
      expect(Math.max(...page.deltaSigmaZ)).toBeGreaterThan(1e-3);
    }
  });

  it('runs the theta sweep on navigator.gpu (three phase states in the antisymmetric half), equal to the Node CPU sweep in the full basis at every angle', async () => {
    const { value: sweep } = await runInChromium<ThetaSweep>(join(here, 'browser-page.ts'), 'runThetaSweepCheck');
    expect(sweep.backend).toBe('webgpu');
    expect(sweep.precision).toBe('f32');
    const reference = await thetaSweep({ ...BROWSER_THETA_SWEEP.config, basis: 'full' }, BROWSER_THETA_SWEEP.thetas, { backend: 'cpu', threads: 1 });
    expect(sweep.theta).toEqual(BROWSER_THETA_SWEEP.thetas);
    for (const [i, result] of sweep.results.entries()) {
      expect(result.config.basis).toBe('antisymmetric');
      expectSameRun(result, reference.results[i], TOLERANCES.webgpu);
      expectConserved(result, WEBGPU_CONSERVATION);
    }
    // The angles differ: a sweep that returned one run four times would pass the loop above only by accident.
    const final = sweep.results.map((r) => r.deltaSigmaZ.at(-1)!);
    expect(Math.max(...final) - Math.min(...final)).toBeGreaterThan(1e-3);
  });
});
