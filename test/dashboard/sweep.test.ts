/**
 * Sweeps in the dashboard, in headless Chromium (the site built and served as
 * dashboard.test.ts does): a sweep run in the page's worker on the CPU
 * backend must give the rows runSweep gives in Node (1e-10); the sweep.json
 * and point files `spin-transfer sweep` writes (run in-process) import, with a tooltip per point
 * and a click that opens a point's result (or names the file to import); a
 * two-key sweep draws a heatmap; a long sweep is warned about; a cancel
 * stops a sweep; a malformed sweep file is refused and the page still runs;
 * strings from a file (names, errors) show as text and run no script.
 */

import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runSweep, type SweepResult, type SweepRow } from '../../src/sweeps/run-sweep.js';
import type { SweepSpec } from '../../src/sweeps/grid.js';
import { sweepCsv } from '../../src/sweeps/sweep-export.js';
import { CHROMIUM } from '../helpers/browser.js';
import { expectClose } from '../helpers/expect-close.js';
import { inCI } from '../helpers/webgpu.js';
import { chooseBackend, click, drawnCharts, openDashboard as openPage, setField, startSite, text, waitForStatus, type DashboardSite } from './dashboard-browser.js';

const opened: Page[] = [];
async function openDashboard(site: DashboardSite): Promise<Page> {
  const page = await openPage(site);
  opened.push(page);
  return page;
}
afterEach(() => {
  const errors = opened.flatMap((p) => (p as Page & { pageErrors?: string[] }).pageErrors ?? []);
  opened.length = 0;
  expect(errors, 'uncaught errors in the page').toEqual([]);
});

/** Tiny points: N = 16, L = 2, 2 fs (milliseconds each). */
const BASE = { N: 16, L: 2, tEnd: 2, dt: 0.5, x2: 4, d: 4, sigma: 1.5 };
const CURVES: SweepSpec = { base: BASE, grid: { Jsd: [0.1, 0.2], state: ['singlet', 'T0'] }, mode: 'product' };
const HEATMAP: SweepSpec = { base: BASE, grid: { Jsd: [0.1, 0.2], sigma: [1.5, 2] }, mode: 'product' };
const NUMBERS = ['finalDeltaSigmaZ', 'maxDeltaSigmaZ', 'normDrift', 'energyDrift', 'totalSzDrift'] as const;

/** Rows of the page and of Node: the same points, statuses and counts; numbers within 1e-10. */
function expectSameRows(actual: SweepRow[], expected: SweepRow[]): void {
  expect(actual.map((r) => [r.index, r.name, r.params, r.status, r.backend, r.precision, r.matvecs]))
    .toEqual(expected.map((r) => [r.index, r.name, r.params, r.status, r.backend, r.precision, r.matvecs]));
  for (const [k, r] of actual.entries()) {
    for (const key of NUMBERS) expectClose(r[key]!, expected[k][key]!, { abs: 1e-10, label: `row ${k} ${key}` });
    const p = r.finalProbabilities!, q = expected[k].finalProbabilities!;
    expectClose([p.S, p.T0, p['T+'], p['T-']], [q.S, q.T0, q['T+'], q['T-']], { abs: 1e-10, label: `row ${k} probabilities` });
  }
}

