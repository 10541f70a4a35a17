// The dashboard's sweep helpers in Node: the sweep field (parse, check, estimate,
// warnings), the import of sweep.json and point files (refusals of malformed or
// inconsistent files), and the figure's model and geometry (each mark tied to its point).
import { describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../src/model/result.js';
import { gridParams } from '../../src/sweeps/grid.js';
import { runSweep, type SweepResult } from '../../src/sweeps/run-sweep.js';
import { parseImportJson } from '../../src/dashboard/import-result.js';
import {
  checkSweepForm, estimateSweep, gridLines, MAX_DASHBOARD_POINTS, runMatvecs, WARN_POINTS, WARN_SECONDS,
} from '../../src/dashboard/sweep-form.js';
import { parsePointObject, parseSweepJson, parseSweepObject, pointMismatch } from '../../src/dashboard/sweep-import.js';
import { hitTest, plotGeometry, sweepPlotModel } from '../../src/dashboard/sweep-plot.js';
import { simulate } from '../../src/simulate.js';

const TINY = { N: 12, L: 2, x2: 3, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5 };

describe('the sweep field', () => {
  it('reads one or two KEY=VALUES lines over the form config into a checked plan', () => {
    const c = checkSweepForm('Jsd=0.1,0.2\n\nstate=singlet,T0\n', TINY);
    expect(c.errors).toEqual([]);
    expect(c.plan!.points).toHaveLength(4);
    expect(c.plan!.points.map((p) => p.params)).toEqual([
      { Jsd: 0.1, state: 'singlet' }, { Jsd: 0.1, state: 'T0' }, { Jsd: 0.2, state: 'singlet' }, { Jsd: 0.2, state: 'T0' },
    ]);
    expect(c.plan!.points[3].config).toMatchObject({ ...TINY, Jsd: 0.2, state: 'T0' });
    expect(gridLines(c.grid!)).toBe('Jsd=0.1,0.2\nstate=singlet,T0');
    expect(checkSweepForm('d=2:4:3', TINY).plan!.points.map((p) => p.params.d)).toEqual([2, 3, 4]);
  });

  it('names the line, the key, the value and the allowed range of a bad line', () => {
    const bad = checkSweepForm('Jsd=0.1,abc\nstate=0:1:3', TINY);
    expect(bad.plan).toBeUndefined();
    expect(bad.key).toBe('Jsd');
    expect(bad.errors[0]).toMatch(/^line 1: Jsd = "abc" is not allowed; allowed: a comma-separated list of finite numbers/);
    expect(bad.errors[1]).toMatch(/^line 2: state = "0:1:3" is not allowed; allowed: a comma-separated list of names/);
    expect(checkSweepForm('Jsdd=1,2', TINY).errors[0]).toMatch(/Jsdd .*allowed: a run-config key/);
    expect(checkSweepForm('', TINY).errors[0]).toMatch(/one or two lines KEY=VALUES/);
    expect(checkSweepForm('Jsd=1\nJsd=2', TINY).errors[0]).toMatch(/Jsd is swept twice/);
    expect(checkSweepForm('Jsd=1\nd=2\nke=1', TINY).errors.at(-1)).toMatch(/at most 2 keys/);
  });

  it('refuses a point out of range naming the point, and a sweep too big for a tab', () => {
    const c = checkSweepForm('sigma=1,-1', TINY);
    expect(c.key).toBe('sigma');
    expect(c.errors[0]).toMatch(/^point 1 \(sigma=-1\): sigma = -1 is not allowed; allowed: number in \[0\.1, 1000000\]/);
    const big = checkSweepForm(`Jsd=0:1:${MAX_DASHBOARD_POINTS + 1}`, TINY);
    expect(big.errors[0]).toMatch(/dashboard runs at most 400.*CLI/);
  });

  it('estimates the time from the state sizes and the Chebyshev terms, and warns above the point count or the time', async () => {
    const small = estimateSweep(checkSweepForm('Jsd=0.1,0.2', TINY).plan!);
    expect(small.warnings).toEqual([]);
    expect(small.basis).toBe('default');
    // The terms counted are the ones the propagator applies.
    const r = await simulate({ ...TINY }, { backend: 'cpu', threads: 1 });
    expect(runMatvecs(r.config)).toBe(r.timing.matvecs);

    const many = estimateSweep(checkSweepForm(`Jsd=0.01:0.3:${WARN_POINTS + 1}`, TINY).plan!);
    expect(many.warnings).toEqual([`${WARN_POINTS + 1} points (more than ${WARN_POINTS})`]);

    // Four paper-size points (the paper's default run in the full basis): few, but long.
    const paper = estimateSweep(checkSweepForm('Jsd=0.1,0.2,0.3,0.4', { basis: 'full' }).plan!);
    // Basis "auto" is estimated in the sector it takes, 10.7 times smaller: no warning.
    const auto = estimateSweep(checkSweepForm('Jsd=0.1,0.2,0.3,0.4', {}).plan!);
    expect(auto.seconds).toBeLessThan(paper.seconds / 5);
    expect(auto.warnings).toEqual([]);
    expect(paper.seconds).toBeGreaterThan(WARN_SECONDS);
    expect(paper.warnings).toHaveLength(1);
    expect(paper.warnings[0]).toMatch(/^about \d+ min predicted \(more than 3 min\)$/);
    // A run measured here sets the cost per amplitude-term (20 ns rather than the default 25 ns); one too small to measure does not.
    const measured = estimateSweep(checkSweepForm('Jsd=0.1,0.2,0.3,0.4', { basis: 'full' }).plan!, { seconds: 2, matvecs: 1e4, dim: 1e4 });
    expect(measured.basis).toBe('measured');
    expect(measured.seconds).toBeLessThan(paper.seconds);
    expect(estimateSweep(checkSweepForm('Jsd=0.1', {}).plan!, { seconds: 2, matvecs: 10, dim: 100 }).basis).toBe('default');
    expect(measured.nsPerAmplitudeTerm).toBeCloseTo(20, 6);
  });
});

async function tinySweep(grid: Record<string, (number | string)[]>) {
  const points = new Map<number, { point: { index: number; name: string; params: Record<string, number | string> }; result?: SimulationResult }>();
  const table = await runSweep({ base: TINY, grid }, { backend: 'cpu', threads: 1, onPointDone: (point, _row, result) => points.set(point.index, { point, result }) });
  return { table, points };
}

function pointFile(table: SweepResult, p: { point: { index: number; name: string; params: Record<string, number | string> }; result?: SimulationResult }) {
  const row = table.rows.find((r) => r.index === p.point.index)!;
  return { kind: 'spin-transfer sweep point', sweep: table.sweep, index: p.point.index, name: p.point.name, params: p.point.params, config: p.result?.config, row, result: p.result };
}

describe('importing a sweep', () => {
  it('reads a sweep.json and its point files as the CLI writes them, and refuses a point of another sweep', async () => {
    const { table, points } = await tinySweep({ Jsd: [0.1, 0.2], state: ['singlet', 'T0'] });
    const text = `${JSON.stringify(table, null, 1)}\n`;
    const read = parseSweepJson(text);
    expect(read).toEqual(table);
    const imported = parseImportJson(text);
    expect(imported.kind).toBe('sweep');
    const pf = parseImportJson(JSON.stringify(pointFile(table, points.get(2)!)));
    expect(pf.kind).toBe('point');
    const point = (pf as { point: ReturnType<typeof parsePointObject> }).point;
    expect(point.result!.deltaSigmaZ).toEqual(points.get(2)!.result!.deltaSigmaZ);
    expect(pointMismatch(read, point)).toBeUndefined();
    expect(pointMismatch({ ...read, sweep: 'another' }, point)).toMatch(/belongs to sweep/);
    expect(pointMismatch(read, { ...point, index: 1 })).toMatch(/not those of point 1/);
  });

  it('refuses malformed, truncated or inconsistent files with a message', async () => {
    const { table } = await tinySweep({ Jsd: [0.1, 0.2, 0.3] });
    const good = JSON.parse(JSON.stringify(table));
    const bad = (mutate: (o: Record<string, any>) => void) => {
      const o = JSON.parse(JSON.stringify(good));
      mutate(o);
      return () => parseSweepObject(o);
    };
    expect(() => parseSweepJson(JSON.stringify(table).slice(0, 200))).toThrow(/not JSON/);
    expect(() => parseSweepObject([])).toThrow(/a sweep.json is a JSON object/);
    expect(bad((o) => (o.kind = 'x'))).toThrow(/"kind" must be "spin-transfer sweep"/);
    expect(bad((o) => (o.points = 4))).toThrow(/"points" is 4, the grid has 3/);
    expect(bad((o) => (o.grid = { Jsd: 'x' }))).toThrow(/not a valid sweep.json: .*Jsd/);
    expect(bad((o) => (o.grid = { nope: [1] }))).toThrow(/nope/);
    expect(bad((o) => (o.rows[0].finalDeltaSigmaZ = 'big'))).toThrow(/rows\[0\]\.finalDeltaSigmaZ must be a finite number/);
    expect(bad((o) => (o.rows[1].index = 7))).toThrow(/rows\[1\]\.index must be an integer 0 … 2/);
    expect(bad((o) => (o.rows[1].params = { Jsd: 0.3 }))).toThrow(/not the grid's parameters/);
    expect(bad((o) => (o.rows[1].params = { Jsd: 0.2, extra: 1 }))).toThrow(/not the grid's parameters/);
    expect(bad((o) => o.rows.pop())).toThrow(/"missing" lists 0 points, the rows leave 1/);
    expect(bad((o) => (o.rows[0].status = 'maybe'))).toThrow(/status must be "done" or "failed"/);
    expect(bad((o) => (o.rows[0].name = 42))).toThrow(/name must be a string/);
    expect(bad((o) => (o.complete = false))).toThrow(/"complete" is false/);
    expect(bad((o) => delete o.rows)).toThrow(/"rows" must be an array/);
    expect(bad((o) => (o.base = { N: -3 }))).toThrow(/"N" = -3/);
    // Rows from the file are rebuilt: unknown fields are not carried.
    const extra = parseSweepObject({ ...good, rows: good.rows.map((r: object) => ({ ...r, onclick: 'x' })) });
    expect(Object.keys(extra.rows[0])).not.toContain('onclick');
  });

  it('keeps strange strings (names, errors) as they are: they are shown as text', async () => {
    const { table } = await tinySweep({ Jsd: [0.1, 0.2] });
    const o = JSON.parse(JSON.stringify(table));
    o.rows[0].name = '<img src=x onerror=alert(1)>';
    o.rows[1] = { index: 1, name: 'b', params: { Jsd: 0.2 }, status: 'failed', error: '<script>alert(2)</script>', wallSeconds: 0.1 };
    o.failed = [{ index: 1, name: 'b', params: { Jsd: 0.2 }, error: '<script>alert(2)</script>' }];
    o.complete = false;
    const read = parseSweepObject(o);
    expect(read.rows[0].name).toBe('<img src=x onerror=alert(1)>');
    expect(read.failed[0].error).toBe('<script>alert(2)</script>');
  });

  it('refuses a point file that is malformed or whose result is not a run', async () => {
    const { table, points } = await tinySweep({ Jsd: [0.1] });
    const file = pointFile(table, points.get(0)!);
    const parse = (o: unknown) => parsePointObject(o, () => { throw new Error('no result here'); });
    expect(() => parse({ ...file, kind: 'x' })).toThrow(/"kind" must be "spin-transfer sweep point"/);
    expect(() => parse({ ...file, index: -1 })).toThrow(/"index" must be an integer/);
    expect(() => parse({ ...file, row: { ...file.row, index: 3 } })).toThrow(/"row.index" is 3/);
    expect(() => parse(file)).toThrow(/"result": no result here/);
    expect(() => parseImportJson(JSON.stringify({ ...file, result: { t: [1] } }))).toThrow(/not a valid sweep point file: "result"/);
  });
});

describe('the sweep figure', () => {
  const table = (grid: Record<string, (number | string)[]>, done: (i: number) => 'done' | 'failed' | 'none' = () => 'done'): SweepResult => {
    const params = gridParams(grid);
    const rows = params.flatMap((p, index) => {
      const d = done(index);
      if (d === 'none') return [];
      return [d === 'done'
        ? { index, name: `p${index}`, params: p, status: 'done' as const, finalDeltaSigmaZ: index / 10, wallSeconds: 0 }
        : { index, name: `p${index}`, params: p, status: 'failed' as const, error: 'boom', wallSeconds: 0 }];
    });
    return {
      kind: 'spin-transfer sweep', sweep: 'abc', base: {}, grid, mode: 'product', points: params.length, complete: rows.length === params.length,
      backend: 'cpu', precision: 'f64', rows,
      missing: params.map((p, index) => ({ index, name: `p${index}`, params: p })).filter((m) => !rows.some((r) => r.index === m.index)),
      failed: rows.filter((r) => r.status === 'failed').map((r) => ({ index: r.index, name: r.name, params: r.params, error: 'boom' })),
    };
  };

  it('ties every mark to its point: one curve per state, whichever key comes first', () => {
    for (const grid of [{ state: ['singlet', 'T0'], Jsd: [0.1, 0.2, 0.3] }, { Jsd: [0.1, 0.2, 0.3], state: ['singlet', 'T0'] }]) {
      const m = sweepPlotModel(table(grid));
      expect(m.figure.kind).toBe('lines');
      const fig = m.figure as Extract<typeof m.figure, { kind: 'lines' }>;
      expect(fig.series.map((s) => s.name)).toEqual(['singlet', 'T0']);
      for (const [si, s] of fig.series.entries()) {
        s.marks.forEach((mark, k) => expect(m.points[mark.index].params).toEqual({ ...(grid.state === undefined ? {} : {}), Jsd: grid.Jsd[k], state: grid.state[si] }));
      }
    }
  });

  it('a heatmap over two keys: cells placed, hit-tested, failed and missing points kept', () => {
    const m = sweepPlotModel(table({ Jsd: [0.1, 0.2, 0.3], ke: [0.5, 1] }, (i) => (i === 1 ? 'failed' : i === 4 ? 'none' : 'done')));
    expect(m.figure.kind).toBe('heatmap');
    expect(m.points.map((p) => p.status)).toEqual(['done', 'failed', 'done', 'done', 'missing', 'done']);
    expect(m.points[1].error).toBe('boom');
    const g = plotGeometry(m, 600, 340);
    expect(g.marks.size).toBe(6);
    for (const [index, mark] of g.marks) expect(hitTest(g, mark.x, mark.y)).toBe(index);
    // First key along x, the second up: point 1 (Jsd 0.1, ke 1) sits above point 0 (Jsd 0.1, ke 0.5).
    expect(g.marks.get(1)!.y).toBeLessThan(g.marks.get(0)!.y);
    expect(g.marks.get(2)!.x).toBeGreaterThan(g.marks.get(0)!.x);
    expect(g.range).toEqual({ lo: 0, hi: 0.5 });
    expect(hitTest(g, 1, 1)).toBeUndefined();
  });

  it('one key: a curve; points without a value sit on the bottom strip; a live sweep marks running and queued points', () => {
    const m = sweepPlotModel(table({ d: [10, 20, 30] }, (i) => (i === 2 ? 'none' : 'done')), { running: 2 });
    expect(m.points.map((p) => p.status)).toEqual(['done', 'done', 'running']);
    const g = plotGeometry(m, 500, 300);
    expect(g.marks.get(2)!.y).toBeGreaterThan(g.marks.get(0)!.y);
    for (const [index, mark] of g.marks) expect(hitTest(g, mark.x + 3, mark.y - 3)).toBe(index);
    expect(sweepPlotModel(table({ Jsd: [1], ke: [1], d: [1] })).figure.kind).toBe('none');
  });
});
