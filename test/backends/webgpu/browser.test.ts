/**
 * The WebGPU backend in a browser: the library bundled for the browser (the
 * Node `webgpu` package must stay out of the bundle) runs on navigator.gpu in
 * headless Chromium, whose WebGPU uses SwiftShader where there is no GPU, and
 * agrees with the CPU backend in the same page. Skipped outside CI when there
 * is no Chromium; with CI set, a missing Chromium fails.
 */

import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { inCI } from '../../helpers/webgpu.js';
import { TOLERANCES } from '../../tolerances.js';
import type { BrowserCheck } from './browser-page.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
const here = dirname(fileURLToPath(import.meta.url));

const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('WebGPU in the browser — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

suite('WebGPU backend in the browser (headless Chromium)', () => {
  it('runs on navigator.gpu from a browser bundle without the Node package, and matches the CPU', async () => {
    expect(CHROMIUM, 'Chromium is needed for the browser test (apt-get install chromium)').toBeDefined();
    const bundle = await build({
      entryPoints: [join(here, 'browser-page.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0].text;
    expect(js).not.toMatch(/dawn\.node|from ["']webgpu["']/);
    const server = http.createServer((req, res) => {
      if (req.url === '/page.js') {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(js);
      } else if (req.url === '/') {
        res.setHeader('Content-Type', 'text/html');
        res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const puppeteer = (await import('puppeteer')).default;
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => typeof (globalThis as { runCheck?: unknown }).runCheck === 'function');
      const r = (await page.evaluate(() => (globalThis as unknown as { runCheck: () => Promise<BrowserCheck> }).runCheck())) as BrowserCheck;
      expect(r.hasNavigatorGpu).toBe(true);
      expect(r.backend).toBe('webgpu');
      expect(r.outputs).toBe(7);
      expect(r.description).toMatch(/^webgpu f32, /);
      expect(r.maxDeviation).toBeLessThan(TOLERANCES.webgpu.abs);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
