/**
 * The benchmark grid (issue 8): which cases run, the record every case leaves
 * (measured or skipped, never dropped), and the time-budget rule. Pure: shared
 * by the Node harness and the browser page, and tested without a backend.
 */

import type { Basis, RunConfigInput } from '../../src/model/config.js';
import { layoutForConfig } from '../../src/model/layout.js';
import type { Precision } from '../../src/propagator/chebyshev.js';
import type { PhaseTiming } from '../../src/model/result.js';

export interface GridCase {
  N: number;
  L: number;
  /** Basis of the state (default "full"). */
  basis?: Basis;
  /** Down spins K of a sector case: 1 (a singlet, the default) or 2 (a T- pair). */
  K?: 1 | 2;
}

/** The run config a case times: the paper's defaults at N, L, in its basis, from a singlet (K = 1) or a T- pair (K = 2). */
export function caseConfig(c: GridCase): RunConfigInput {
  return { N: c.N, L: c.L, basis: c.basis ?? 'full', state: c.K === 2 ? 'T-' : 'singlet' };
}

/** The full grid: L = 2 … 12 by 2, N = 50 … 400 by doubling. */
export const GRID_L = [2, 4, 6, 8, 10, 12] as const;
export const GRID_N = [50, 100, 200, 400] as const;

/**
 * --quick: N = 100, L = 4 on every backend (the size CI smoke-tests), after
 * one smaller case that gives the time budget its first throughput.
 */
export const QUICK_CASES: readonly GridCase[] = [
  { N: 50, L: 2 },
  { N: 100, L: 4 },
];

/** Amplitudes of the case's two-electron state: N² orbital pairs × (4 · 2^L, or the sector's configurations). */
export const caseDim = (c: GridCase): number => {
  const config = caseConfig(c);
  return layoutForConfig({ N: c.N, L: c.L, basis: c.basis ?? 'full', state: config.state! }).dim;
};

/** Every (N, L) of the grid, smallest state first (ties: smaller L first), so each case is predicted from a measured smaller one. */
export function gridCases(ns: readonly number[] = GRID_N, ls: readonly number[] = GRID_L): GridCase[] {
  const cases = ns.flatMap((N) => ls.map((L) => ({ N, L })));
  return cases.sort((a, b) => caseDim(a) - caseDim(b) || a.L - b.L);
}

/** What every record has, measured or skipped. */
export interface GridRecordBase {
  /** `${backend}:h-apply:N=…,L=…,threads=…` */
  case: string;
  kind: 'h-apply';
  /** "cpu", "webgpu", "gpujs-webasm", "gpujs-webgl2". */
  backend: string;
  precision: Precision;
  threads: number;
  N: number;
  L: number;
  /** "sector" cases only: the basis and the sector's down spins. */
  basis?: Basis;
  K?: 1 | 2;
  dim: number;
  /**
   * Bytes the case holds by the backend's memory model (measured cases) or
   * needs (cases refused for memory); absent when the backend is unavailable.
   */
  memoryBytes?: number;
  /** What the limiting resource allows, bytes, and what that resource is. */
  memoryAllowedBytes?: number;
  memoryLimit?: string;
  /** The backend as it describes itself (threads, adapter, mode). */
  description: string;
  /** A software implementation (SwiftShader, …) of a GPU API: these are CPU figures. */
  software?: boolean;
}

export interface MeasuredRecord extends GridRecordBase {
  skipped?: undefined;
  /** H applications per timed advance (terms − 1 recurrence terms + 1 in the reduction). */
  terms: number;
  /** Timed advances after one warm-up. */
  reps: number;
  secondsPerTerm: number;
  secondsPerTermMin: number;
  secondsPerTermMax: number;
  /** dim / secondsPerTerm (median), and the spread from the slowest and fastest sample. */
  ampsPerSecond: number;
  ampsPerSecondMin: number;
  ampsPerSecondMax: number;
  /** The bytes-moved model: bytes per amplitude one fused term reads and writes. */
  bytesPerAmplitudeTerm: number;
  effectiveGBs: number;
  /** The copy reference of the same run (GB/s), what it is, and effectiveGBs over it. */
  bandwidthGBs?: number;
  bandwidthReference: string;
  bandwidthRatio?: number;
  /** Norm after the timed advances (1 up to truncation and rounding): the work was done. */
  normAfter: number;
  /**
   * A device backend (WebGPU): seconds in the terms, the reductions and the
   * host <-> device transfers over the case's load, warm-up and samples, from
   * timestamp queries or the host's clock (`source`).
   */
  phases?: PhaseTiming;
  /** Wall time of the whole case (set-up, warm-up, samples), and what the budget rule predicted for it. */
  caseSeconds: number;
  predictedSeconds?: number;
}

export type SkipKind = 'unavailable' | 'memory' | 'time';

export interface SkippedRecord extends GridRecordBase {
  /** Why the case did not run, in words. */
  skipped: string;
  skipKind: SkipKind;
  /** skipKind "memory": what the case needs and what the limit allows. */
  bytesNeeded?: number;
  bytesAllowed?: number;
  /** skipKind "time": the predicted wall time and the budget it exceeds. */
  predictedSeconds?: number;
  maxCaseSeconds?: number;
}

export type GridRecord = MeasuredRecord | SkippedRecord;

export const isMeasured = (r: GridRecord): r is MeasuredRecord => r.skipped === undefined;

/**
 * α of the timed step in --quick: 17 f32 terms instead of 30, so WebGPU on a
 * software adapter still does N = 100, L = 4 in seconds; the reduction then
 * weighs more in the time per term, and the report says which α it used.
 */
export const QUICK_ALPHA = 4;

/** Seconds per case beyond which a case is skipped, by default: the full grid then takes about 10 minutes on 2 cores. */
export const DEFAULT_MAX_CASE_SECONDS = 30;

/**
 * Predicted wall time of a case: (warm-up + reps) advances of `terms` H
 * applications over `dim` amplitudes at a throughput measured at a smaller
 * state of the same backend. The cost per amplitude grows with L (the
 * exchange flips, the sd share), so the reference is the largest smaller
 * state with the same L, or failing that with the largest L below it: a
 * smaller L would under-predict. Set-up (building the state) is left out: it
 * is one pass over the state against (1 + reps) × terms. undefined when
 * nothing smaller was measured (the smallest case always runs).
 */
export function predictSeconds(c: GridCase, terms: number, reps: number, measured: readonly MeasuredRecord[]): number | undefined {
  const dim = caseDim(c);
  let ref: MeasuredRecord | undefined;
  for (const m of measured) {
    // A sector's cost per amplitude follows K, not 2^L: predict only from its own kind.
    if ((m.basis ?? 'full') !== (c.basis ?? 'full') || (m.K ?? 1) !== (c.K ?? 1)) continue;
    if (m.dim > dim || m.L > c.L) continue;
    // Closer in L first, then the larger state.
    if (!ref || m.L > ref.L || (m.L === ref.L && m.dim > ref.dim)) ref = m;
  }
  return ref ? ((1 + reps) * terms * dim) / ref.ampsPerSecond : undefined;
}

export const caseName = (backend: string, c: GridCase, threads: number): string =>
  `${backend}:h-apply:N=${c.N},L=${c.L}${c.basis === 'sector' ? `,sector K=${c.K ?? 1}` : ''},threads=${threads}`;
