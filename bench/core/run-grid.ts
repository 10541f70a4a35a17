/**
 * Runs the grid on a list of backends ("targets"), in Node or in a browser:
 * for each backend, every case from the smallest state up, each either
 * measured or listed as skipped with its reason (the backend is unavailable;
 * the case does not fit the backend's memory; or its predicted time exceeds
 * the per-case budget). What differs between hosts (how to make a backend,
 * what memory it may use, which copy bandwidth is its reference) is the
 * target's business.
 */

import { resolvedConfig } from '../../src/model/basis.js';
import { ResourceError, type PropagationBackend } from '../../src/backends/backend.js';
import type { PhaseTiming } from '../../src/model/result.js';
import { parseRunConfig } from '../../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../../src/model/hamiltonian.js';
import { initialState } from '../../src/model/initial-state.js';
import { spectralBounds, spectralScale } from '../../src/model/spectral-bounds.js';
import { chebyshevWeights, SERIES_TOLERANCE, type ChebyshevSeries, type Precision } from '../../src/propagator/chebyshev.js';
import { nowSeconds, phaseSplit, sig, termFigures, timeExpansions, type Spread } from './figures.js';
import {
  caseConfig, caseDim, caseName, predictSeconds, type GridCase, type GridRecord, type GridRecordBase, type MeasuredRecord, type SkippedRecord,
} from './grid.js';

/** What a case holds by the backend's memory model, and what the limiting resource allows. */
export interface MemoryFit {
  bytes: number;
  allowed?: number;
  /** The limiting resource, in words ("85% of the machine memory", …). */
  limit: string;
}

export interface CaseMeasurement {
  perTerm: Spread;
  normAfter: number;
  /** The backend's own description once loaded (threads, adapter, chunks). */
  description: string;
  /** Bytes actually held, where the backend can say (WebGPU counts its buffers). */
  memoryBytes?: number;
  /** Where a device backend's time went over the warm-up and the samples (backend.phaseTiming(), WebGPU). */
  phases?: PhaseTiming;
}

export interface BandwidthReference {
  /** GB/s (1e9 bytes, read + write), median; undefined where none is measured. */
  gbs?: number;
  /** What was copied, where, and with how many threads. */
  what: string;
}

export interface BenchTarget {
  backend: string;
  precision: Precision;
  threads: number;
  /** Bytes one fused term moves per amplitude (the bytes-moved model of effectiveGBs). */
  bytesPerAmplitudeTerm: number;
  /** Before any case: the backend in words. */
  description: string;
  software?: boolean;
  /** What the case will hold; throws ResourceError (bytesNeeded, bytesAllowed) when it cannot fit. Allocates nothing. */
  memory(c: GridCase): MemoryFit;
  /** Builds the case, loads it, times one warm-up and `reps` advances of `series`, frees it. */
  measure(c: GridCase, series: ChebyshevSeries, reps: number): Promise<CaseMeasurement>;
  /** The copy bandwidth this backend's effective GB/s is compared with, for a state of `dim` amplitudes. */
  reference(dim: number): Promise<BandwidthReference>;
  /** Frees what the target holds across cases (a device); called after its last case. */
  dispose?(): Promise<void>;
}

/** A backend that cannot run on this host: every case is listed as skipped with the reason. */
export interface UnavailableTarget {
  backend: string;
  precision: Precision;
  threads: number;
  unavailable: string;
}

export type GridTarget = BenchTarget | UnavailableTarget;

export interface GridOptions {
  /** Timed advances per case after one warm-up. */
  reps: number;
  /** Cases whose predicted wall time exceeds this are skipped (Infinity: none). */
  maxCaseSeconds: number;
  /** α of the timed step exp(−i H̃ α): sets the terms per advance (default 12: 38 terms in f64). */
  alpha?: number;
  log?: (line: string) => void;
  /** Told of each record as soon as it exists (progress lines, live charts). */
  onRecord?: (r: GridRecord) => void;
}

export const DEFAULT_ALPHA = 12;

/** Norm drift a timed run may show: truncation and rounding of each precision, far below a skipped term. */
const NORM_TOLERANCE: Record<Precision, number> = { f64: 1e-9, f32: 1e-4 };

/** The series of one timed advance: one accumulator, the weights of a real step, so the state keeps norm 1. */
export function timedSeries(precision: Precision, alpha = DEFAULT_ALPHA): ChebyshevSeries {
  const w = chebyshevWeights(alpha, SERIES_TOLERANCE[precision]);
  return { terms: w.length, weights: [w] };
}

/** Frees the previous case's garbage so it is not collected inside the next case's timing (Node with --expose-gc). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Loads the paper-default physics at N, L (defaults for every other key) on
 * `backend`, times it and disposes of it: the measure() of every target.
 */
