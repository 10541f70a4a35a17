/**
 * bench.html in headless Chromium: the page is built with Vite (as the static
 * build builds it) into a temporary directory, served cross-origin isolated
 * (so the CPU backend has its worker threads), and runs two tiny cases on
 * WebGPU (SwiftShader where there is no GPU), gpu.js webgl2 and the CPU. The
 * records must come back with the Node harness's shape, and both charts must
 * have drawn their lines. Skipped outside CI when there is no Chromium; with
 * CI set, a missing Chromium fails.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import type { BrowserRecord, BrowserRunOptions } from '../../bench/browser/main.js';
import type { MeasuredRecord } from '../../bench/core/grid.js';
import { CHROMIUM, launchChromium } from '../helpers/browser.js';
import { serveStatic } from '../helpers/static-server.js';
import { inCI } from '../helpers/webgpu.js';

const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('bench.html in the browser — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

suite('bench.html (Vite build, headless Chromium)', () => {
  it('runs the grid on WebGPU, gpu.js webgl2 and the CPU, returns records of the Node shape and draws both charts', async () => {
    const out = mkdtempSync(join(os.tmpdir(), 'spin-transfer-bench-page-'));
    const server = await (async () => {
      await build({ root: process.cwd(), configFile: false, logLevel: 'error', build: { outDir: out, emptyOutDir: true, rollupOptions: { input: 'bench.html' } } });
      return serveStatic(out);
    })();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.url}/bench.html`);
      await page.waitForFunction(() => typeof (globalThis as { spinBench?: unknown }).spinBench === 'object');
      const options: BrowserRunOptions = { cases: [{ N: 10, L: 2 }, { N: 14, L: 2 }], reps: 2, alpha: 2 };
      const records = await page.evaluate(
        (o) => (globalThis as unknown as { spinBench: { run(o: BrowserRunOptions): Promise<BrowserRecord[]> } }).spinBench.run(o),
        options,
      );
      expect(errors).toEqual([]);
      expect(records[0].machine.crossOriginIsolated).toBe(true);
      const cores = records[0].machine.cores;
      const expected = ['webgpu:1', 'gpujs-webgl2:1', 'cpu:1', ...(cores > 1 ? [`cpu:${cores}`] : [])];
      for (const key of expected) {
        const [backend, threads] = key.split(':');
        const rs = records.filter((r) => r.backend === backend && r.threads === Number(threads));
        expect(rs.map((r) => r.N), key).toEqual([10, 14]);
        for (const r of rs) {
          expect(r.skipped, r.case).toBeUndefined();
          const m = r as MeasuredRecord;
          expect(m.dim).toBe(m.N * m.N * 4 * 2 ** m.L);
          expect(Number.isFinite(m.ampsPerSecond) && m.ampsPerSecond > 0, r.case).toBe(true);
          expect(m.ampsPerSecond * m.secondsPerTerm).toBeCloseTo(m.dim, 6);
          expect(Math.abs(m.normAfter - 1), r.case).toBeLessThan(m.precision === 'f64' ? 1e-9 : 1e-4);
        }
      }
      expect(records.find((r) => r.backend === 'webgpu')!.software).toBe(true);

      // A drawn line is saturated colour; uPlot's axes, grid and text are grey.
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLCanvasElement>('#charts canvas')].map((c) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let coloured = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 80) coloured++;
          return coloured;
        }),
      );
      expect(drawn).toHaveLength(2);
      for (const n of drawn) expect(n).toBeGreaterThan(50);
      const rows = await page.evaluate(() => document.querySelectorAll('#results tbody tr').length);
      expect(rows).toBe(records.length);
      expect(await page.evaluate(() => (document.getElementById('download') as HTMLButtonElement).disabled)).toBe(false);
    } finally {
      await browser.close();
      await server.close();
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
