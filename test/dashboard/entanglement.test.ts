/**
 * The entanglement view in headless Chromium (the site built as `npm run
 * build` builds it): a run with `entanglement` set through the form on the
 * cpu backend draws the concurrence and the chain entropy while it goes and
 * when done, equal to the Node CPU engine's within 1e-10; a result the CLI
 * wrote with a final-time entropy draws it as an annotated marker with its
 * note, and a long chain's correlations as a map; a result without the
 * observables draws none of it; WebGPU refuses the key with a message naming
 * it, and the page runs on afterwards. No page may throw.
 */

import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { Page } from 'puppeteer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { SimulationResult } from '../../src/model/result.js';
import { simulate } from '../../src/simulate.js';
import { CHROMIUM } from '../helpers/browser.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectSameRun } from '../helpers/result-checks.js';
import { inCI } from '../helpers/webgpu.js';
import { CONCURRENCE_CONSISTENCY, TOLERANCES } from '../tolerances.js';
import {
  browserWebGpu, chooseBackend, click, drawnCharts, openDashboard as openPage, setField, startSite, text, waitForStatus, type DashboardSite,
} from './dashboard-browser.js';

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

/** A singlet over 4 local spins, long enough (about 1.5 s) for the page to draw partial series. */
const LIVE = { N: 80, L: 4, tEnd: 40, dt: 0.5 };
/** T− over 8 local spins in the sector: the run gives the chain entropy at the final time only, and says why. */
const FINAL = { N: 20, L: 8, state: 'T-', basis: 'sector', tEnd: 2, dt: 0.5, sigma: 2, d: 6, x2: 6, entanglement: true };
/** 14 local spins (above the 12 where maps replace lines). */
const LONG = { N: 30, L: 14, basis: 'sector', state: 'T0', tEnd: 2, dt: 0.5, sigma: 2, d: 6, x2: 6, entanglement: true };

const suite = CHROMIUM || inCI() ? describe : describe.skip;
if (!CHROMIUM && !inCI()) console.warn('entanglement in the dashboard — SKIPPED: no Chromium found (apt-get install chromium); with CI=true this fails');

const gpu = CHROMIUM ? await browserWebGpu() : { available: false, detail: 'no Chromium' };
const itWebGpu = (name: string, fn: () => Promise<void>) => {
  if (gpu.available) return it(`${name} [${gpu.detail}]`, fn);
  if (inCI()) return it(name, () => {
    throw new Error(`no WebGPU adapter in Chromium: ${gpu.detail}. With CI set, the WebGPU dashboard tests must run, not skip.`);
  });
  console.warn(`${name} — SKIPPED: no WebGPU adapter in Chromium (${gpu.detail}); with CI=true this fails`);
  return it.skip(name, fn);
};

/** Writes `config` as `spin-transfer run CONFIG.json --backend cpu --out RESULT.json` does, and reads the result back. */
async function cliRun(dir: string, name: string, config: object): Promise<SimulationResult> {
  const quiet = () => new Writable({ write: (_c, _e, done) => done() });
  writeFileSync(join(dir, `${name}-config.json`), JSON.stringify(config));
  const code = await main(
    ['run', join(dir, `${name}-config.json`), '--backend', 'cpu', '--threads', '1', '--out', join(dir, `${name}.json`), '-q'],
    { stdin: Readable.from(['']), stdout: quiet(), stderr: quiet(), signals: new EventEmitter() },
  );
  expect(code, `the CLI run of ${name}`).toBe(0);
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as SimulationResult;
}

/** The cells of one CSV line (quoted cells hold commas; "" is a quote). */
function csvCells(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]));
}

async function importResult(page: Page, result: unknown, name: string): Promise<void> {
  await page.evaluate(async (json: string, n: string) => {
    await document.querySelector('spin-transfer-dashboard')!.importFiles([{ name: n, text: async () => json }]);
  }, JSON.stringify(result), name);
}

/** A line chart's spec as drawn: title, note and series. */
async function chartSpec(page: Page, id: string): Promise<{ title: string; note?: string; noteShown?: string; series: { label: string; values: (number | null)[]; annotate?: string }[] } | null> {
  return page.evaluate((chartId: string) => {
    const view = document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!;
    const chart = view.querySelector(`st-line-chart[data-chart="${chartId}"]`) as HTMLElementTagNameMap['st-line-chart'] | null;
    if (!chart?.spec) return null;
    const s = chart.spec;
    return {
      title: s.title, note: s.note, noteShown: chart.shadowRoot!.querySelector('.note')?.textContent ?? undefined,
      series: s.series.map((x) => ({ label: x.label, values: x.values, annotate: x.annotate })),
    };
  }, id);
}

