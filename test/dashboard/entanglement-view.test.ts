/**
 * The entanglement view's pure parts in Node: which charts and maps a result
 * with the entanglement observables shows (concurrence and chain entropy
 * against t, a final-time entropy as one annotated marker with the result's
 * note, the neighbour correlations as lines or, for a long chain, a map),
 * what the CSV holds, the series so far of a live run, and the import's
 * checks of the `entanglement` object. Nothing of it without the observables.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { entanglementChart, LONG_CHAIN_L, runCharts, runView, szCorrelationsChart } from '../../src/dashboard/chart-data.js';
import { chartsToCsv } from '../../src/dashboard/export.js';
import { parseResultJson } from '../../src/dashboard/import-result.js';
import { entanglementUpTo, watchReductions } from '../../src/dashboard/live-series.js';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import { parseRunConfig } from '../../src/model/config.js';
import type { EntanglementSeries } from '../../src/model/entanglement.js';
import type { SimulationResult } from '../../src/model/result.js';
import { simulate } from '../../src/simulate.js';

/** A short chain whose entropy is given at every output time. */
const EVERY = { N: 16, L: 3, tEnd: 2, dt: 0.5, sigma: 2, d: 6, x2: 4, entanglement: true };
/** T− on 8 local spins in the sector: one entropy costs about 15 H applications, so the run gives it at the final time only. */
const FINAL = { N: 20, L: 8, state: 'T-', basis: 'sector', tEnd: 2, dt: 0.5, sigma: 2, d: 6, x2: 6, entanglement: true };
/** One electron: the chain entropy only. */
const SINGLE = { N: 16, L: 3, state: 'single', tEnd: 2, dt: 0.5, sigma: 2, x2: 4, entanglement: true };
/** Above LONG_CHAIN_L: the correlations as a map. */
const LONG = { N: 30, L: 14, basis: 'sector', state: 'T0', tEnd: 1, dt: 0.5, sigma: 2, d: 6, x2: 6, entanglement: true };

let every: SimulationResult, final: SimulationResult, single: SimulationResult, long: SimulationResult, plain: SimulationResult;
beforeAll(async () => {
  [every, final, single, long, plain] = await Promise.all([EVERY, FINAL, SINGLE, LONG, { ...EVERY, entanglement: false }].map((c) => simulate(c, { backend: 'cpu', threads: 1 })));
}, 120_000);

/** The cells of one CSV line (quoted cells hold commas; "" is a quote). */
function csvCells(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]));
}

const byId = <T extends { id: string }>(charts: T[], id: string): T | undefined => charts.find((c) => c.id === id);

describe('the entanglement chart', () => {
  it('draws the concurrence and, on the right axis, the entropy at every output time, as the result holds them', () => {
    const e = every.entanglement!;
    expect(e.note).toBeUndefined();
    const chart = entanglementChart(every)!;
    expect(chart.x).toEqual(every.t);
    expect(chart.series.map((s) => s.label)).toEqual(['pair concurrence C', 'chain entropy S (right axis)']);
    expect(chart.series[0].values).toEqual(e.concurrence);
    expect(chart.series[1].values).toEqual(e.chainEntropy);
    expect(chart.series[1].rightAxis).toBe(true);
    expect(chart.series[1].annotate).toBeUndefined();
    // C in [0, 1], S ≥ 0: both axes start at 0.
    expect(chart.yInclude).toEqual([0, 1]);
    expect(chart.y2Include).toEqual([0]);
    expect(chart.note).toBeUndefined();
    expect(Math.max(...e.chainEntropy)).toBeGreaterThan(0);
  });

  it('shows a final-time entropy as one annotated marker, its value in the title and the result\'s note under it', () => {
    const e = final.entanglement!;
    expect(e.chainEntropyTimes).toEqual([2]);
    expect(e.note).toMatch(/final time only/);
    const chart = entanglementChart(final)!;
    const S = chart.series[1];
    expect(S.values).toEqual([null, null, null, null, e.chainEntropy[0]]);
    expect(S).toMatchObject({ points: true, lineWidth: 0, annotate: 'S = ' });
    expect(chart.note).toBe(e.note);
    expect(chart.title).toContain(`S(t = 2 fs) = ${Number(e.chainEntropy[0].toPrecision(6))}`);
  });

  it('draws the entropy alone, on the left axis, for one electron', () => {
    expect(single.entanglement!.concurrence).toBeUndefined();
    const chart = entanglementChart(single)!;
    expect(chart.series.map((s) => s.label)).toEqual(['chain entropy S']);
    expect(chart.series[0].rightAxis).toBe(false);
    expect(chart.yLabel).toMatch(/entropy/);
    expect(chart.title).toMatch(/one electron/);
    expect(chart.yInclude).toEqual([0]);
  });

  it('is not drawn without the observables, nor are the correlations', () => {
    expect(plain.entanglement).toBeUndefined();
    expect(entanglementChart(plain)).toBeUndefined();
    expect(szCorrelationsChart(plain)).toBeUndefined();
    const v = runView(plain);
    expect(v.charts.map((c) => c.id)).toEqual(['dsz', 'sz', 'prob']);
    expect(v.maps.map((m) => m.id)).toEqual(['density']);
  });
});

