/**
 * Per-backend tolerances, in one place (STYLE.md, "Tests that prove physics").
 * A backend's results are compared with the f64 ground truth (the dense
 * reference for tiny systems, the f64 CPU backend otherwise) through
 * expectClose(actual, expected, TOLERANCES[backend]).
 */

import type { Tolerance } from './helpers/expect-close.js';

export const TOLERANCES = {
  /**
   * f64 CPU backend against the dense exp(-i H t / hbar) reference: the
   * Chebyshev series is cut at 1e-15, so what is left is rounding, well below this.
   */
  cpu: { abs: 1e-10 },
} satisfies Record<string, Tolerance>;

/**
 * The f64 CPU backend on worker threads against one thread: the same
 * arithmetic per amplitude, only the order of the reduction sums differs.
 */
export const THREAD_CONSISTENCY: Tolerance = { abs: 1e-12 };
