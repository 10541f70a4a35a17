/**
 * runSweep(): many runs from one base config, through the same job runner as
 * the paper's studies (runJobs: one progress over all points, resume from a
 * cache). A sweep is a list of points; a study that can produce its point
 * list (planSweep) reuses everything here: the store (resume), the shards and
 * the assembled table.
 *
 * A point that fails (anything but a cancel) does not stop the sweep: its row
 * records the error, the store keeps that record, and the table names it.
 */

import { withPresumedBasis, type BasisChoice } from '../model/basis.js';
import type { GpuMemoryBudget } from '../backends/webgpu/memory-budget.js';
import { CancelledError, ResourceError, type PropagationBackend } from '../backends/backend.js';
import type { RunConfig } from '../model/config.js';
import type { SimulationResult } from '../model/result.js';
import { checkMemory, simulate, type SimulateOptions } from '../simulate.js';
import { jobCost, recordOf, runJobs, type Job, type JobOutcome, type RunCache, type StudyProgress } from '../studies/jobs.js';
import { describeParams, sweepPoints, type GridValue, type SweepGrid, type SweepMode, type SweepPoint, type SweepSpec } from './grid.js';
import { sweepId } from './sweep-id.js';

export type Probabilities = { S: number; T0: number; 'T+': number; 'T-': number };

/** One point's line of the table (sweep.json "rows", one line of sweep.csv). */
export interface SweepRow {
  index: number;
  name: string;
  params: Record<string, GridValue>;
  status: 'done' | 'failed';
  /** Why the point failed (status "failed"). */
  error?: string;
  /** Delta sigma_z at tEnd, and its largest value over the run. */
  finalDeltaSigmaZ?: number;
  maxDeltaSigmaZ?: number;
  /** Spin-state probabilities at tEnd (two electrons only). */
  finalProbabilities?: Probabilities;
  /** With `entanglement: true`: the pair's concurrence (two electrons) and the chain's entropy at tEnd. */
  finalConcurrence?: number;
  finalChainEntropy?: number;
  /** Largest |norm - 1|, |E - E(0)| (eV) and |total S_z - its start| over the run. */
  normDrift?: number;
  energyDrift?: number;
  totalSzDrift?: number;
  backend?: string;
  precision?: 'f64' | 'f32';
  matvecs?: number;
  /** Wall time of the point, s (set-up, propagation and observables). */
  wallSeconds: number;
}

/** The sweep's table: what sweep.json holds. */
export interface SweepResult {
  kind: 'spin-transfer sweep';
  /** Hash of every point's config, the grid and the mode: two folders with the same id hold the same sweep. */
  sweep: string;
  /** The base config as given (keys left out take their defaults in every point). */
  base: Partial<RunConfig>;
  grid: SweepGrid;
  mode: SweepMode;
  points: number;
  /** Every point done. */
  complete: boolean;
  /** Backend of the rows ("mixed" if they differ) and the lowest precision among them. */
  backend: string;
  precision: 'f64' | 'f32';
  /** One per point with a record, done or failed, in index order. */
  rows: SweepRow[];
  /** Points with no record. */
  missing: { index: number; name: string; params: Record<string, GridValue> }[];
  /** Points whose run failed, with the error. */
  failed: { index: number; name: string; params: Record<string, GridValue>; error: string }[];
}

/** Where finished points are kept: the CLI keeps one file per point (points/NAME.json). */
export interface SweepStore {
  /** The stored row of a point of this sweep, done or failed; undefined if there is none. */
  get(point: SweepPoint): Promise<SweepRow | undefined>;
  /** Keeps a point's row (and its full result when it is done) as soon as it finishes or fails. */
  put(point: SweepPoint, row: SweepRow, result?: SimulationResult): Promise<void>;
}

export interface Shard {
  /** 0 … count - 1. */
  index: number;
  count: number;
}

