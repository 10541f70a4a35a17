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
  /**
   * WebGPU (f32) against the f64 CPU backend, every observable of a whole run
   * (Delta sigma_z, probabilities, S_z per site, n(x), norm, energy): the
   * target of issue 4 over 80 fs. Measured: about 1e-6 (docs/webgpu.md).
   */
  webgpu: { abs: 1e-4 },
  /**
   * gpu.js (f32, any mode) against the f64 CPU backend, every observable of a
   * whole run. Measured: docs/gpujs.md.
   */
  gpujs: { abs: 1e-4 },
} satisfies Record<string, Tolerance>;

/**
 * WebGPU against the f64 CPU backend for one reduction or one expansion from
 * the same state: f32 rounding of a few dozen terms, nothing accumulated yet.
 */
export const WEBGPU_KERNEL: Tolerance = { abs: 2e-6 };

/**
 * Drift of the conserved quantities (norm, energy in eV, total S_z) over a
 * short WebGPU run: f32 rounding random-walks from one expansion to the next.
 */
export const WEBGPU_CONSERVATION: Tolerance = { abs: 1e-5 };

/**
 * WebGPU with the state split into several buffers against one buffer: the
 * same arithmetic per amplitude; only the reductions add their partial sums
 * in another order.
 */
export const WEBGPU_SPLIT_CONSISTENCY: Tolerance = { abs: 1e-6 };

/**
 * The f64 CPU backend on worker threads against one thread: the same
 * arithmetic per amplitude, only the order of the reduction sums differs.
 */
export const THREAD_CONSISTENCY: Tolerance = { abs: 1e-12 };

/**
 * gpu.js against the f64 CPU backend for one reduction or a few expansions
 * from the same state: f32 rounding of the state (the reductions are f64).
 */
export const GPUJS_KERNEL: Tolerance = { abs: 2e-6 };

/** Drift of the conserved quantities (norm, energy in eV, total S_z) over a short gpu.js run. */
export const GPUJS_CONSERVATION: Tolerance = { abs: 1e-5 };

/**
 * The pair's concurrence of two f64 CPU runs of one config that round
 * differently (another thread count; the browser's worker threads against
 * Node's): near a pure pair state (C ≈ 1 before the packets reach the chain)
 * the vanishing eigenvalues e of √ρ ρ̃ √ρ enter Wootters' formula as √e, so
 * rounding of 1e-16 in ρ shows as about 1e-8 in C. Measured: 8.9e-9 between
 * 1 and 2 threads for an L = 4 singlet over 40 fs, where the probabilities
 * agree to 7e-15 and the chain entropy and correlations exactly.
 */
export const CONCURRENCE_CONSISTENCY: Tolerance = { abs: 1e-7 };