const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('dashboard sweeps in the browser — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

suite('dashboard sweeps (headless Chromium)', () => {
  let site: DashboardSite;
  let dir: string;
  /** The CURVES sweep run in Node through runSweep. */
  let reference: SweepResult;
  /** The same sweep written by the CLI (`spin-transfer sweep … --out dir`): its sweep.json and its point files. */
  let cliTable: SweepResult;
  const pointFiles = new Map<number, { name: string; path: string }>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spin-transfer-sweep-import-'));
    const baseFile = join(dir, 'base.json');
    writeFileSync(baseFile, JSON.stringify(BASE));
    const quiet = () => new Writable({ write: (_c, _e, done) => done() });
    const cli = main(
      ['sweep', '--grid', 'Jsd=0.1,0.2', '--grid', 'state=singlet,T0', '--config', baseFile, '--backend', 'cpu', '--threads', '1', '--out', join(dir, 'cli'), '-q'],
      { stdin: Readable.from(['']), stdout: quiet(), stderr: quiet(), signals: new EventEmitter() },
    );
    let code: number;
    [site, reference, code] = await Promise.all([startSite(), runSweep(CURVES, { backend: 'cpu', threads: 1 }), cli]);
    expect(code).toBe(0);
    cliTable = JSON.parse(readFileSync(join(dir, 'cli', 'sweep.json'), 'utf8'));
    for (const file of readdirSync(join(dir, 'cli', 'points'))) {
      const point = JSON.parse(readFileSync(join(dir, 'cli', 'points', file), 'utf8'));
      pointFiles.set(point.index, { name: point.name, path: join(dir, 'cli', 'points', file) });
    }
    expect(pointFiles.size).toBe(4);
  }, 180_000);

  afterAll(async () => {
    await site?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function setGrid(page: Page, lines: string): Promise<void> {
    await page.evaluate((value) => {
      const area = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#sweep-grid') as HTMLTextAreaElement;
      area.value = value;
      area.dispatchEvent(new Event('input'));
    }, lines);
  }

  async function sweepSetUp(page: Page, base: Record<string, unknown>, lines: string): Promise<void> {
    await chooseBackend(page, 'cpu');
    await click(page, 'button[data-preset="sweep"]');
    for (const [key, value] of Object.entries(base)) await setField(page, key, String(value));
    await setGrid(page, lines);
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.backend)).toBe('cpu');
  }

  async function importFiles(page: Page, ...paths: string[]): Promise<void> {
    const before = await text(page, '#status');
    const input = (await page.$('spin-transfer-dashboard >>> #import-file')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(...paths);
    await page.waitForFunction(
      (prev) => {
        const now = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#status')!.textContent ?? '';
        return now !== prev && /Imported|Not imported/.test(now);
      },
      { timeout: 30_000 },
      before,
    );
  }

  /** Moves the mouse onto point `index` of the sweep figure; returns the tooltip's text. */
  async function hover(page: Page, index: number): Promise<string | null> {
    const at = await page.evaluate((i) => {
      const chart = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-sweep-chart')!;
      chart.canvas!.scrollIntoView({ block: 'center' });
      const r = chart.canvas!.getBoundingClientRect();
      const p = chart.positionOf(i)!;
      return { x: r.left + p.x, y: r.top + p.y };
    }, index);
    await page.mouse.move(at.x, at.y);
    await page.waitForFunction(() => !!document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-sweep-chart')!.shadowRoot!.querySelector('#sweep-tip'), { timeout: 5_000 });
    return page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-sweep-chart')!.shadowRoot!.querySelector('#sweep-tip')!.textContent);
  }

  async function clickPoint(page: Page, index: number): Promise<void> {
    await hover(page, index);
    await page.mouse.down();
    await page.mouse.up();
  }

  /** The sweep figure: its kind (lines or heatmap) and the pixels that differ from the background. */
  async function sweepInk(page: Page): Promise<{ kind: string | null; inked: number }> {
    return page.evaluate(() => {
      const chart = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-sweep-chart')!;
      const c = chart.canvas!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
      return { kind: c.getAttribute('data-kind'), inked: n };
    });
  }

  /** Opens the table under the figure (its rows are made only while it is open). */
  async function openTable(page: Page): Promise<void> {
    await click(page, 'st-sweep-chart >>> #sweep-table-caption');
    await page.waitForFunction(() => !!document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-sweep-chart')!.shadowRoot!.querySelector('tbody tr'), { timeout: 5_000 });
  }

  const chartText = (page: Page, selector: string) =>
    page.evaluate((sel) => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-sweep-chart')!.shadowRoot!.querySelector(sel)?.textContent ?? null, selector);

  it('runs a 4-point sweep (Jsd × state) in the worker on cpu: the rows of runSweep in Node within 1e-10, a curve per state, any point opens', async () => {
    const page = await openDashboard(site);
    await sweepSetUp(page, BASE, 'Jsd=0.1,0.2\nstate=singlet,T0');
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#sweep-estimate')!.textContent)).toMatch(/4 points\s+\(2 Jsd × 2 state\); predicted about/);
    await click(page, '#run');
    expect(await waitForStatus(page, ['done', 'error'])).toBe('done');
    const result = (await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result)) as SweepResult;
    expect(result.kind).toBe('spin-transfer sweep');
    expect(result.sweep).toBe(reference.sweep);
    expect(result.complete).toBe(true);
    expectSameRows(result.rows, reference.rows);
    expect(await text(page, '#status')).toMatch(/Sweep done: 4 of 4 points .* on cpu \(f64\)/);
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-progress')!.shadowRoot!.querySelector('#step')!.textContent)).toMatch(/^point 4 of 4: Jsd=0.2, state=T0$/);
    const ink = await sweepInk(page);
    expect(ink.kind).toBe('lines');
    expect(ink.inked).toBeGreaterThan(500);
    expect(await chartText(page, '.legend')).toMatch(/singlet.*T0/);

    // Exports: the table as the CLI's sweep.json and sweep.csv, the figure as PNG.
    const downloads = mkdtempSync(join(tmpdir(), 'spin-transfer-sweep-downloads-'));
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    for (const id of ['#export-json', '#export-csv', '#export-png']) await click(page, id);
    const names = ['sweep.json', 'sweep.csv', 'sweep.png'];
    for (let i = 0; i < 100 && !names.every((f) => existsSync(join(downloads, f))); i++) await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse(readFileSync(join(downloads, 'sweep.json'), 'utf8'))).toEqual(result);
    expect(readFileSync(join(downloads, 'sweep.csv'), 'utf8')).toBe(sweepCsv(result));
    expect(readFileSync(join(downloads, 'sweep.png')).subarray(1, 4).toString()).toBe('PNG');
    rmSync(downloads, { recursive: true, force: true });

    // Every point's result came back from the worker: a click opens it.
    await clickPoint(page, 3);
    await page.waitForFunction(() => !!document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#point-view st-result-view'), { timeout: 10_000 });
    expect(await text(page, '#h-point')).toMatch(/Point 3: 3-Jsd=0.2-state=T0/);
    const charts = await page.evaluate(() => {
      const view = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#point-view st-result-view')!;
      return [...view.shadowRoot!.querySelectorAll('st-line-chart')].map((c) => c.getAttribute('data-chart'));
    });
    expect(charts).toEqual(['dsz', 'sz', 'prob']);
    expect(Number(await text(page, '#point-dsz'))).toBeCloseTo(reference.rows[3].finalDeltaSigmaZ!, 3);
    await page.close();
  });

  it('draws a two-key sweep (Jsd × sigma) as a heatmap with ink, and a table of its points', async () => {
    const page = await openDashboard(site);
    await sweepSetUp(page, BASE, 'Jsd=0.1,0.2\nsigma=1.5,2');
    await click(page, '#run');

    expect(await waitForStatus(page, ['done', 'error'])).toBe('done');
    const result = (await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result)) as SweepResult;
    expectSameRows(result.rows, (await runSweep(HEATMAP, { backend: 'cpu', threads: 1 })).rows);
    const ink = await sweepInk(page);
    expect(ink.kind).toBe('heatmap');
    expect(ink.inked).toBeGreaterThan(2000);
    await openTable(page);
    const rows = await page.evaluate(() => [...document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-sweep-chart')!.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-status')));
    expect(rows).toEqual(['done', 'done', 'done', 'done']);
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-sweep-chart')!.canvas!.getAttribute('aria-label'))).toMatch(/over Jsd × sigma: 4 of 4 points done/);
    expect(await hover(page, 1)).toMatch(/Jsd=0.1, sigma=2/);
    await page.close();
  });

  it('imports a CLI sweep.json: tooltips per point, a click names the point file to import; importing it (or several at once) opens the result', async () => {
    const page = await openDashboard(site);
    await importFiles(page, join(dir, 'cli', 'sweep.json'));
    expect(await text(page, '#status')).toMatch(/Imported sweep\.json \(sweep [0-9a-f]{16}: 4 of 4 done, 0 failed, 0 missing\)/);
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result)).toEqual(cliTable);
    // The form takes the base config and the grid.
    expect(await page.evaluate(() => (document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#sweep-grid') as HTMLTextAreaElement).value)).toBe('Jsd=0.1,0.2\nstate=singlet,T0');
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.config)).toEqual(BASE);
    expect((await sweepInk(page)).inked).toBeGreaterThan(500);

    await page.evaluate(() => {
      const w = window as unknown as { opens: unknown[] };
      w.opens = [];
      document.querySelector('spin-transfer-dashboard')!.addEventListener('point-open', (e) => w.opens.push((e as CustomEvent).detail));
    });
    const tip = await hover(page, 2);
    expect(tip).toContain('2-Jsd=0.2-state=singlet');
    expect(tip).toContain('Jsd=0.2, state=singlet');
    expect(tip).toContain(`final Δσ_z: ${Number(reference.rows[2].finalDeltaSigmaZ!.toPrecision(4))}`);
    expect(tip).toMatch(/status: done/);
    expect(tip).toContain('needs points/2-Jsd=0.2-state=singlet.json');
    await clickPoint(page, 2);
    expect(await text(page, '#sweep-note')).toBe("Point 2 (2-Jsd=0.2-state=singlet) has no result loaded: import points/2-Jsd=0.2-state=singlet.json from the sweep's folder (the import button takes several files at once).");
    expect(await text(page, '#point-view')).toBeNull();
    expect(await page.evaluate(() => (window as unknown as { opens: unknown[] }).opens)).toEqual([{ index: 2, name: '2-Jsd=0.2-state=singlet', opened: false }]);

    // The point file afterwards: the click opens it.
    await importFiles(page, pointFiles.get(2)!.path);
    expect(await text(page, '#status')).toMatch(/Imported 1 point file/);
    await clickPoint(page, 2);
    await page.waitForFunction(() => !!document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#point-view'), { timeout: 10_000 });
    expect(await text(page, '#h-point')).toMatch(/Point 2: 2-Jsd=0.2-state=singlet/);
    const view = await page.evaluate(() => {
      const v = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#point-view st-result-view')!;
      return [...v.shadowRoot!.querySelectorAll('st-line-chart')].length;
    });
    expect(view).toBe(3);

    // sweep.json and point files at once; a point of another sweep is refused by name.
    const stranger = join(dir, 'stranger.json');
    const other = JSON.parse(readFileSync(pointFiles.get(0)!.path, 'utf8'));
    writeFileSync(stranger, JSON.stringify({ ...other, sweep: 'ffffffffffffffff' }));
    await importFiles(page, join(dir, 'cli', 'sweep.json'), pointFiles.get(0)!.path, pointFiles.get(3)!.path, stranger);
    expect(await text(page, '#status')).toMatch(/Imported sweep\.json .* and 2 point files\. Not imported: stranger\.json: it belongs to sweep ffffffffffffffff/);
    // The table's open button (the keyboard's way) opens a point too.
    await openTable(page);
    await click(page, 'st-sweep-chart >>> button.open[data-index="3"]');
    await page.waitForFunction(() => /Point 3:/.test(document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#h-point')?.textContent ?? ''), { timeout: 10_000 });
    await page.close();
  });

  it('warns before a long sweep, refuses to start it until told to, and cancels a sweep going', async () => {
    const page = await openDashboard(site);
    await sweepSetUp(page, BASE, 'Jsd=0.01:0.3:21');
    // A bad line or point is named under the field, and Run refuses with the same message.
    await setGrid(page, 'sigma=1,-1');
    expect(await text(page, '#sweep-errors')).toMatch(/^point 1 \(sigma=-1\): sigma = -1 is not allowed; allowed: number in \[0\.1, 1000000\]/);
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#sweep-grid')!.getAttribute('aria-invalid'))).toBe('true');
    await click(page, '#run');
    expect(await waitForStatus(page, ['error', 'done', 'running'])).toBe('error');
    expect(await text(page, '#status')).toMatch(/^Not run: point 1 \(sigma=-1\): sigma = -1 is not allowed; allowed: number in \[0\.1, 1000000\]/);
    await setGrid(page, 'Jsd=0.01:0.3:21');
    const warning = await text(page, '#sweep-warning');
    expect(warning).toMatch(/This sweep would take long: 21 points \(more than 20\)/);
    await click(page, '#run');
    expect(await waitForStatus(page, ['error', 'done', 'running'])).toBe('error');
    expect(await text(page, '#status')).toMatch(/a long sweep: 21 points \(more than 20\).*Run it anyway/);
    // Three points of the paper-default run's size in the antisymmetric basis "auto" takes (600·601/2·(16 + 2) amplitudes): few, but predicted long.
    for (const key of Object.keys(BASE)) await setField(page, key, '');
    await setField(page, 'N', '600');
    await setField(page, 'L', '16');
    await setGrid(page, 'Jsd=0.1,0.2,0.3');
    expect(await text(page, '#sweep-warning')).toMatch(/about \d+ min predicted \(more than 3 min\)/);

    // A longer sweep, told to run anyway, then cancelled.
    await sweepSetUp(page, { N: 60, L: 4, tEnd: 300, dt: 0.5 }, 'Jsd=0.01:0.3:21');
    await click(page, '#sweep-anyway');
    await click(page, '#run');
    await page.waitForFunction(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#status')!.getAttribute('data-status') === 'running', { timeout: 30_000 });
    await click(page, '#cancel');
    expect(await waitForStatus(page, ['cancelled', 'done', 'error'], 30_000)).toBe('cancelled');
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result ?? null)).toBeNull();
    expect(await page.evaluate(() => (document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('#export-json') as HTMLButtonElement).disabled)).toBe(true);
    await page.close();
  });

  it('refuses a malformed or truncated sweep file with a message, and the page still runs afterwards', async () => {
    const page = await openDashboard(site);
    const truncated = join(dir, 'truncated.json');
    const full = `${JSON.stringify(reference, null, 1)}\n`;
    writeFileSync(truncated, full.slice(0, Math.floor(full.length / 2)));
    await importFiles(page, truncated);
    expect(await waitForStatus(page, ['error', 'done'])).toBe('error');
    expect(await text(page, '#status')).toMatch(/^Not imported: truncated\.json: not JSON/);

    const offGrid = join(dir, 'off-grid.json');
    writeFileSync(offGrid, JSON.stringify({ ...reference, rows: reference.rows.map((r, i) => (i === 1 ? { ...r, params: { Jsd: 9, state: 'T0' } } : r)) }));
    await importFiles(page, offGrid);
    expect(await text(page, '#status')).toMatch(/^Not imported: off-grid\.json: not a valid sweep\.json: rows\[1\]\.params .* are not the grid's parameters/);
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result ?? null)).toBeNull();

    // The page still works: a single run.
    await click(page, 'button[data-preset="run"]');
    for (const [key, value] of Object.entries({ N: 12, L: 2, tEnd: 2, dt: 0.5 })) await setField(page, key, String(value));
    await chooseBackend(page, 'cpu');
    await click(page, '#run');
    expect(await waitForStatus(page, ['done', 'error'])).toBe('done');
    for (const c of await drawnCharts(page)) expect(c.inked).toBeGreaterThan(500);
    await page.close();
  });

  it('marks failed and missing points, and shows names and errors holding HTML as text: no element is made from them and no script runs', async () => {
    const page = await openDashboard(site);
    const evil = '<img src=x onerror="window.__pwned=1">';
    const evilError = '<img src=x onerror="window.__pwned=2"><script>window.__pwned=3</script>';
    const table = JSON.parse(JSON.stringify(reference)) as SweepResult;
    table.rows[0].name = evil;
    table.rows[1] = { index: 1, name: `${evil}-1`, params: table.rows[1].params, status: 'failed', error: evilError, wallSeconds: 0.1 };
    table.failed = [{ index: 1, name: `${evil}-1`, params: table.rows[1].params, error: evilError }];
    // Point 2 missing (a shard that never ran).
    const [gone] = table.rows.splice(2, 1);
    table.missing = [{ index: 2, name: gone.name, params: gone.params }];
    table.complete = false;
    const file = join(dir, 'evil.json');
    writeFileSync(file, JSON.stringify(table));
    await importFiles(page, file);
    expect(await text(page, '#status')).toMatch(/Imported evil\.json/);
    const tip0 = await hover(page, 0);
    expect(tip0).toContain(evil);
    const tip1 = await hover(page, 1);
    expect(tip1).toContain(evilError);
    expect(tip1).toMatch(/status: failed/);
    await clickPoint(page, 1);
    expect(await text(page, '#sweep-note')).toBe(`Point 1 (${evil}-1) failed: ${evilError}`);
    expect(await hover(page, 2)).toMatch(/status: missing/);
    await clickPoint(page, 2);
    expect(await text(page, '#sweep-note')).toMatch(/^Point 2 \(2-Jsd=0.2-state=singlet\) is missing: no shard wrote it/);
    expect(await text(page, '#summary')).toMatch(/2 of 4 done, 1 failed, 1 missing/);
    await openTable(page);
    const table0 = await chartText(page, 'tbody tr[data-index="0"]');
    expect(table0).toContain(evil);
    await new Promise((r) => setTimeout(r, 300));
    const found = await page.evaluate(() => {
      const all: Element[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      return { imgs: all.filter((e) => e.tagName === 'IMG').length, scripts: all.filter((e) => e.tagName === 'SCRIPT' && !e.hasAttribute('src') && /__pwned/.test(e.textContent ?? '')).length, pwned: (window as { __pwned?: number }).__pwned ?? null };
    });
    expect(found).toEqual({ imgs: 0, scripts: 0, pwned: null });
    await page.close();
  });
});
