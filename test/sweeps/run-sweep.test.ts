// runSweep() from the library: its rows are the runs' own numbers, shards
// together give the whole table, a store resumes finished points, a failed
// point is recorded and named, progress covers the sweep, and a cancel stops it.
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CancelledError, type PropagationBackend } from '../../src/backends/backend.js';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import type { SimulationResult } from '../../src/model/result.js';
import { simulate } from '../../src/simulate.js';
import type { StudyProgress } from '../../src/studies/jobs.js';
import type { SweepPoint } from '../../src/sweeps/grid.js';
import { assembleSweep, planSweep, runSweep, type SweepRow, type SweepStore } from '../../src/sweeps/run-sweep.js';
import { comparable } from '../helpers/sweep-rows.js';
import { sweepCsv, sweepFigure, sweepFigurePng, sweepFigureSvg } from '../../src/sweeps/sweep-export.js';

const TINY = { N: 12, L: 2, x2: 3, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, Jsd: 0.6 };
const SPEC = { base: TINY, grid: { ke: [0.8, 1.2], state: ['singlet', 'T0'] } };

function memoryStore(): SweepStore & { rows: Map<number, SweepRow>; results: number } {
  const rows = new Map<number, SweepRow>();
  const store = {
    rows,
    results: 0,
    async get(point: SweepPoint) {
      return rows.get(point.index);
    },
    async put(point: SweepPoint, row: SweepRow, result?: SimulationResult) {
      rows.set(point.index, row);
      if (result) store.results++;
    },
  };
  return store;
}


