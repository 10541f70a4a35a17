/**
 * Long chains and the presets in the dashboard, in headless Chromium (the
 * site built as `npm run build` builds it): an L = 16 result draws ⟨S_z,j⟩(t)
 * as a heat map with a colour bar, whose hover readout gives the site, time
 * and value of the cell under the pointer; the site picker and a click on the
 * map add sites as lines; a live run of the same chain (WebGPU, basis
 * "sector") draws the map; choosing a preset resets the status line, and the
 * chain-length preset shows its base, its lengths up to 64 and its predicted
 * time; a length study's header shows the L and t_end it used. No page may
 * throw.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../src/model/result.js';
import { simulate } from '../../src/simulate.js';
import { runStudy } from '../../src/studies/run-study.js';
import type { LengthResult } from '../../src/studies/study-result.js';
import { CHROMIUM } from '../helpers/browser.js';
import { expectSameRun } from '../helpers/result-checks.js';
import { inCI } from '../helpers/webgpu.js';
import { TOLERANCES } from '../tolerances.js';
import { browserWebGpu, click, drawnCharts, openDashboard as openPage, setField, startSite, text, waitForStatus, type DashboardSite } from './dashboard-browser.js';

const opened: Page[] = [];
async function openDashboard(site: DashboardSite, path?: string): Promise<Page> {
  const page = await openPage(site, path);
  opened.push(page);
  return page;
}
afterEach(() => {
  const errors = opened.flatMap((p) => (p as Page & { pageErrors?: string[] }).pageErrors ?? []);
  opened.length = 0;
  expect(errors, 'uncaught errors in the page').toEqual([]);
});

/** 16 local spins (above the 12 where the map replaces the lines); the packets reach the chain within t_end. */
const LONG = { N: 48, L: 16, basis: 'sector', tEnd: 16, dt: 0.5, state: 'T0', sigma: 2, d: 8, x2: 8 } as const;

const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('long chains in the dashboard — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

const gpu = CHROMIUM ? await browserWebGpu() : { available: false, detail: 'no Chromium' };
const itWebGpu = (name: string, fn: () => Promise<void>) => {
  if (gpu.available) return it(`${name} [${gpu.detail}]`, fn);
  if (inCI()) return it(name, () => {
    throw new Error(`no WebGPU adapter in Chromium: ${gpu.detail}. With CI set, the WebGPU dashboard tests must run, not skip.`);
  });
  console.warn(`${name} — SKIPPED: no WebGPU adapter in Chromium (${gpu.detail}); with CI=true this fails`);
  return it.skip(name, fn);
};

/** The cells of one CSV line (quoted cells hold commas; "" is a quote). */
function csvCells(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]));
}

/** Imports `result` as the Import button does (a file named `name`). */
async function importResult(page: Page, result: unknown, name: string): Promise<void> {
  await page.evaluate(async (json: string, n: string) => {
    await document.querySelector('spin-transfer-dashboard')!.importFiles([{ name: n, text: async () => json }]);
  }, JSON.stringify(result), name);
}

/** The ⟨S_z⟩ line chart's series: labels and values. */
async function szSeries(page: Page): Promise<{ label: string; values: (number | null)[] }[]> {
  return page.evaluate(() => {
    const view = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!;
    const chart = view.querySelector('st-line-chart[data-chart="sz"]') as HTMLElementTagNameMap['st-line-chart'];
    return chart.spec!.series.map((s) => ({ label: s.label, values: s.values }));
  });
}

/** A point of the S_z map's canvas, as a share of its width and height, in page coordinates. */
async function mapPoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  return page.evaluate((a: number, b: number) => {
    const view = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!;
    const map = view.querySelector('st-space-time-map[data-map="sz-map"]')!;
    map.scrollIntoView({ block: 'center' });
    const r = map.shadowRoot!.querySelector('canvas')!.getBoundingClientRect();
    return { x: r.left + a * r.width, y: r.top + b * r.height };
  }, fx, fy);
}

