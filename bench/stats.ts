/** Small helpers the benchmark files share: timing, order statistics, the machine. */

import os from 'node:os';
import type { PropagationBackend } from '../src/backends/backend.js';
import { normOf } from '../src/model/observables.js';
import type { ChebyshevSeries } from '../src/propagator/chebyshev.js';

export const nowSeconds = (): number => performance.now() / 1000;

export interface Spread {
  median: number;
  min: number;
  max: number;
  samples: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spread of no samples');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], samples: s.length };
}

/** Frees what the previous case left, so one case's garbage is not collected inside the next one's timing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export interface Machine {
  cpu: string;
  /** Cores Node may use (os.availableParallelism()). */
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started and when it ended: other processes share the machine. */
  loadAverage: { start: number; end?: number };
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: { start: os.loadavg()[0] },
  };
}

/** A figure with 3 significant digits, for tables. */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumSignificantDigits: digits, useGrouping: false });
}

/**
 * One backend's Chebyshev-term throughput at one size: the fields every
 * `*:h-apply` record has, whatever the backend (bench/cpu-throughput.ts,
 * bench/webgpu-throughput.ts).
 */
export interface TermThroughputRecord {
  case: string;
  kind: 'h-apply';
  description: string;
  threads: number;
  N: number;
  L: number;
  dim: number;
  /** H applications per timed advance (terms - 1 recurrence terms + 1 in the reduction). */
  terms: number;
  reps: number;
  secondsPerTerm: number;
  secondsPerTermMin: number;
  secondsPerTermMax: number;
  /** dim / secondsPerTerm (median), and the spread from the fastest and slowest sample. */
  ampsPerSecond: number;
  ampsPerSecondMin: number;
  ampsPerSecondMax: number;
  bytesPerAmplitudeTerm: number;
  effectiveGBs: number;
  /** Copy bandwidth measured in the same run on the same threads or device, GB/s, and effectiveGBs over it. */
  bandwidthGBs?: number;
  bandwidthRatio?: number;
  /** Norm after the timed advances (1 up to the series' truncation or rounding): proof the work was done. */
  normAfter: number;
}

/**
 * Times `reps` calls of backend.advance(series) after one warm-up (compilation,
 * first touch of the buffers) and checks that the state kept norm 1 to
 * `normTolerance`, so the work was done: seconds per term of each sample.
 */
export async function timeExpansions(
  backend: PropagationBackend,
  series: ChebyshevSeries,
  reps: number,
  normTolerance: number,
  label: string,
): Promise<{ perTerm: Spread; normAfter: number }> {
  await backend.advance(series);
  const seconds: number[] = [];
  let normAfter = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = nowSeconds();
    const [reduction] = await backend.advance(series);
    seconds.push(nowSeconds() - t0);
    normAfter = normOf(reduction);
  }
  if (!(Math.abs(normAfter - 1) < normTolerance)) throw new Error(`${label}: norm ${normAfter} after the timed expansions, expected 1`);
  return { perTerm: spread(seconds.map((s) => s / series.terms)), normAfter };
}

/** The throughput fields of a record from the seconds per term and the bytes-moved model. */
export function termFigures(dim: number, perTerm: Spread, bytesPerAmplitudeTerm: number) {
  const ampsPerSecond = dim / perTerm.median;
  return {
    secondsPerTerm: perTerm.median,
    secondsPerTermMin: perTerm.min,
    secondsPerTermMax: perTerm.max,
    ampsPerSecond,
    ampsPerSecondMin: dim / perTerm.max,
    ampsPerSecondMax: dim / perTerm.min,
    bytesPerAmplitudeTerm,
    effectiveGBs: (ampsPerSecond * bytesPerAmplitudeTerm) / 1e9,
  };
}