export interface SweepOptions {
  /** Backend name for every point (default "auto"), or a backend instance (left undisposed), as simulate() takes them. */
  backend?: string | PropagationBackend;
  threads?: number | 'auto';
  /** Cap on the WebGPU backend's buffers, bytes (--gpu-memory). */
  gpuMemory?: number;
  /** Told what each point's WebGPU buffers need, before they are allocated. */
  onGpuMemory?: (budget: GpuMemoryBudget) => void;
  signal?: AbortSignal;
  /** One progress over the points this call runs: runsDone of runs, the label is the point's parameters. */
  onProgress?: (p: StudyProgress) => void;
  onBackend?: (name: string, description: string, reason: string, basis?: BasisChoice) => void;
  /** Run only the points with index mod count = index. */
  shard?: Shard;
  /** Finished points are kept here; a later call resumes from the done ones (failed ones run again). */
  store?: SweepStore;
  /** Each point as it finishes or fails (resumed points too, without a result). */
  onPointDone?: (point: SweepPoint, row: SweepRow, result?: SimulationResult) => void;
  /**
   * How a point's run is made (default: simulate(point.config, options)). The
   * CLI's checkpoints each point to a file and resumes a killed point from it.
   */
  runPoint?: (point: SweepPoint, options: SimulateOptions) => Promise<SimulationResult>;
}

export interface SweepPlan {
  id: string;
  spec: SweepSpec & Required<Pick<SweepSpec, 'base' | 'grid' | 'mode'>>;
  points: SweepPoint[];
}

/** Every point checked (configs, initial states, memory): throws before anything runs. */
export function planSweep(spec: SweepSpec): SweepPlan {
  const full: SweepPlan['spec'] = { base: spec.base ?? {}, grid: spec.grid, mode: spec.mode ?? 'product' };
  if (spec.derived !== undefined) full.derived = spec.derived;
  const points = sweepPoints(full);
  for (const point of points) {
    try {
      checkMemory(withPresumedBasis(point.config));
    } catch (e) {
      if (!(e instanceof ResourceError)) throw e;
      throw new ResourceError(`point ${point.index} (${describeParams(point.params)}): ${e.message}`, e.bytesNeeded, e.bytesAllowed);
    }
  }
  return { id: sweepId(full.grid, full.mode, points), spec: full, points };
}

