/**
 * What every study shares: a list of jobs (one propagation, or one theta
 * pair), run one after another with one progress bar over all of them, each
 * job's outcome kept in a cache as soon as it is done, so an interrupted study
 * resumes from the jobs it finished.
 */

import { CancelledError } from '../backends/backend.js';
import { outputTimes, type Basis, type RunConfig } from '../model/config.js';
import { withPresumedBasis, type BasisChoice } from '../model/basis.js';
import { layoutForConfig } from '../model/layout.js';
import type { SimulationResult } from '../model/result.js';
import type { Progress } from '../propagator/propagate.js';

export interface StudyProgress {
  /** Share of the whole study done, 0 … 1 (jobs weighted by their cost). */
  fraction: number;
  /** Jobs finished (resumed ones included) and in all. */
  runsDone: number;
  runs: number;
  /** The job running now (or next, between jobs; the last once all are done), e.g. "singlet" or "d=20 T0". */
  label: string;
  /** Simulated time the running job reached, fs. */
  t?: number;
  elapsedSeconds: number;
  /** Estimated seconds left (undefined before anything was measured). */
  etaSeconds?: number;
}

/** Where finished jobs are kept between attempts (the CLI keeps them in files). */
export interface RunCache {
  get(key: string): Promise<unknown | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

export interface JobContext {
  signal?: AbortSignal;
  onProgress: (p: Progress) => void;
  onBackend: (name: string, description: string, reason: string, basis?: BasisChoice) => void;
}

export interface Job<T> {
  /** Unique within its study; names the job in progress lines and cache files. */
  label: string;
  /** Relative cost: output times x amplitudes x propagations. */
  cost: number;
  /** Everything the outcome depends on: a cached outcome is reused only under the same key. */
  key: string;
  run(context: JobContext): Promise<T>;
}

/** Per-job record of a study: what ran where, how long, and how well the conserved quantities held. */
export interface JobRecord {
  label: string;
  backend: string;
  precision: 'f64' | 'f32';
  /** The basis the run used ("auto" resolved on its backend); absent in records written before the key existed. */
  basis?: Basis;
  seconds: number;
  matvecs: number;
  /** Largest |norm - 1|, |E - E(0)| (eV) and |total S_z - its start| over the run. */
  normDrift: number;
  energyDrift: number;
  totalSzDrift: number;
  /** Taken from the cache of an earlier, interrupted attempt. */
  resumed?: boolean;
}

export interface JobOutcome {
  record: JobRecord;
}

export interface RunJobsOptions {
  signal?: AbortSignal;
  onProgress?: (p: StudyProgress) => void;
  onBackend?: (name: string, description: string, reason: string, basis?: BasisChoice) => void;
  /** Each job's outcome as soon as it is done (or resumed): what a live view draws before the study ends. */
  onJobDone?: (label: string, outcome: JobOutcome) => void;
  cache?: RunCache;
}

const now = (): number => (globalThis.performance ?? Date).now() / 1000;

/** Runs the jobs in order (resuming cached ones) and returns their outcomes in the same order. */
export async function runJobs<T extends JobOutcome>(jobs: readonly Job<T>[], options: RunJobsOptions = {}): Promise<T[]> {
  const started = now();
  const total = jobs.reduce((s, j) => s + j.cost, 0) || 1;
  let doneCost = 0;
  let measuredCost = 0;
  let measuredSeconds = 0;
  const outcomes: T[] = [];
  let told = false;
  for (const [i, job] of jobs.entries()) {
    if (options.signal?.aborted) throw new CancelledError();
    const cached = (await options.cache?.get(job.key)) as T | undefined;
    if (cached) {
      outcomes.push({ ...cached, record: { ...cached.record, resumed: true } });
      options.onJobDone?.(job.label, outcomes[outcomes.length - 1]);
      doneCost += job.cost;
      options.onProgress?.(progress(i + 1, nextLabel(i)));
      continue;
    }
    const jobStart = now();
    const outcome = await job.run({
      signal: options.signal,
      onBackend: (name, description, reason, basis) => {
        if (!told) options.onBackend?.(name, description, reason, basis);
        told = true;
      },
      onProgress: (p) => {
        const partialCost = job.cost * p.fraction;
        options.onProgress?.(progress(i, job.label, p.t, partialCost, now() - jobStart));
      },
    });
    measuredSeconds += now() - jobStart;
    measuredCost += job.cost;
    doneCost += job.cost;
    await options.cache?.set(job.key, outcome);
    outcomes.push(outcome);
    options.onJobDone?.(job.label, outcome);
    options.onProgress?.(progress(i + 1, nextLabel(i)));
  }
  return outcomes;

  /** After job i: the label of the job that runs next (the last one's once all are done). */
  function nextLabel(i: number): string {
    return (jobs[i + 1] ?? jobs[i]).label;
  }

  function progress(runsDone: number, label: string, t?: number, partialCost = 0, partialSeconds = 0): StudyProgress {
    const done = doneCost + partialCost;
    const rate = (measuredCost + partialCost) / (measuredSeconds + partialSeconds);
    return {
      fraction: Math.min(1, done / total),
      runsDone,
      runs: jobs.length,
      label,
      t,
      elapsedSeconds: now() - started,
      etaSeconds: rate > 0 && Number.isFinite(rate) ? (total - done) / rate : undefined,
    };
  }
}

/** Relative cost of propagating `propagations` states of a config. */
export function jobCost(config: RunConfig, propagations = 1): number {
  // Before the backend is known: the basis "auto" presumes (model/basis.ts).
  return outputTimes(config).length * layoutForConfig(withPresumedBasis(config)).dim * propagations;
}

/** The record of one finished run: conserved quantities measured on its own series. */
export function recordOf(label: string, r: SimulationResult, timing = r.timing): JobRecord {
  const w = r.config.electronSpin === 'pauli' ? 0.5 : 1;
  const totalSz = r.t.map((_, k) => w * r.sigmaZ[k] + r.Sz[k]);
  const maxDev = (xs: number[], ref: number) => xs.reduce((m, x) => Math.max(m, Math.abs(x - ref)), 0);
  return {
    label,
    backend: r.backend,
    precision: r.precision,
    basis: r.config.basis,
    seconds: timing.seconds,
    matvecs: timing.matvecs,
    normDrift: maxDev(r.norm, 1),
    energyDrift: maxDev(r.energy, r.energy[0]),
    totalSzDrift: maxDev(totalSz, totalSz[0]),
  };
}

/** A stable cache key: the study, the job and everything its outcome depends on. */
export function jobKey(study: string, label: string, parts: Record<string, unknown>): string {
  return JSON.stringify({ study, label, ...parts });
}
