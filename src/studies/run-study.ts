/**
 * runStudy(): the paper's studies from the library, the CLI and the
 * dashboard. The base config is validated, every derived config is checked,
 * then the jobs run one after another with one progress callback; a cache
 * (the CLI's is a folder) lets an interrupted study resume.
 */

import type { BasisChoice } from '../model/basis.js';
import type { GpuMemoryBudget } from '../backends/webgpu/memory-budget.js';
import { CancelledError } from '../backends/backend.js';
import { ConfigError, parseRunConfig, type RunConfig } from '../model/config.js';
import { simulate } from '../simulate.js';
import { describeParams } from '../sweeps/grid.js';
import { runSweep, type SweepRow, type SweepStore } from '../sweeps/run-sweep.js';
import { planFig2a } from './fig2a.js';
import { planFig2b } from './fig2b.js';
import { planFig3 } from './fig3.js';
import { FIG4_POINTS_RANGE, planFig4 } from './fig4.js';
import { planLength } from './length.js';
import { planSpin } from './spin.js';
import { recordOf, runJobs, type JobOutcome, type RunCache, type StudyProgress } from './jobs.js';
import type { StudyPlan } from './plan.js';
import { recordOfRow, type SweepStudyPlan } from './study-sweep.js';
import {
  DEFAULT_FIG2B_DISTANCES, DEFAULT_FIG4_POINTS, DEFAULT_LENGTHS, DEFAULT_SPINS, STUDY_NAMES,
  type Fig2aResult, type Fig2bResult, type Fig3Result, type Fig4Result, type LengthResult, type SpinResult, type SpinScaling, type StudyName, type StudyResult,
} from './study-result.js';

export interface StudyOptions {
  /** Backend name for every run (default "auto"). */
  backend?: string;
  threads?: number | 'auto';
  /** Cap on the WebGPU backend's buffers, bytes (--gpu-memory). */
  gpuMemory?: number;
  /** Told what each run's WebGPU buffers need, before they are allocated. */
  onGpuMemory?: (budget: GpuMemoryBudget) => void;
  signal?: AbortSignal;
  onProgress?: (p: StudyProgress) => void;
  /** Told which backend runs and why, when the first run starts. */
  onBackend?: (name: string, description: string, reason: string, basis?: BasisChoice) => void;
  /** fig2b: the packet distances (default 10, 20, … 60). */
  d?: readonly number[];
  /** fig4: the number of equally spaced angles in [0, 2 pi) (default 16). */
  points?: number;
  /**
   * length: the chain lengths (default 2, 4, 8, 16, 32, 64). The study places
   * the chain and the packets for each L and sets tEnd; a tEnd key in the base
   * config is checked instead.
   */
  L?: readonly number[];
  /** spin: the local spins S (default 0.5, 1, 1.5, 2, 2.5) and the scaling of the couplings (default "fixed"). */
  S?: readonly number[];
  scaling?: SpinScaling;
  /**
   * Finished runs are kept here and reused by a later call with the same
   * arguments (fig2b and length: each point's row, as the sweep's store).
   */
  cache?: RunCache;
  /**
   * Each run's outcome as soon as it is done: its record (label, backend, time,
   * drifts) and the series it contributes (deltaSigmaZ; probabilities for
   * fig3; series, one per angle, for fig4's sweep).
   */
  onRunDone?: (label: string, outcome: JobOutcome) => void;
}

export interface StudyResults {
  fig2a: Fig2aResult;
  fig2b: Fig2bResult;
  fig3: Fig3Result;
  fig4: Fig4Result;
  length: LengthResult;
  spin: SpinResult;
}

export function isStudyName(name: string): name is StudyName {
  return (STUDY_NAMES as readonly string[]).includes(name);
}

/** What a study is before it runs: a list of jobs (fig2a, fig3, fig4), or a sweep of points (fig2b, length). */
export type AnyStudyPlan<R> = StudyPlan<R> | SweepStudyPlan<R>;

