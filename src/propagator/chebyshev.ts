/**
 * Chebyshev expansion of the propagator (MODEL.md, Propagator):
 *
 *   exp(-i H dt/hbar) psi = e^{-i center dt/hbar} sum_k (2 - delta_k0) (-i)^k J_k(alpha) T_k(H~) psi,
 *   alpha = halfWidth dt / hbar,  H~ = (H - center) / halfWidth.
 *
 * The backends receive only the real weights w_k = (2 - delta_k0) J_k(alpha):
 * the factor (-i)^k is part of the backend contract (even terms add w_k T_k,
 * odd terms add -i w_k T_k or i w_k T_k), and the global phase
 * e^{-i center dt/hbar} is tracked as a number by the propagator, because no
 * observable depends on it. The series is cut where every remaining weight is
 * below the precision's tolerance.
 */

import { besselJSequence } from './bessel.js';

export type Precision = 'f64' | 'f32';

/** Truncation tolerance per precision: well below each format's rounding error. */
export const SERIES_TOLERANCE: Readonly<Record<Precision, number>> = { f64: 1e-15, f32: 1e-9 };

/**
 * Weights w_k = (2 - delta_k0) J_k(alpha) for k = 0 … K-1, cut at the first
 * k > alpha after which |w_k| stays below tol (J_k(alpha) decreases
 * monotonically, faster than geometrically, once k > alpha).
 */
export function chebyshevWeights(alpha: number, tol: number): Float64Array {
  if (!(alpha >= 0)) throw new RangeError(`chebyshevWeights: alpha must be >= 0, got ${alpha}`);
  let n = Math.ceil(alpha + 10 + 3 * Math.cbrt(alpha + 1) + 2 * Math.log10(1 / tol));
  for (;;) {
    const j = besselJSequence(alpha, n);
    for (let k = Math.floor(alpha) + 1; k <= n; k++) {
      if (2 * Math.abs(j[k]) < tol) {
        // Also require the next one to be small: J_k can pass near zero just above alpha.
        if (k + 1 <= n && 2 * Math.abs(j[k + 1]) >= tol) continue;
        const w = new Float64Array(k);
        for (let i = 0; i < k; i++) w[i] = (i === 0 ? 1 : 2) * j[i];
        return w;
      }
    }
    n *= 2;
  }
}

/**
 * One expansion that yields several output states from the same T_k vectors:
 * weights[m] belongs to the time (m + 1) * dt. All rows are padded with zeros
 * to the length of the longest (the last), so `terms` is the number of T_k
 * the backend computes.
 */
export interface ChebyshevSeries {
  readonly terms: number;
  readonly weights: readonly Float64Array[];
}

export function chebyshevSeries(halfWidth: number, dt: number, hbar: number, outputs: number, precision: Precision): ChebyshevSeries {
  const rows: Float64Array[] = [];
  for (let m = 1; m <= outputs; m++) rows.push(chebyshevWeights((halfWidth * m * dt) / hbar, SERIES_TOLERANCE[precision]));
  const terms = Math.max(...rows.map((r) => r.length));
  const weights = rows.map((r) => {
    const w = new Float64Array(terms);
    w.set(r);
    return w;
  });
  return { terms, weights };
}

/** (-i)^k as [re, im]: the fixed phase of term k. */
export function termPhase(k: number): [number, number] {
  switch (k & 3) {
    case 0: return [1, 0];
    case 1: return [0, -1];
    case 2: return [-1, 0];
    default: return [0, 1];
  }
}