/** The S_z map's cell under a page point (its own hit test) and the readout shown. */
async function cellAndReadout(page: Page, p: { x: number; y: number }): Promise<{ cell?: { column: number; row: number }; readout: string }> {
  return page.evaluate((x: number, y: number) => {
    const view = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!;
    const map = view.querySelector('st-space-time-map[data-map="sz-map"]') as HTMLElementTagNameMap['st-space-time-map'];
    const r = map.canvas!.getBoundingClientRect();
    return { cell: map.cellAt(x - r.left, y - r.top), readout: map.shadowRoot!.querySelector('.readout')!.textContent!.trim() };
  }, p.x, p.y);
}

suite('long chains and presets in the dashboard (headless Chromium)', () => {
  let site: DashboardSite;
  let reference: SimulationResult;
  let lengthStudy: LengthResult;

  beforeAll(async () => {
    [site, reference, lengthStudy] = await Promise.all([
      startSite(),
      simulate(LONG, { backend: 'cpu', threads: 1 }),
      runStudy('length', { N: 30, sigma: 2, d: 6, dt: 0.5, basis: 'sector' }, { L: [2, 4], backend: 'cpu', threads: 1 }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await site?.close();
  });

  it('draws an imported L = 16 result\'s ⟨S_z,j⟩(t) as a heat map, n(x, t) as before, and only the chain total as a line', async () => {
    const page = await openDashboard(site);
    await importResult(page, reference, 'long.json');
    expect(await text(page, '#status')).toMatch(/Imported long\.json/);
    const charts = await drawnCharts(page);
    expect(charts.map((c) => c.id)).toEqual(['dsz', 'sz', 'prob', 'sz-map', 'density']);
    for (const c of charts) expect(c.inked, `chart ${c.id} is blank`).toBeGreaterThan(500);
    const series = await szSeries(page);
    expect(series.map((s) => s.label)).toEqual(['chain total S_z']);
    expect(series[0].values).toEqual(reference.Sz);
    // The legend holds the time and the total: two entries, not seventeen.
    const legend = await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!
      .querySelector('st-line-chart[data-chart="sz"]')!.shadowRoot!.querySelectorAll('.u-legend .u-series').length);
    expect(legend).toBe(2);
    await page.close();
  });

  it('reads out the site, the time and the value of the cell under the pointer', async () => {
    const page = await openDashboard(site);
    await importResult(page, reference, 'long.json');
    for (const [fx, fy] of [[0.3, 0.25], [0.5, 0.6]]) {
      const p = await mapPoint(page, fx, fy);
      await page.mouse.move(p.x, p.y);
      const { cell, readout } = await cellAndReadout(page, p);
      expect(cell, 'the point is on the map').toBeDefined();
      const { column, row } = cell!;
      const v = reference.SzSites[row][column];
      expect(readout).toBe(`j = ${column} (site ${LONG.N / 2 - LONG.L / 2 + column}) · t = ${reference.t[row]} fs · ⟨S_z,j⟩ (ħ) = ${Number(v.toPrecision(5))}`);
    }
    await page.close();
  });

  it('adds a site as a line from the picker and from a click on the map, removes it from its chip, and puts the map in the PNG', async () => {
    const page = await openDashboard(site);
    await importResult(page, reference, 'long.json');
    const picker = await page.$('spin-transfer-dashboard >>> st-result-view >>> #site-pick');
    await picker!.select('5');
    await click(page, 'st-result-view >>> #site-add');
    await page.waitForFunction(() => (document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!
      .querySelector('st-line-chart[data-chart="sz"]') as HTMLElementTagNameMap['st-line-chart']).spec!.series.length === 2);
    let series = await szSeries(page);
    expect(series.map((s) => s.label)).toEqual([`j=5 (site ${reference.config.spinStart + 5})`, 'chain total S_z (right axis)']);
    expect(series[0].values).toEqual(reference.SzSites.map((row) => row[5]));

    const p = await mapPoint(page, 0.2, 0.5);
    const { cell } = await cellAndReadout(page, p);
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction(() => (document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!
      .querySelector('st-line-chart[data-chart="sz"]') as HTMLElementTagNameMap['st-line-chart']).spec!.series.length === 3);
    series = await szSeries(page);
    expect(series[1].label).toBe(`j=${cell!.column} (site ${reference.config.spinStart + cell!.column})`);
    expect(series[1].values).toEqual(reference.SzSites.map((row) => row[cell!.column]));

    await click(page, 'st-result-view >>> .chip[data-site="5"] button');
    await page.waitForFunction(() => (document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!
      .querySelector('st-line-chart[data-chart="sz"]') as HTMLElementTagNameMap['st-line-chart']).spec!.series.length === 2);
    expect((await szSeries(page)).map((s) => s.label)[0]).toBe(`j=${cell!.column} (site ${reference.config.spinStart + cell!.column})`);

    const titles = await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.panels().map((p) => p.title));
    expect(titles).toEqual([
      expect.stringMatching(/^Spin transfer/), expect.stringMatching(/^Chain total S_z and 1 picked site/), expect.stringMatching(/^Local spins ⟨S_z,j⟩\(t\), j = 0 … 15/),
      expect.stringMatching(/^Spin-state probabilities/), expect.stringMatching(/^Electron density n\(x, t\); chain sites marked/),
    ]);
    await page.close();
  });

  it('exports what the long-chain view shows: the CSV has the lines drawn and ⟨S_z,j⟩ of every site, the PNG the map', async () => {
    const downloads = mkdtempSync(join(tmpdir(), 'spin-transfer-downloads-'));
    try {
      const page = await openDashboard(site);
      const cdp = await page.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      await importResult(page, reference, 'long.json');
      const picker = await page.$('spin-transfer-dashboard >>> st-result-view >>> #site-pick');
      await picker!.select('5');
      await click(page, 'st-result-view >>> #site-add');
      for (const id of ['#export-csv', '#export-png']) await click(page, id);
      const base = 'spin-transfer-T0-N48-L16';
      const ready = (f: string) => existsSync(join(downloads, f));
      for (let i = 0; i < 100 && !(ready(`${base}.csv`) && ready(`${base}.png`)); i++) await new Promise((r) => setTimeout(r, 100));
      const lines = readFileSync(join(downloads, `${base}.csv`), 'utf8').trim().split('\n');
      expect(lines[0]).toMatch(/Chain total S_z and 1 picked site/);
      const header = csvCells(lines[1]);
      const rows = lines.slice(2).map((l) => csvCells(l).map(Number));
      expect(rows).toHaveLength(reference.t.length);
      const label = (j: number) => `j=${j} (site ${reference.config.spinStart + j})`;
      // The picked line, and every site (the picked one again, its label prefixed by its chart's id).
      expect(header.filter((h) => h === label(5) || h === `sz: ${label(5)}`)).toHaveLength(2);
      for (let j = 0; j < 16; j++) {
        const col = header.map((h, i) => (h === label(j) || h === `sz: ${label(j)}` ? i : -1)).reduce((a, b) => Math.max(a, b));
        expect(col, `a column for ${label(j)}`).toBeGreaterThan(0);
        rows.forEach((r, k) => expect(r[col]).toBeCloseTo(reference.SzSites[k][j], 12));
      }
      expect(readFileSync(join(downloads, `${base}.png`)).subarray(1, 4).toString()).toBe('PNG');
      await page.close();
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  itWebGpu('runs the L = 16 chain live on webgpu (basis "sector"): the map draws, and the result is the Node engine\'s within 1e-4', async () => {
    const page = await openDashboard(site);
    const { result, partialRows } = await page.evaluate(async (config) => {
      const el = document.querySelector('spin-transfer-dashboard')!;
      el.backend = 'webgpu';
      el.config = config;
      // While it runs: the rows the S_z map holds at each progress report.
      const partialRows: number[] = [];
      el.addEventListener('run-progress', () => {
        const map = el.shadowRoot!.querySelector('st-result-view')!.shadowRoot!.querySelector('st-space-time-map[data-map="sz-map"]') as HTMLElementTagNameMap['st-space-time-map'] | null;
        if (map?.data) partialRows.push(map.data.values.length);
      });
      return { result: (await el.run()) as SimulationResult, partialRows };
    }, LONG as unknown as Record<string, unknown>);
    // The map filled in as the run went: some reports found it part-drawn.
    expect(partialRows.some((rows) => rows > 0 && rows < result.t.length), `rows of the map at the progress reports: ${partialRows.join(', ')}`).toBe(true);
    expect(result.backend).toBe('webgpu');
    expectSameRun(result, reference, TOLERANCES.webgpu);
    const charts = await drawnCharts(page);
    expect(charts.map((c) => c.id)).toEqual(['dsz', 'sz', 'prob', 'sz-map', 'density']);
    for (const c of charts) expect(c.inked, `chart ${c.id} is blank`).toBeGreaterThan(500);
    await page.close();
  });

  it('resets the status line on a preset change; Chain length sets its base, L up to 64 and shows its predicted time in the basis it will run', async () => {
    const page = await openDashboard(site);
    await importResult(page, reference, 'long.json');
    expect(await text(page, '#status')).toMatch(/Imported long\.json/);
    await click(page, '[data-preset="fig2a"]');
    expect(await text(page, '#status')).toBe('Ready.');
    expect(await waitForStatus(page, ['idle'])).toBe('idle');

    await click(page, '[data-preset="length"]');
    const form = await page.evaluate(() => {
      const root = document.querySelector('spin-transfer-dashboard')!.shadowRoot!;
      const f = root.querySelector('st-config-form')!.shadowRoot!;
      return {
        N: (f.querySelector('#f-N') as HTMLInputElement).value,
        sigma: (f.querySelector('#f-sigma') as HTMLInputElement).value,
        lengths: (root.querySelector('#chain-lengths') as HTMLInputElement).value,
        run: root.querySelector('#run')!.textContent!.trim(),
      };
    });
    expect(form).toEqual({ N: '100', sigma: '3', lengths: '4, 8, 16, 32, 64', run: 'Run Chain length' });
    expect(await text(page, '#status')).toBe('Ready.');
    // The imported config's basis is "sector": 20 runs, T- at L = 64 among them, predicted before anything runs.
    expect(await text(page, '#run-predicted')).toMatch(/^Predicted: about (\d+ min \d+ s|[\d.]+ s) here for 20 runs in basis "sector"/);
    const predicted = await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-config-form')!.shadowRoot!.querySelector('#predicted')!.textContent);
    expect(predicted).toMatch(/for 20 runs in basis "sector" .*Its largest run \(L=64, state=T-\) needs [0-9.]+ GiB\.$/);
    await page.close();
  });

  it('refuses a length study whose largest run would not fit in the tab before its first run, naming that run, and says so before Run is pressed', async () => {
    const page = await openDashboard(site);
    await importResult(page, reference, 'long.json');
    await click(page, '[data-preset="length"]');
    await setField(page, 'N', '400');
    await click(page, '#run');
    expect(await waitForStatus(page, ['error', 'running', 'done'])).toBe('error');
    expect(await text(page, '#status')).toMatch(/^Not run: point 18 \(L=64, state=T-\): the state does not fit in memory: N = 400, L = 64 gives 343200000 amplitudes in basis "sector"/);
    // The estimate said so before Run was pressed.
    expect(await text(page, '#run-predicted')).toBeNull();
    expect(await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-config-form')!.shadowRoot!.querySelector('#predicted')!.textContent))
      .toMatch(/^The study cannot run: point 18 \(L=64, state=T-\): the state does not fit in memory/);
    // Nothing went to the worker: no backend was chosen.
    expect(await text(page, '#backend-reason')).toBeNull();
    await page.close();
  });

  it('heads a length study with the L it ran and the t_end it set per L, not the base config\'s', async () => {
    const page = await openDashboard(site);
    await importResult(page, lengthStudy, 'length.json');
    const tEnds = lengthStudy.geometry.map((g) => g.tEnd);
    expect(tEnds[0]).not.toBe(tEnds[1]);
    expect(await text(page, '#study-geometry')).toBe(`N = 30, L = 2, 4, t_end = ${Math.min(...tEnds)} … ${Math.max(...tEnds)} fs (per L, when the pair has crossed the chain)`);
    await page.close();
  });
});
