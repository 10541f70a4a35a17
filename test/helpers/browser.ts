/**
 * Runs a page of the library in headless Chromium (Debian's /usr/bin/chromium,
 * driven by puppeteer): bundles `entry` for the browser with esbuild, serves it
 * on 127.0.0.1 (cross-origin isolated on request, so SharedArrayBuffer exists),
 * calls the global function the page defines and returns what it resolves to.
 * WebGPU goes through SwiftShader where there is no GPU.
 */

import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));

export interface BrowserRun<T> {
  /** What the page's global function resolved to. */
  value: T;
  /** The browser bundle, to check what went into it. */
  bundle: string;
}

export async function runInChromium<T>(entry: string, globalFunction: string, options: { crossOriginIsolated?: boolean } = {}): Promise<BrowserRun<T>> {
  if (!CHROMIUM) throw new Error('Chromium is needed for the browser tests (apt-get install chromium)');
  const built = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'browser', format: 'esm', target: 'es2022', logLevel: 'silent' });
  const js = built.outputFiles[0].text;
  const server = http.createServer((req, res) => {
    if (options.crossOriginIsolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
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
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction((name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function', {}, globalFunction);
    const value = (await page.evaluate(
      (name: string) => ((globalThis as unknown as Record<string, () => Promise<unknown>>)[name])(),
      globalFunction,
    )) as T;
    return { value, bundle: js };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Headless Chromium with WebGPU (on SwiftShader where there is no GPU). */
export async function launchChromium() {
  if (!CHROMIUM) throw new Error('Chromium is needed for the browser tests (apt-get install chromium)');
  const puppeteer = (await import('puppeteer')).default;
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader',
      '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}
