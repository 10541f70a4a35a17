/**
 * The WebGPU backend in a browser: the library bundled for the browser (the
 * Node `webgpu` package must stay out of the bundle) runs on navigator.gpu in
 * headless Chromium, whose WebGPU uses SwiftShader where there is no GPU, and
 * agrees with the CPU backend in the same page. Skipped outside CI when there
 * is no Chromium; with CI set, a missing Chromium fails.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, runInChromium } from '../../helpers/browser.js';
import { inCI } from '../../helpers/webgpu.js';
import { TOLERANCES } from '../../tolerances.js';
import type { BrowserCheck } from './browser-page.js';

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
});
