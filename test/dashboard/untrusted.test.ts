/**
 * The dashboard embedded in a lab page takes its `config` attribute and the
 * files it imports from people we do not know (issue 14). In headless
 * Chromium, on the built one-file element:
 * - an imported result with HTML in its strings shows them as text, and no
 *   script in them runs;
 * - a malformed, truncated or 100 MB file is refused with a message, and the
 *   page still runs afterwards;
 * - a config attribute that is not JSON, has unknown keys or bad values shows
 *   the validation error and runs nothing;
 * - a legal config that does not describe the experiment shows its warnings
 *   in the form.
 *
 * Without Chromium the suite skips outside CI and fails with CI set.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../src/model/result.js';
import { simulate } from '../../src/simulate.js';
import { CHROMIUM } from '../helpers/browser.js';
import { inCI } from '../helpers/webgpu.js';
import { openDashboard as openPage, startSite, text, waitForStatus, type DashboardSite } from './dashboard-browser.js';

const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('dashboard with untrusted input — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

const SMALL = { N: 12, L: 2, tEnd: 1, dt: 0.5 };
const SCRIPT_MARK = 'window.__pwned';

const opened: Page[] = [];
async function openDashboard(site: DashboardSite, path?: string): Promise<Page> {
  const page = await openPage(site, path);
  opened.push(page);
  return page;
}
afterEach(async () => {
  const errors = opened.flatMap((p) => (p as Page & { pageErrors?: string[] }).pageErrors ?? []);
  for (const p of opened) {
    // No script from a file or an attribute ran.
    expect(await p.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null)).toBeNull();
    await p.close();
  }
  opened.length = 0;
  expect(errors, 'uncaught errors in the page').toEqual([]);
});

/** Uploads `contents` as a file through the import button's file input. */
async function importFile(page: Page, dir: string, name: string, contents: string | Buffer): Promise<void> {
  const path = join(dir, name);
  writeFileSync(path, contents);
  const input = await page.$('spin-transfer-dashboard >>> #import-file');
  await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
}

/** A dashboard element added to the page with this `config` attribute, as a lab page's markup would. */
async function addElement(page: Page, config: string): Promise<void> {
  await page.evaluate((c) => {
    document.querySelector('spin-transfer-dashboard')!.remove();
    const el = document.createElement('div');
    el.innerHTML = `<spin-transfer-dashboard backend="cpu"></spin-transfer-dashboard>`;
    el.firstElementChild!.setAttribute('config', c);
    document.body.append(el);
  }, config);
  await page.waitForFunction(() => !!document.querySelector('spin-transfer-dashboard')?.shadowRoot?.querySelector('st-config-form'));
}

/** Calls run() on the element: whether it rejected, the run-error detail, and whether a result exists. */
async function runApi(page: Page) {
  return page.evaluate(async () => {
    const el = document.querySelector('spin-transfer-dashboard')!;
    let detail: { message: string; key?: string } | undefined;
    let progressed = false;
    el.addEventListener('run-error', (e) => (detail = (e as CustomEvent).detail));
    el.addEventListener('run-progress', () => (progressed = true));
    try {
      await el.run();
      return { rejected: false, detail, progressed, result: el.result !== undefined };
    } catch (err) {
      return { rejected: true, message: (err as Error).message, detail, progressed, result: el.result !== undefined };
    }
  });
}

/** Messages the form shows outside its fields (whole-config and unknown-key errors). */
const formAlerts = (page: Page) =>
  page.evaluate(() => {
    const form = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-config-form')!.shadowRoot!;
    return [...form.querySelectorAll('.whole, .error')].map((e) => e.textContent!.trim());
  });