/** The jobs or the sweep of a study, every config checked: fails before anything runs. */
export function planStudy<N extends StudyName>(name: N, baseInput: unknown, options: StudyOptions = {}): AnyStudyPlan<StudyResults[N]> {
  if (!isStudyName(name)) throw new ConfigError('name', name, STUDY_NAMES.join(', '), undefined, 'study');
  const base: RunConfig = parseRunConfig(baseInput);
  const request = { backend: options.backend, threads: options.threads, gpuMemory: options.gpuMemory, onGpuMemory: options.onGpuMemory };
  if (options.d !== undefined && name !== 'fig2b') throw new ConfigError('d', options.d, 'no d: it belongs to fig2b', undefined, `${name} option`);
  if (options.points !== undefined && name !== 'fig4') throw new ConfigError('points', options.points, 'no points: it belongs to fig4', undefined, `${name} option`);
  if (options.L !== undefined && name !== 'length') throw new ConfigError('L', options.L, 'no L: it belongs to the length study', undefined, `${name} option`);
  if ((options.S !== undefined || options.scaling !== undefined) && name !== 'spin') throw new ConfigError(options.S !== undefined ? 'S' : 'scaling', options.S ?? options.scaling, 'none: it belongs to the spin study', undefined, `${name} option`);
  // parseRunConfig accepted it: an object. The sweep studies keep it as written, so keys left out follow each point.
  const written = baseInput as Partial<RunConfig>;
  // The length study sets tEnd per L unless the base config names one.
  const givenTEnd = written.tEnd !== undefined ? base.tEnd : undefined;
  const plans: { [K in StudyName]: () => AnyStudyPlan<StudyResults[K]> } = {
    fig2a: () => planFig2a(base, request),
    fig2b: () => planFig2b(written, options.d ?? DEFAULT_FIG2B_DISTANCES),
    fig3: () => planFig3(base, request),
    fig4: () => planFig4(base, options.points ?? DEFAULT_FIG4_POINTS, request),
    length: () => planLength(written, options.L ?? DEFAULT_LENGTHS, givenTEnd),
    spin: () => planSpin(written, options.S ?? DEFAULT_SPINS, options.scaling ?? 'fixed'),
  };
  return plans[name]();
}

export async function runStudy<N extends StudyName>(name: N, baseInput: unknown, options: StudyOptions = {}): Promise<StudyResults[N]> {
  const plan = planStudy(name, baseInput, options);
  if ('sweep' in plan) return runSweepStudy(plan, options);
  const outcomes = await runJobs(plan.jobs, { ...options, onJobDone: options.onRunDone });
  return plan.assemble(outcomes);
}

/**
 * A sweep study in memory: its points through runSweep (the cache, if any, as
 * its store), stopping at the first point that fails, as a list of jobs does.
 */
async function runSweepStudy<R>(plan: SweepStudyPlan<R>, options: StudyOptions): Promise<R> {
  const stop = new AbortController();
  const forward = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', forward);
  const resumed = new Set<number>();
  const labels = new Map(plan.sweep.points.map((p) => [describeParams(p.params), plan.label(p.params)]));
  try {
    const table = await runSweep(plan.sweep, {
      backend: options.backend,
      threads: options.threads,
      gpuMemory: options.gpuMemory,
      onGpuMemory: options.onGpuMemory,
      signal: stop.signal,
      // The study's own labels ("d=20 T0"), not the sweep's ("d=20, state=T0").
      onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, label: labels.get(p.label) ?? p.label })),
      onBackend: options.onBackend,
      store: options.cache ? cacheStore(options.cache, plan.sweep.id) : undefined,
      runPoint: async (point, simulateOptions) => {
        try {
          return await simulate(point.config, simulateOptions);
        } catch (e) {
          // Stop the study: with the signal aborted, the sweep passes this error on instead of recording it.
          if (!(e instanceof CancelledError)) stop.abort();
          throw e;
        }
      },
      onPointDone: (point, row, result) => {
        const label = plan.label(point.params);
        if (!result) {
          if (row.status === 'done') resumed.add(point.index);
          options.onRunDone?.(label, { record: recordOfRow(label, row, true) });
          return;
        }
        const outcome: JobOutcome & { deltaSigmaZ: number[] } = { record: recordOf(label, result), deltaSigmaZ: result.deltaSigmaZ };
        options.onRunDone?.(label, outcome);
      },
    });
    return plan.assemble(table, resumed);
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
}

/** The library's cache (a key-value store) as a sweep store: one entry per point of this sweep. */
function cacheStore(cache: RunCache, id: string): SweepStore {
  const key = (index: number) => JSON.stringify({ sweep: id, index });
  return {
    async get(point) {
      return (await cache.get(key(point.index))) as SweepRow | undefined;
    },
    async put(point, row) {
      await cache.set(key(point.index), row);
    },
  };
}

export { FIG4_POINTS_RANGE };
export type { StudyResult };