describe('the neighbour correlations', () => {
  it('are one line per bond for a short chain, after the entanglement chart', () => {
    const v = runView(every);
    expect(v.charts.map((c) => c.id)).toEqual(['dsz', 'sz', 'prob', 'entanglement', 'szz']);
    const szz = byId(v.charts, 'szz')!;
    expect(szz.series.map((s) => s.label)).toEqual([`j=0–1 (sites ${every.config.spinStart}–${every.config.spinStart + 1})`, `j=1–2 (sites ${every.config.spinStart + 1}–${every.config.spinStart + 2})`]);
    szz.series.forEach((s, j) => expect(s.values).toEqual(every.entanglement!.szCorrelations.map((row) => row[j])));
  });

  it(`are a map over (bond, t) above L = ${LONG_CHAIN_L}, every bond in the CSV`, () => {
    const v = runView(long);
    expect(v.charts.map((c) => c.id)).toEqual(['dsz', 'sz', 'prob', 'entanglement']);
    expect(v.maps.map((m) => m.id)).toEqual(['sz-map', 'szz-map', 'density']);
    const map = v.maps[1];
    expect(map.columns).toBe(13);
    expect(map.values).toEqual(long.entanglement!.szCorrelations);
    expect(map.describeColumn(4)).toBe(`bond j = 4–5 (sites ${long.config.spinStart + 4}–${long.config.spinStart + 5})`);
    expect(v.csvOnly.map((c) => c.id)).toEqual(['sz', 'szz']);
    const csv = chartsToCsv([...v.charts, ...v.csvOnly]);
    const header = csv.split('\n')[1];
    expect(header).toContain('pair concurrence C');
    expect(header).toContain('j=12–13');
  });
});

describe('the CSV', () => {
  it('holds the concurrence and the entropy, a final-time entropy in the last row only, and the note in the table\'s heading', () => {
    const csv = chartsToCsv(runCharts(final));
    const lines = csv.split('\n');
    expect(lines[0]).toContain(final.entanglement!.note!);
    const header = csvCells(lines[1]);
    const c = header.indexOf('pair concurrence C'), s = header.indexOf('chain entropy S (right axis)');
    expect(c).toBeGreaterThan(0);
    const rows = lines.slice(2, 2 + final.t.length).map(csvCells);
    expect(rows.map((r) => Number(r[c]))).toEqual(final.entanglement!.concurrence);
    expect(rows.map((r) => r[s])).toEqual(['', '', '', '', String(final.entanglement!.chainEntropy[0])]);
  });
});