suite('entanglement in the dashboard (headless Chromium)', () => {
  let site: DashboardSite;
  let dir: string;
  let reference: SimulationResult, final: SimulationResult, long: SimulationResult, plain: SimulationResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spin-transfer-entanglement-'));
    [site, reference, final, long, plain] = await Promise.all([
      startSite(),
      simulate({ ...LIVE, entanglement: true }, { backend: 'cpu' }),
      cliRun(dir, 'final', FINAL),
      cliRun(dir, 'long', LONG),
      cliRun(dir, 'plain', { ...FINAL, entanglement: false }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await site?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs entanglement on cpu through the form: drawn while it goes and when done, the Node CPU engine\'s within 1e-10 (the concurrence near 1 within 1e-7)', async () => {
    const page = await openDashboard(site);
    for (const [key, value] of Object.entries(LIVE)) await setField(page, key, String(value));
    await page.select('spin-transfer-dashboard >>> st-config-form >>> #f-entanglement', 'true');
    await chooseBackend(page, 'cpu');
    await click(page, '#run');
    // A partial result: the concurrence filled in up to the time reached, the rest of the run still empty.
    const drawnSoFar = await page.waitForFunction(() => {
      const dash = document.querySelector('spin-transfer-dashboard')!;
      if (dash.shadowRoot!.querySelector('#status')?.getAttribute('data-status') !== 'running') return false;
      const chart = dash.shadowRoot!.querySelector('st-result-view')?.shadowRoot!.querySelector('st-line-chart[data-chart="entanglement"]') as HTMLElementTagNameMap['st-line-chart'] | null;
      const values = chart?.spec?.series[0].values;
      return values && values[0] !== null && values.at(-1) === null ? values.filter((v) => v !== null).length : false;
    }, { timeout: 60_000, polling: 20 });
    const rowsSoFar = (await drawnSoFar.jsonValue()) as number;
    expect(rowsSoFar).toBeGreaterThan(0);
    expect(rowsSoFar).toBeLessThan(reference.t.length);
    expect(await waitForStatus(page, ['done', 'error'])).toBe('done');

    const r = (await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result)) as SimulationResult;
    expect(r.config).toEqual(reference.config);
    // "auto" takes the antisymmetric basis for two electrons on the CPU, entanglement included (model/entanglement.ts counts each kept block's partner)
    expect(r.config.basis).toBe('antisymmetric');
    expectSameRun(r, reference, TOLERANCES.cpu);
    const e = r.entanglement!, ref = reference.entanglement!;
    expect(e.chainEntropyTimes).toEqual(ref.chainEntropyTimes);
    // Within 1e-10 but where C is near 1 (Wootters' √ of vanishing eigenvalues): tolerances.ts, CONCURRENCE_CONSISTENCY.
    expectClose(e.concurrence!, ref.concurrence!, { ...CONCURRENCE_CONSISTENCY, label: 'concurrence' });
    const wellConditioned = ref.concurrence!.map((c, k) => (c < 0.99 ? k : -1)).filter((k) => k >= 0);
    expect(wellConditioned.length).toBeGreaterThan(10);
    expectClose(wellConditioned.map((k) => e.concurrence![k]), wellConditioned.map((k) => ref.concurrence![k]), { ...TOLERANCES.cpu, label: 'concurrence below 0.99' });
    expectClose(e.chainEntropy, ref.chainEntropy, { ...TOLERANCES.cpu, label: 'chain entropy' });
    expectClose(e.szCorrelations, ref.szCorrelations, { ...TOLERANCES.cpu, label: 'S_z S_z correlations' });
    expect(Math.max(...ref.concurrence!)).toBeGreaterThan(0.1);

    const charts = await drawnCharts(page);
    expect(charts.map((c) => c.id)).toEqual(['dsz', 'sz', 'prob', 'entanglement', 'szz', 'density']);
    for (const c of charts) expect(c.inked, `chart ${c.id} is blank`).toBeGreaterThan(500);
    const chart = (await chartSpec(page, 'entanglement'))!;
    expect(chart.series.map((s) => s.label)).toEqual(['pair concurrence C', 'chain entropy S (right axis)']);
    expect(chart.series[0].values).toEqual(e.concurrence);
    expect(chart.series[1].values).toEqual(e.chainEntropy);
    const szz = (await chartSpec(page, 'szz'))!;
    expect(szz.series).toHaveLength(3);
    szz.series.forEach((s, j) => expect(s.values).toEqual(e.szCorrelations.map((row) => row[j])));
    await page.close();
  });

  it('draws a CLI result\'s final-time entropy as an annotated marker, with the note the result carries', async () => {
    expect(final.entanglement!.note).toMatch(/final time only/);
    const page = await openDashboard(site);
    await importResult(page, final, 'final.json');
    expect(await text(page, '#status')).toMatch(/Imported final\.json/);
    const charts = await drawnCharts(page);
    expect(charts.map((c) => c.id)).toEqual(['dsz', 'sz', 'prob', 'entanglement', 'szz', 'density']);
    for (const c of charts) expect(c.inked, `chart ${c.id} is blank`).toBeGreaterThan(500);
    const chart = (await chartSpec(page, 'entanglement'))!;
    const S = final.entanglement!.chainEntropy[0];
    expect(chart.series[0].values).toEqual(final.entanglement!.concurrence);
    expect(chart.series[1].values).toEqual([null, null, null, null, S]);
    expect(chart.series[1].annotate).toBe('S = ');
    expect(chart.title).toContain(`S(t = 2 fs) = ${Number(S.toPrecision(6))}`);
    expect(chart.noteShown).toBe(final.entanglement!.note);

    // The exports follow the view: the CSV has both columns (the entropy in the last row only) under the note, the PNG the chart.
    const downloads = mkdtempSync(join(tmpdir(), 'spin-transfer-downloads-'));
    try {
      const cdp = await page.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      for (const id of ['#export-csv', '#export-png']) await click(page, id);
      const base = join(downloads, 'spin-transfer-T--N20-L8');
      for (let i = 0; i < 100 && !(existsSync(`${base}.csv`) && existsSync(`${base}.png`)); i++) await new Promise((r) => setTimeout(r, 100));
      const lines = readFileSync(`${base}.csv`, 'utf8').trim().split('\n');
      expect(lines[0]).toContain(final.entanglement!.note!);
      const header = csvCells(lines[1]);
      const rows = lines.slice(2).map(csvCells);
      const c = header.indexOf('pair concurrence C'), s = header.indexOf('chain entropy S (right axis)');
      expect(rows.map((r) => Number(r[c]))).toEqual(final.entanglement!.concurrence);
      expect(rows.map((r) => r[s])).toEqual(['', '', '', '', String(S)]);
      expect(header).toContain(`j=6–7 (sites ${final.config.spinStart + 6}–${final.config.spinStart + 7})`);
      expect(readFileSync(`${base}.png`).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
    await page.close();
  });

  it('draws a long chain\'s neighbour correlations as a map over (bond, t), not as lines', async () => {
    const page = await openDashboard(site);
    await importResult(page, long, 'long.json');
    const charts = await drawnCharts(page);
    expect(charts.map((c) => c.id)).toEqual(['dsz', 'sz', 'prob', 'entanglement', 'sz-map', 'szz-map', 'density']);
    for (const c of charts) expect(c.inked, `chart ${c.id} is blank`).toBeGreaterThan(500);
    const values = await page.evaluate(() => (document.querySelector('spin-transfer-dashboard')!.shadowRoot!.querySelector('st-result-view')!.shadowRoot!
      .querySelector('st-space-time-map[data-map="szz-map"]') as HTMLElementTagNameMap['st-space-time-map']).data!.values);
    expect(values).toEqual(long.entanglement!.szCorrelations);
    await page.close();
  });

  it('draws nothing of it for a result without the observables', async () => {
    expect(plain.entanglement).toBeUndefined();
    const page = await openDashboard(site);
    await importResult(page, final, 'final.json');
    await importResult(page, plain, 'plain.json');
    expect((await drawnCharts(page)).map((c) => c.id)).toEqual(['dsz', 'sz', 'prob', 'density']);
    await page.close();
  });

  itWebGpu('runs entanglement on webgpu too (in the sector: its antisymmetric kernels hold the paper\'s terms only) and draws it, then on cpu', async () => {
    const page = await openDashboard(site);
    for (const [key, value] of Object.entries({ N: 12, L: 2, tEnd: 1, dt: 0.5 })) await setField(page, key, String(value));
    await page.select('spin-transfer-dashboard >>> st-config-form >>> #f-entanglement', 'true');
    await chooseBackend(page, 'webgpu');
    await click(page, '#run');
    expect(await waitForStatus(page, ['done', 'error'])).toBe('done');
    const r = (await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result)) as SimulationResult;
    expect(r.config.basis).toBe('sector');
    expect(r.entanglement!.concurrence!.length).toBe(r.t.length);
    expect((await drawnCharts(page)).map((c) => c.id)).toContain('entanglement');
    await chooseBackend(page, 'cpu');
    await click(page, '#run');
    expect(await waitForStatus(page, ['done', 'error'])).toBe('done');
    const c = (await page.evaluate(() => document.querySelector('spin-transfer-dashboard')!.result)) as SimulationResult;
    // f32 on the GPU against f64: the chain entropy and the correlations within the WebGPU tolerance.
    expectClose(r.entanglement!.chainEntropy, c.entanglement!.chainEntropy, { ...TOLERANCES.webgpu, label: 'chain entropy' });
    expectClose(r.entanglement!.szCorrelations.flat(), c.entanglement!.szCorrelations.flat(), { ...TOLERANCES.webgpu, label: 'S_z correlations' });
    expect((await drawnCharts(page)).map((x) => x.id)).toContain('entanglement');
    await page.close();
  });
});
