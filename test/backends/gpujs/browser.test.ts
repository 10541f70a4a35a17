/**
 * The gpu.js backend in a browser: the library bundled for the browser runs
 * gpu.js in webgl2 mode in headless Chromium (WebGL2 through SwiftShader where
 * there is no GPU) and agrees with the f64 CPU backend in the same page.
 * Skipped outside CI when there is no Chromium; with CI set, a missing
 * Chromium fails.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, runInChromium } from '../../helpers/browser.js';
import { inCI } from '../../helpers/webgpu.js';
import { TOLERANCES } from '../../tolerances.js';
import type { GpuJsBrowserCheck } from './browser-page.js';

const here = dirname(fileURLToPath(import.meta.url));

const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('gpu.js webgl2 in the browser — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

suite('gpu.js backend in the browser (headless Chromium, webgl2)', () => {
  it('picks webgl2 as the best mode, runs a T0 simulation on it and matches the CPU', async () => {
    expect(CHROMIUM, 'Chromium is needed for the browser test (apt-get install chromium)').toBeDefined();
    const { value: r } = await runInChromium<GpuJsBrowserCheck>(join(here, 'browser-page.ts'), 'runGpuJsCheck');
    expect(r.error).toBeUndefined();
    expect(r.bestMode).toBe('webgl2');
    expect(r.backend).toBe('gpujs-webgl2');
    expect(r.outputs).toBe(7);
    console.info(`gpu.js webgl2 in Chromium: max |difference| from the f64 CPU backend ${r.maxDeviation.toExponential(2)}`);
    expect(r.maxDeviation).toBeLessThan(TOLERANCES.gpujs.abs);
    // Headless Chromium without a GPU renders WebGL2 in software: auto passes over gpu.js and says why.
    expect(r.rendererIsSoftware, `renderer ${r.renderer}`).toBe(true);
    expect(r.autoBackend).toBe('cpu');
    expect(r.autoReason).toMatch(/WebGL2 is a software renderer/);
  });
});