describe('a live run', () => {
  it('runs through the dashboard\'s watching wrapper, which keeps the backend\'s keys beyond the paper; its partial holds the series so far', async () => {
    const inner = createCpuBackend({ threads: 1 });
    try {
      const config = { ...EVERY, anisotropy: 0.05 };
      const watched = watchReductions({ ...parseRunConfig(config), basis: 'sector' }, inner);
      expect(watched.backend.extendedTerms).toBe(true);
      const seen: [number, number, number][] = [];
      let series: Readonly<EntanglementSeries> | undefined;
      const r = await simulate(config, {
        backend: watched.backend,
        outputsPerExpansion: 1,
        onEntanglement: (s) => (series = s),
        onProgress: () => {
          const p = watched.partial(0, series);
          seen.push([p.t.length, p.entanglement!.concurrence!.length, p.entanglement!.chainEntropy.length]);
        },
      });
      expect(seen).toEqual([2, 3, 4, 5].map((n) => [n, n, n]));
      expect(watched.partial(0, series).entanglement).toEqual(r.entanglement);
    } finally {
      await inner.dispose();
    }
  });

  it('takes the series of the output times reached, copied', () => {
    const e = every.entanglement!;
    const part = entanglementUpTo(e, every.t, 2);
    expect(part.concurrence).toEqual(e.concurrence!.slice(0, 2));
    expect(part.chainEntropy).toEqual(e.chainEntropy.slice(0, 2));
    expect(part.chainEntropyTimes).toEqual([0, 0.5]);
    expect(part.szCorrelations).toEqual(e.szCorrelations.slice(0, 2));
    expect(part.concurrence).not.toBe(e.concurrence);
    // A final-time entropy is not there before the final time.
    const f = entanglementUpTo(final.entanglement!, final.t, 3);
    expect(f.chainEntropy).toEqual([]);
    expect(f.note).toBe(final.entanglement!.note);
  });

  it('pads the chart to the whole run while it fills in', () => {
    const rows = 2;
    const partial: SimulationResult = {
      ...every, t: every.t.slice(0, rows), SzSites: every.SzSites.slice(0, rows), Sz: every.Sz.slice(0, rows), deltaSigmaZ: every.deltaSigmaZ.slice(0, rows),
      entanglement: entanglementUpTo(every.entanglement!, every.t, rows),
    };
    const chart = entanglementChart(partial)!;
    expect(chart.x).toEqual(every.t);
    expect(chart.series[0].values).toEqual([...every.entanglement!.concurrence!.slice(0, rows), null, null, null]);
    expect(chart.series[1].values).toEqual([...every.entanglement!.chainEntropy.slice(0, rows), null, null, null]);
    // One electron whose entropy comes at the final time only: nothing to draw yet.
    expect(entanglementChart({ ...partial, entanglement: { chainEntropy: [], chainEntropyTimes: [], szCorrelations: [], note: 'final time only' } })).toBeUndefined();
  });
});

describe('importing a result with the entanglement observables', () => {
  const refused = (r: SimulationResult, mutate: (e: Record<string, unknown>) => void, message: RegExp) => {
    const o = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
    mutate(o.entanglement as Record<string, unknown>);
    expect(() => parseResultJson(JSON.stringify(o))).toThrow(message);
  };

  it('reads them back as written', () => {
    for (const r of [every, final, single, long]) expect(parseResultJson(JSON.stringify(r))).toEqual(r);
  });

  it.each([
    ['a short concurrence', (e: Record<string, unknown>) => (e.concurrence = [0.1]), /"entanglement.concurrence" has 1 entries, "t" has 5/],
    ['a concurrence of strings', (e: Record<string, unknown>) => (e.concurrence = ['a', 0, 0, 0, 0]), /"entanglement.concurrence" must be an array of numbers/],
    ['an entropy without its times', (e: Record<string, unknown>) => (e.chainEntropyTimes = [0]), /"entanglement.chainEntropy" has 5 entries, "entanglement.chainEntropyTimes" has 1/],
    ['an entropy at a time that is not an output time', (e: Record<string, unknown>) => ((e.chainEntropyTimes as number[])[2] = 0.7), /"entanglement.chainEntropyTimes\[2\]" = 0.7 is not an output time/],
    ['the entropy missing', (e: Record<string, unknown>) => delete e.chainEntropy, /"entanglement.chainEntropy" must be an array of numbers/],
    ['a correlation row too short', (e: Record<string, unknown>) => ((e.szCorrelations as number[][])[3] = [0]), /"entanglement.szCorrelations\[3\]" must be an array of 2 numbers/],
    ['correlations missing a row', (e: Record<string, unknown>) => (e.szCorrelations as unknown[]).pop(), /"entanglement.szCorrelations" must hold one row per output time \(5\)/],
    ['a note that is not a string', (e: Record<string, unknown>) => (e.note = { html: '<b>' }), /"entanglement.note" must be a string/],
  ])('refuses %s, naming the key', (_, mutate, message) => {
    refused(every, mutate, message);
  });

  it('refuses an entanglement that is not an object', () => {
    const o = { ...JSON.parse(JSON.stringify(every)), entanglement: [1, 2] };
    expect(() => parseResultJson(JSON.stringify(o))).toThrow(/"entanglement" must be an object/);
  });

  it('keeps only the checked fields', () => {
    const o = JSON.parse(JSON.stringify(final)) as SimulationResult;
    (o.entanglement as unknown as Record<string, unknown>).extra = '<script>';
    expect((parseResultJson(JSON.stringify(o)) as SimulationResult).entanglement).toEqual(final.entanglement);
  });
});
