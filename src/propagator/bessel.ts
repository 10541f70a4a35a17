/**
 * Bessel functions of the first kind J_0(x) … J_n(x) for real x >= 0, by
 * Miller's backward recurrence
 *     J_{k-1}(x) = (2k / x) J_k(x) - J_{k+1}(x),
 * started far above both n and x from arbitrary small values and normalized
 * with J_0(x) + 2 sum_{k>=1} J_{2k}(x) = 1. Downward the recurrence follows the
 * dominant (J) solution, so it is stable for every k where forward recurrence
 * loses all digits once k > x.
 */

/** Start index of the backward recurrence: enough headroom above max(n, x) for full f64 accuracy. */
function millerStart(n: number, x: number): number {
  const top = Math.max(n, Math.ceil(x));
  const start = top + 30 + Math.ceil(Math.sqrt(60 * (top + 1)));
  return start + (start % 2); // even, so the normalization sum pairs up
}

/** Below this, x^2 is under the f64 rounding of 1 and the leading term of the power series is exact. */
const SMALL_X = 1e-9;

/** [J_0(x), J_1(x), …, J_n(x)]. */
export function besselJSequence(x: number, n: number): Float64Array {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`besselJSequence: x must be finite and >= 0, got ${x}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`besselJSequence: n must be an integer >= 0, got ${n}`);
  const out = new Float64Array(n + 1);
  if (x === 0) {
    out[0] = 1;
    return out;
  }
  if (x < SMALL_X) {
    // J_k(x) = (x/2)^k / k! (1 - x^2 / (4 (k + 1)) + …): the first term is exact in f64 here,
    // while the recurrence's ratio 2k/x would overflow the f64 range between two rescalings.
    out[0] = 1;
    for (let k = 1; k <= n && out[k - 1] !== 0; k++) out[k] = (out[k - 1] * x) / (2 * k);
    return out;
  }
  const start = millerStart(n, x);
  const values = new Float64Array(start + 2);
  values[start + 1] = 0;
  values[start] = 1e-300;
  let norm = 0; // sum of J_0 + 2 J_2 + 2 J_4 + … in the running (unnormalized) scale
  for (let k = start; k >= 1; k--) {
    values[k - 1] = ((2 * k) / x) * values[k] - values[k + 1];
    if (Math.abs(values[k - 1]) > 1e250) {
      // Rescale everything computed so far to stay inside the f64 range.
      for (let j = k - 1; j <= start + 1; j++) values[j] *= 1e-250;
      norm *= 1e-250;
    }
    if (k % 2 === 0) norm += 2 * values[k];
  }
  norm += values[0];
  for (let k = 0; k <= n; k++) out[k] = values[k] / norm;
  return out;
}

/** J_n(x) for one order. */
export function besselJ(n: number, x: number): number {
  return besselJSequence(x, n)[n];
}
