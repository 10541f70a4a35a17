/**
 * What the dashboard tests share: the dashboard built the way `npm run
 * build` builds it (into a temporary folder, so a test never reads a stale
 * dist/), served cross-origin isolated, headless Chromium with WebGPU on
 * SwiftShader (test/helpers/browser.ts), and small helpers that
 * reach into the element's shadow roots.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { build } from 'vite';
import { CHROMIUM, launchChromium } from '../helpers/browser.js';
import { serveStatic, type StaticServer } from '../helpers/static-server.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A page that embeds the one-file element the way docs/dashboard.md tells a lab page to. */
export const EMBED_PAGE = `<!doctype html><meta charset="utf-8"><title>embed</title>
<script type="module" src="/spin-transfer-dashboard.js"></script>
<spin-transfer-dashboard id="dash" backend="cpu" config='{"N": 12, "L": 2, "tEnd": 2, "dt": 0.5}'></spin-transfer-dashboard>`;

export interface DashboardSite {
  dir: string;
  server: StaticServer;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the static site and the one-file element, serves both, starts Chromium. */
export async function startSite(): Promise<DashboardSite> {
  if (!CHROMIUM) throw new Error('Chromium is needed for the dashboard tests (apt-get install chromium)');
  const dir = mkdtempSync(join(tmpdir(), 'spin-transfer-dashboard-'));
  const configFile = join(ROOT, 'vite.config.ts');
  await build({ configFile, mode: 'production', logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  await build({ configFile, mode: 'lib', logLevel: 'warn', build: { outDir: dir, emptyOutDir: false } });
  const server = await serveStatic(dir, { '/embed.html': EMBED_PAGE });
  const browser = await launch();
  return {
    dir,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const launch = (): Promise<Browser> => launchChromium();

/** Whether this Chromium gives a page a WebGPU adapter, and which (or why not). */
export async function browserWebGpu(): Promise<{ available: boolean; detail: string }> {
  if (!CHROMIUM) return { available: false, detail: 'no Chromium' };
  const server = await serveStatic(tmpdir(), { '/index.html': '<!doctype html><title>probe</title>' });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    return await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
      if (!gpu) return { available: false, detail: 'no navigator.gpu' };
      const adapter = await gpu.requestAdapter();
      if (!adapter) return { available: false, detail: 'requestAdapter() found none' };
      return { available: true, detail: [adapter.info.vendor, adapter.info.architecture].filter(Boolean).join(' ') || 'adapter' };
    });
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Opens `path` and waits for the dashboard element and the worker's capability probe. */
export async function openDashboard(site: DashboardSite, path = '/'): Promise<Page> {
  const page = await site.browser.newPage();
  await page.setViewport({ width: 1366, height: 900 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.server.url}${path}`);
  await page.waitForFunction(() => {
    const d = document.querySelector('spin-transfer-dashboard');
    return !!d?.shadowRoot?.querySelector('st-backend-panel')?.shadowRoot?.querySelector('input[type=radio]');
  }, { timeout: 60_000 });
  (page as Page & { pageErrors?: string[] }).pageErrors = errors;
  return page;
}

/** Types `value` into the config field `key` (replacing what is there). */
export async function setField(page: Page, key: string, value: string): Promise<void> {
  const input = await page.$(`spin-transfer-dashboard >>> st-config-form >>> #f-${key}`);
  if (!input) throw new Error(`no field ${key}`);
  await input.focus();
  await input.evaluate((el) => (el as HTMLInputElement).select());
  await page.keyboard.press('Backspace');
  if (value) await input.type(value);
}

export async function chooseBackend(page: Page, name: string): Promise<void> {
  const radio = await page.$(`spin-transfer-dashboard >>> st-backend-panel >>> input[type=radio][value="${name}"]`);
  if (!radio) throw new Error(`no backend radio ${name}`);
  await radio.click();
}

export async function click(page: Page, selector: string): Promise<void> {
  const el = await page.$(`spin-transfer-dashboard >>> ${selector}`);
  if (!el) throw new Error(`nothing matches ${selector}`);
  await el.click();
}

/** Text of an element in the dashboard's shadow root, or null. */
export async function text(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((sel) => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector(sel)?.textContent ?? null, selector);
}

export async function waitForStatus(page: Page, statuses: string[], timeout = 120_000): Promise<string> {
  await page.waitForFunction(
    (s: string[]) => s.includes(document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#status')?.getAttribute('data-status') ?? ''),
    { timeout },
    statuses,
  );
  return page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#status')!.getAttribute('data-status')!);
}

/**
 * Every chart on display: its kind and how many of its pixels differ from
 * its first pixel (the background), so a blank canvas counts 0.
 */
export async function drawnCharts(page: Page): Promise<{ id: string; inked: number }[]> {
  return page.evaluate(() => {
    const view = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!;
    const root = view.shadowRoot!;
    const out: { id: string; inked: number }[] = [];
    const count = (c: HTMLCanvasElement | null | undefined) => {
      if (!c || !c.width || !c.height) return 0;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) n++;
      return n;
    };
    for (const el of root.querySelectorAll('st-line-chart')) {
      out.push({ id: el.getAttribute('data-chart') ?? '?', inked: count(el.shadowRoot!.querySelector('canvas')) });
    }
    for (const map of root.querySelectorAll('st-space-time-map')) {
      out.push({ id: map.getAttribute('data-map') ?? '?', inked: count(map.shadowRoot!.querySelector('canvas')) });
    }
    return out;
  });
}