describe('runSweep', () => {
  it('gives one row per point holding that run\'s own numbers (f64 CPU: identical)', async () => {
    const progress: StudyProgress[] = [];
    const result = await runSweep(SPEC, { backend: 'cpu', threads: 1, onProgress: (p) => progress.push(p) });
    expect(result.complete).toBe(true);
    expect(result.rows.map((r) => r.params)).toEqual([
      { ke: 0.8, state: 'singlet' }, { ke: 0.8, state: 'T0' }, { ke: 1.2, state: 'singlet' }, { ke: 1.2, state: 'T0' },
    ]);
    const direct = await simulate({ ...TINY, ke: 1.2, state: 'T0' }, { backend: 'cpu', threads: 1 });
    const row = result.rows[3];
    expect(row.finalDeltaSigmaZ).toBe(direct.deltaSigmaZ.at(-1));
    expect(row.maxDeltaSigmaZ).toBe(Math.max(...direct.deltaSigmaZ));
    expect(row.finalProbabilities).toEqual({ S: direct.probabilities!.S.at(-1), T0: direct.probabilities!.T0.at(-1), 'T+': direct.probabilities!['T+'].at(-1), 'T-': direct.probabilities!['T-'].at(-1) });
    expect(row.backend).toBe('cpu');
    expect(row.precision).toBe('f64');
    // Conserved quantities hold at every point.
    for (const r of result.rows) {
      expect(r.normDrift).toBeLessThan(1e-12);
      expect(r.energyDrift).toBeLessThan(1e-12);
      expect(r.totalSzDrift).toBeLessThan(1e-12);
    }
    expect(progress.at(-1)).toMatchObject({ runsDone: 4, runs: 4, fraction: 1 });
    expect(progress.some((p) => p.label === 'ke=0.8, state=T0')).toBe(true);
  });

  it('shards together give the table of the whole sweep', async () => {
    const whole = await runSweep(SPEC, { backend: 'cpu', threads: 1 });
    const store = memoryStore();
    const parts = [];
    for (const index of [0, 1, 2]) parts.push(await runSweep(SPEC, { backend: 'cpu', threads: 1, shard: { index, count: 3 }, store }));
    expect(parts[0].complete).toBe(false);
    expect(parts[0].missing.map((m) => m.index)).toEqual([1, 2]);
    // The last shard sees the others' points in the shared store.
    expect(parts[2].complete).toBe(true);
    expect(comparable(parts[2].rows)).toEqual(comparable(whole.rows));
    const merged = assembleSweep(planSweep(SPEC), store.rows);
    expect(comparable(merged.rows)).toEqual(comparable(whole.rows));
  });

  it('resumes from a store: finished points do not run again', async () => {
    const store = memoryStore();
    await runSweep(SPEC, { backend: 'cpu', threads: 1, store });
    expect(store.results).toBe(4);
    const told: (SimulationResult | undefined)[] = [];
    const again = await runSweep(SPEC, { backend: 'cpu', threads: 1, store, onPointDone: (_p, _r, result) => told.push(result) });
    expect(store.results).toBe(4);
    expect(told).toEqual([undefined, undefined, undefined, undefined]);
    expect(again.complete).toBe(true);
  });

  it('records a failed point with its error, goes on with the others, and runs it again next time', async () => {
    const cpu = createCpuBackend({ threads: 1 });
    let loads = 0;
    const flaky: PropagationBackend = {
      name: cpu.name, precision: cpu.precision, description: 'cpu, failing its second load', preferredOutputsPerExpansion: cpu.preferredOutputsPerExpansion,
      load: (problem, psi) => (++loads === 2 ? Promise.reject(new Error('injected failure')) : cpu.load(problem, psi)),
      reduce: () => cpu.reduce(), advance: (s) => cpu.advance(s), readState: () => cpu.readState(), dispose: async () => {},
    };
    const store = memoryStore();
    try {
      const result = await runSweep(SPEC, { backend: flaky, store });
      expect(result.complete).toBe(false);
      expect(result.failed).toEqual([{ index: 1, name: '1-ke=0.8-state=T0', params: { ke: 0.8, state: 'T0' }, error: 'injected failure' }]);
      expect(result.rows.filter((r) => r.status === 'done')).toHaveLength(3);
      const again = await runSweep(SPEC, { backend: flaky, store });
      expect(again.complete).toBe(true);
      expect(again.failed).toEqual([]);
    } finally {
      await cpu.dispose();
    }
  });

  it('stops with CancelledError when its signal is aborted', async () => {
    const controller = new AbortController();
    const run = runSweep(SPEC, {
      backend: 'cpu', threads: 1, signal: controller.signal,
      onPointDone: () => controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it('writes the table as CSV, and the figure (curves per state) as SVG and a valid PNG', async () => {
    const result = await runSweep(SPEC, { backend: 'cpu', threads: 1 });
    const csv = sweepCsv(result).trim().split('\n');
    expect(csv[0].split(',').slice(0, 6)).toEqual(['index', 'name', 'ke', 'state', 'status', 'final_deltaSigmaZ']);
    expect(csv).toHaveLength(5);
    expect(Number(csv[4].split(',')[5])).toBe(result.rows[3].finalDeltaSigmaZ);
    const fig = sweepFigure(result);
    expect(fig).toMatchObject({ kind: 'lines', axis: { key: 'ke' } });
    if (fig.kind !== 'lines') throw new Error('lines expected');
    expect(fig.series.map((s) => s.name)).toEqual(['singlet', 'T0']);
    expect(fig.series[1].y).toEqual([result.rows[1].finalDeltaSigmaZ, result.rows[3].finalDeltaSigmaZ]);
    expect(sweepFigureSvg(result)).toMatch(/^<svg xmlns/);
    const png = sweepFigurePng(result, (d) => deflateSync(d))!;
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    const width = view.getUint32(16), height = view.getUint32(20);
    const idatLength = view.getUint32(33);
    const pixels = inflateSync(png.subarray(41, 41 + idatLength));
    expect(pixels.length).toBe((width * 4 + 1) * height);
    // The IEND chunk and its CRC-32, the same in every PNG: the checksum is computed right.
    expect([...png.subarray(png.length - 12)]).toEqual([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  });

  it('draws a heatmap for two numeric keys, with the missing points left out', async () => {
    const plan = planSweep({ base: TINY, grid: { ke: [0.8, 1.2], Jsd: [0.3, 0.6, 0.9] } });
    const result = await runSweep(plan, { backend: 'cpu', threads: 1, shard: { index: 0, count: 2 } });
    const fig = sweepFigure(result);
    if (fig.kind !== 'heatmap') throw new Error('heatmap expected');
    expect(fig.x.key).toBe('ke');
    expect(fig.y.key).toBe('Jsd');
    // z[j][i]: Jsd index j, ke index i; point index = i * 3 + j; shard 0 of 2 has the even ones.
    expect(fig.z[0][0]).toBe(result.rows.find((r) => r.index === 0)!.finalDeltaSigmaZ);
    expect(fig.z[1][0]).toBeNaN();
    expect(sweepFigureSvg(result)).toMatch(/grey: no result/);
  });
});