export async function measureBackend(
  backend: PropagationBackend & { bytesAllocated?: number },
  c: GridCase,
  series: ChebyshevSeries,
  reps: number,
): Promise<CaseMeasurement> {
  collectGarbage();
  try {
    const config = resolvedConfig(parseRunConfig(caseConfig(c)), 'full');
    const hamiltonian = hamiltonianTerms(config);
    const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
    await backend.load({ hamiltonian, scaled: scaledHamiltonian(hamiltonian, center, halfWidth) }, initialState(config));
    const label = caseName(backend.name, c, 0);
    const { perTerm, normAfter } = await timeExpansions(backend, series, reps, NORM_TOLERANCE[backend.precision], label);
    const phases = backend.phaseTiming?.();
    return { perTerm, normAfter, description: backend.description, memoryBytes: backend.bytesAllocated, ...(phases ? { phases } : {}) };
  } finally {
    await backend.dispose();
  }
}

export async function runGrid(targets: readonly GridTarget[], cases: readonly GridCase[], o: GridOptions): Promise<GridRecord[]> {
  const log = o.log ?? (() => {});
  const records: GridRecord[] = [];
  const emit = (r: GridRecord) => {
    records.push(r);
    o.onRecord?.(r);
  };
  const ordered = [...cases].sort((a, b) => caseDim(a) - caseDim(b) || a.L - b.L);
  for (const t of targets) {
    try {
      await runTarget(t);
    } finally {
      if (!('unavailable' in t)) await t.dispose?.();
    }
  }
  return records;

  async function runTarget(t: GridTarget): Promise<void> {
    const series = timedSeries(t.precision, o.alpha);
    const measured: MeasuredRecord[] = [];
    for (const c of ordered) {
      const dim = caseDim(c);
      const base: GridRecordBase = {
        case: caseName(t.backend, c, t.threads), kind: 'h-apply', backend: t.backend, precision: t.precision, threads: t.threads,
        N: c.N, L: c.L, ...(c.basis === 'sector' ? { basis: c.basis, K: c.K ?? 1 } : {}), dim, description: 'unavailable' in t ? t.unavailable : t.description,
      };
      const skip = (r: Omit<SkippedRecord, keyof GridRecordBase> & Partial<GridRecordBase>) => {
        const rec: SkippedRecord = { ...base, ...r };
        log(`${rec.case}: skipped (${rec.skipped})`);
        emit(rec);
      };
      if ('unavailable' in t) {
        skip({ skipped: `backend unavailable: ${t.unavailable}`, skipKind: 'unavailable' });
        continue;
      }
      base.software = t.software;
      const refused = (e: unknown) => {
        if (!(e instanceof ResourceError)) throw e;
        skip({
          skipped: `does not fit: ${e.message}`,
          skipKind: 'memory', bytesNeeded: e.bytesNeeded, bytesAllowed: e.bytesAllowed, memoryBytes: e.bytesNeeded, memoryAllowedBytes: e.bytesAllowed,
        });
      };
      let fit: MemoryFit;
      try {
        fit = t.memory(c);
      } catch (e) {
        refused(e);
        continue;
      }
      Object.assign(base, { memoryBytes: fit.bytes, memoryAllowedBytes: fit.allowed, memoryLimit: fit.limit });
      const predicted = predictSeconds(c, series.terms, o.reps, measured);
      if (predicted !== undefined && predicted > o.maxCaseSeconds) {
        skip({
          skipped: `predicted ${sig(predicted)} s > budget ${sig(o.maxCaseSeconds)} s per case (from the throughput at a smaller state of the same or the nearest smaller L)`,
          skipKind: 'time', predictedSeconds: predicted, maxCaseSeconds: o.maxCaseSeconds,
        });
        continue;
      }
      const t0 = nowSeconds();
      let m: CaseMeasurement;
      try {
        m = await t.measure(c, series, o.reps);
      } catch (e) {
        refused(e); // the backend's own refusal at load (an adapter's allocation failure, …)
        continue;
      }
      const caseSeconds = nowSeconds() - t0;
      const ref = await t.reference(dim);
      const figures = termFigures(dim, m.perTerm, t.bytesPerAmplitudeTerm);
      const rec: MeasuredRecord = {
        ...base,
        description: m.description,
        memoryBytes: m.memoryBytes ?? base.memoryBytes,
        terms: series.terms,
        reps: o.reps,
        ...figures,
        bandwidthGBs: ref.gbs,
        bandwidthReference: ref.what,
        bandwidthRatio: ref.gbs ? figures.effectiveGBs / ref.gbs : undefined,
        normAfter: m.normAfter,
        ...(m.phases ? { phases: m.phases } : {}),
        caseSeconds,
        predictedSeconds: predicted,
      };
      measured.push(rec);
      log(`${rec.case}: ${sig(rec.secondsPerTerm * 1e3)} ms/term (${sig(rec.secondsPerTermMin * 1e3)} … ${sig(rec.secondsPerTermMax * 1e3)}), ` +
        `${sig(rec.ampsPerSecond / 1e6)} M amplitudes/s, ${sig(rec.effectiveGBs)} GB/s effective` +
        (rec.bandwidthRatio !== undefined ? ` = ${sig(100 * rec.bandwidthRatio, 2)} % of ${sig(rec.bandwidthGBs!)} GB/s copy` : '') +
        (rec.phases ? `; ${phaseSplit(rec.phases)}` : '') +
        `; case ${sig(caseSeconds)} s` + (predicted !== undefined ? ` (predicted ${sig(predicted)} s)` : '') + (t.software ? ' [software adapter: CPU figures]' : ''));
      emit(rec);
    }
  }
}