suite('dashboard with untrusted input (headless Chromium)', () => {
  let site: DashboardSite;
  let reference: SimulationResult;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spin-transfer-untrusted-'));
    [site, reference] = await Promise.all([startSite(), simulate(SMALL, { backend: 'cpu' })]);
  }, 180_000);

  afterAll(async () => {
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows HTML in an imported result as text, and runs none of it', async () => {
    const page = await openDashboard(site, '/embed.html');
    const backend = `<img src=x onerror="${SCRIPT_MARK}='img'">`;
    const warning = `<script>${SCRIPT_MARK}='script'</script><b>bold</b>`;
    await importFile(page, dir, 'html.json', JSON.stringify({ ...reference, backend, warnings: [warning] }));
    await page.waitForFunction(() => !!document.querySelector('spin-transfer-dashboard')!.result, { timeout: 30_000 });
    expect(await text(page, '#summary')).toContain(backend);
    const markup = await page.evaluate(() => {
      const root = document.querySelector('spin-transfer-dashboard')!.shadowRoot!;
      return { imgs: root.querySelectorAll('#summary img').length, scripts: document.querySelectorAll('script').length };
    });
    expect(markup.imgs).toBe(0);
    expect(markup.scripts).toBe(1); // the page's own module script
    // A study file with HTML in its strings, too.
    const study = {
      study: 'fig2b', config: SMALL, backend: `<svg onload="${SCRIPT_MARK}='svg'">`, precision: 'f64', timing: { seconds: 1, matvecs: 2 },
      runs: [{ label: `<iframe src="javascript:${SCRIPT_MARK}='iframe'">` }], d: [10], final: { singlet: [0.1], T0: [0.2], 'T-': [0.3] },
    };
    await importFile(page, dir, 'study.json', JSON.stringify(study));
    await page.waitForFunction(() => (document.querySelector('spin-transfer-dashboard')!.result as { study?: string })?.study === 'fig2b');
    expect(await text(page, '#summary')).toContain('<svg onload=');
  });

  it('refuses a malformed, a truncated and a 100 MB file with a message, and still runs afterwards', async () => {
    const page = await openDashboard(site, '/embed.html');
    const full = JSON.stringify(reference);
    const cases: [string, string | Buffer, RegExp][] = [
      ['malformed.json', '{"t": [0, 0.5], "norm": "<b>x</b>"', /Not imported: malformed\.json: not JSON/],
      ['truncated.json', full.slice(0, Math.floor(full.length / 2)), /Not imported: truncated\.json: not JSON/],
      ['wrong-shape.json', JSON.stringify({ ...reference, density: [['<b>']] }), /Not imported: wrong-shape\.json: "density" must hold one row per output time/],
      ['huge.json', Buffer.alloc(100 * 2 ** 20, 0x20), /Not imported: huge\.json: the file is 100\.0 MiB; the dashboard imports results up to 64 MiB/],
    ];
    for (const [name, contents, message] of cases) {
      await importFile(page, dir, name, contents);
      await page.waitForFunction((n: string) => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#status')?.textContent?.includes(n), { timeout: 30_000 }, name);
      expect(await waitForStatus(page, ['error'])).toBe('error');
      expect(await text(page, '#status')).toMatch(message);
      expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result ?? null)).toBeNull();
    }
    const after = await runApi(page);
    expect(after.rejected).toBe(false);
    expect(after.result).toBe(true);
  });

  it.each([
    ['not JSON', '{"N": 12, ', /config attribute is not valid JSON/, undefined],
    ['not an object', '[12, 2]', /must be a JSON object/, undefined],
    ['an unknown key', '{"N": 12, "L": 2, "tEnd": 1, "foo": "<b>bar</b>"}', /foo = "<b>bar<\/b>" is not allowed.*unknown key/, 'foo'],
    ['a bad value', '{"N": 12, "L": 2, "th": 1e308}', /th = 1e\+308 is not allowed; allowed: number in \[-100, 100\]/, 'th'],
    ['a value of the wrong type', '{"N": {"nested": [1, 2]}, "L": 2}', /N = .* is not allowed/, 'N'],
  ])('a config attribute with %s shows the error and runs nothing', async (_, attribute, message, key) => {
    const page = await openDashboard(site, '/embed.html');
    await addElement(page, attribute);
    expect((await formAlerts(page)).join('\n')).toMatch(message);
    const out = await runApi(page);
    expect(out.rejected).toBe(true);
    expect(out.progressed).toBe(false);
    expect(out.result).toBe(false);
    expect(out.detail?.key).toBe(key);
    expect(await text(page, '#status')).toMatch(/Not run/);
  });

  it('shows the warnings of a legal config in the form', async () => {
    const page = await openDashboard(site, '/embed.html');
    await addElement(page, '{"N": 60, "L": 6, "state": "T-"}');
    const notice = await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-config-form')!.shadowRoot!.querySelector('#warnings')?.textContent ?? '');
    expect(notice).toContain('x2 - d = -23, which is site 37 on the ring');
    await addElement(page, JSON.stringify({ N: 60, L: 2, spinStart: 40, x2: 30, d: 10, sigma: 2, tEnd: 1, dt: 0.5 }));
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-config-form')!.shadowRoot!.querySelector('#warnings'))).toBeNull();
  });
});