/** The points of shard I of N: index mod N = I. */
export function shardPoints(points: readonly SweepPoint[], shard?: Shard): SweepPoint[] {
  if (!shard) return [...points];
  if (!(Number.isSafeInteger(shard.count) && shard.count >= 1 && Number.isSafeInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new RangeError(`shard ${shard.index}/${shard.count} is not allowed; allowed: I/N with N an integer >= 1 and I an integer 0 … N - 1`);
  }
  return points.filter((p) => p.index % shard.count === shard.index);
}

interface PointOutcome extends JobOutcome {
  row: SweepRow;
}

const now = (): number => (globalThis.performance ?? Date).now() / 1000;

/** Runs a sweep (or one shard of it) and resolves to its table over every point (other shards' points are missing unless the store has them). */
export async function runSweep(spec: SweepSpec | SweepPlan, options: SweepOptions = {}): Promise<SweepResult> {
  const plan = 'points' in spec && 'id' in spec ? spec : planSweep(spec);
  const mine = shardPoints(plan.points, options.shard);
  const store = options.store;
  const byKey = new Map(mine.map((p) => [pointKey(plan.id, p), p]));
  const byIndex = new Map(mine.map((p) => [p.index, p]));
  // The job runner's cache, over the store: a done row is a finished job; a failed one runs again.
  const cache: RunCache = {
    async get(key) {
      const point = byKey.get(key)!;
      const row = await store?.get(point);
      return row?.status === 'done' ? outcomeOf(row) : undefined;
    },
    // The job stored its row (and result) itself, before the runner moves on.
    async set() {},
  };
  const jobs: Job<PointOutcome>[] = mine.map((point) => pointJob(plan.id, point, options));
  const outcomes = await runJobs(jobs, {
    signal: options.signal,
    onProgress: options.onProgress,
    onBackend: options.onBackend,
    cache,
    onJobDone: (_label, outcome) => {
      const { row } = outcome as PointOutcome;
      if (outcome.record.resumed) options.onPointDone?.(byIndex.get(row.index)!, row);
    },
  });
  const rows = new Map<number, SweepRow>(outcomes.map((o) => [o.row.index, o.row]));
  if (store && options.shard) {
    // A shared folder may hold other shards' points already: the table shows them.
    for (const point of plan.points) {
      if (rows.has(point.index)) continue;
      const row = await store.get(point);
      if (row) rows.set(point.index, row);
    }
  }
  return assembleSweep(plan, rows);
}

/** The table of a sweep from the rows found (by point index): done, failed, missing. */
export function assembleSweep(plan: SweepPlan, rows: ReadonlyMap<number, SweepRow>): SweepResult {
  const found = plan.points.map((p) => rows.get(p.index)).filter((r): r is SweepRow => r !== undefined);
  const done = found.filter((r) => r.status === 'done');
  const backends = [...new Set(done.map((r) => r.backend!))];
  return {
    kind: 'spin-transfer sweep',
    sweep: plan.id,
    base: plan.spec.base,
    grid: plan.spec.grid,
    mode: plan.spec.mode,
    points: plan.points.length,
    complete: done.length === plan.points.length,
    backend: backends.length === 1 ? backends[0] : backends.length === 0 ? 'none' : 'mixed',
    precision: done.some((r) => r.precision === 'f32') ? 'f32' : 'f64',
    rows: found,
    missing: plan.points.filter((p) => !rows.has(p.index)).map(({ index, name, params }) => ({ index, name, params })),
    failed: found.filter((r) => r.status === 'failed').map(({ index, name, params, error }) => ({ index, name, params, error: error ?? 'unknown error' })),
  };
}

function pointKey(id: string, point: SweepPoint): string {
  return JSON.stringify({ sweep: id, index: point.index });
}

function pointJob(id: string, point: SweepPoint, options: SweepOptions): Job<PointOutcome> {
  const label = describeParams(point.params);
  return {
    label,
    cost: jobCost(point.config),
    key: pointKey(id, point),
    async run(context) {
      const started = now();
      let row: SweepRow;
      let result: SimulationResult | undefined;
      try {
        const simulateOptions: SimulateOptions = {
          backend: options.backend,
          threads: options.threads,
          gpuMemory: options.gpuMemory,
          onGpuMemory: options.onGpuMemory,
          signal: context.signal,
          onProgress: context.onProgress,
          onBackend: context.onBackend,
        };
        result = await (options.runPoint ? options.runPoint(point, simulateOptions) : simulate(point.config, simulateOptions));
        row = rowOf(point, result, now() - started);
      } catch (e) {
        if (e instanceof CancelledError || context.signal?.aborted) throw e;
        row = { index: point.index, name: point.name, params: point.params, status: 'failed', error: errorMessage(e), wallSeconds: now() - started };
      }
      await options.store?.put(point, row, result);
      options.onPointDone?.(point, row, result);
      return outcomeOf(row);
    },
  };
}

function outcomeOf(row: SweepRow): PointOutcome {
  return {
    row,
    record: {
      label: row.name,
      backend: row.backend ?? 'none',
      precision: row.precision ?? 'f64',
      seconds: row.wallSeconds,
      matvecs: row.matvecs ?? 0,
      normDrift: row.normDrift ?? NaN,
      energyDrift: row.energyDrift ?? NaN,
      totalSzDrift: row.totalSzDrift ?? NaN,
    },
  };
}

/** A point's row from its full result. */
export function rowOf(point: SweepPoint, r: SimulationResult, wallSeconds: number): SweepRow {
  const record = recordOf(point.name, r);
  const last = r.t.length - 1;
  const row: SweepRow = {
    index: point.index,
    name: point.name,
    params: point.params,
    status: 'done',
    finalDeltaSigmaZ: r.deltaSigmaZ[last],
    maxDeltaSigmaZ: Math.max(...r.deltaSigmaZ),
    normDrift: record.normDrift,
    energyDrift: record.energyDrift,
    totalSzDrift: record.totalSzDrift,
    backend: r.backend,
    precision: r.precision,
    matvecs: r.timing.matvecs,
    wallSeconds,
  };
  if (r.probabilities) {
    const p = r.probabilities;
    row.finalProbabilities = { S: p.S[last], T0: p.T0[last], 'T+': p['T+'][last], 'T-': p['T-'][last] };
  }
  if (r.entanglement) {
    if (r.entanglement.concurrence) row.finalConcurrence = r.entanglement.concurrence[last];
    // The chain entropy's last entry is at tEnd (every output time, or the final one only).
    row.finalChainEntropy = r.entanglement.chainEntropy[r.entanglement.chainEntropy.length - 1];
  }
  return row;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : String(e);
}
