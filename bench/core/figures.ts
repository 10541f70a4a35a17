/**
 * Timing and the throughput figures of one case, shared by the Node harness
 * (bench/run.ts) and the browser page (bench/browser/main.ts): nothing here
 * may import a Node module.
 */

import type { PhaseTiming } from '../../src/model/result.js';
import type { PropagationBackend } from '../../src/backends/backend.js';
import { normOf } from '../../src/model/observables.js';
import type { ChebyshevSeries } from '../../src/propagator/chebyshev.js';

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

/** A figure with 3 significant digits, for tables. */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumSignificantDigits: digits, useGrouping: false });
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

/** "terms 81 %, reductions 12 %, transfers 7 % (timestamp-query)": the shares of a device backend's phases. */
export function phaseSplit(p: PhaseTiming): string {
  const total = p.terms + p.reductions + p.transfers;
  const pct = (x: number) => `${total > 0 ? Math.round((100 * x) / total) : 0} %`;
  return `terms ${pct(p.terms)}, reductions ${pct(p.reductions)}, transfers ${pct(p.transfers)} (${p.source})`;
}
