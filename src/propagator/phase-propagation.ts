/**
 * The exact theta sweep from three ordinary propagations (MODEL.md, Studies):
 * no cross terms, so no state leaves the backend.
 *
 * Every reduction is a sesquilinear form of the state, Q(psi) = <psi|O|psi>
 * (rho's elements, S_z per site, n(x), <H>), so for the phase state
 * Psi_theta = a + e^{i theta} b
 *
 *   Q(theta) = <a|O|a> + <b|O|b> + e^{i theta} <a|O|b> + e^{-i theta} <b|O|a>,
 *
 * a trigonometric polynomial of degree one in theta with three (complex)
 * coefficients. Three samples at equally spaced angles theta_k = theta0 +
 * 2 pi k / 3 fix it exactly:
 *
 *   Q(theta) = sum_k w_k(theta) Q(theta_k),  w_k(theta) = (1 + 2 cos(theta - theta_k)) / 3
 *
 * (the discrete Fourier transform on three points; w_k(theta_j) = delta_kj).
 * H is linear, so the same holds at every time: the three phase states are
 * propagated one after another as ordinary runs of state "theta" (each built
 * where the backend keeps it, with its expansions in flight), and every angle
 * of the sweep is a weighted sum of their reductions. The cost is three
 * propagations instead of two plus a cross reduction per output time, and
 * one state in memory instead of two: what pays on a device backend, where
 * the cross terms would read every output state of both propagations back to
 * the host (pair-propagation.ts keeps the two-state scheme for the CPU, whose
 * cross terms are as cheap as a reduction).
 *
 * A run normalizes its initial state, so its reductions are those of
 * Psi_k / |Psi_k|: they are scaled back by z_k = |Psi_k|^2, computed from the
 * packets (productNormSquared). theta0 is the angle of the largest norm,
 * which keeps every z_k >= (|a|^2 + |b|^2) / 2: no sample is a vanishing state.
 */

import type { PropagationBackend } from '../backends/backend.js';
import type { ResolvedRunConfig } from '../model/config.js';
import { initialProductTerms, productNormSquared } from '../model/initial-state.js';
import type { StateReduction } from '../model/observables.js';
import type { PhaseTiming } from '../model/result.js';
import { now, runPropagation, type Progress } from './propagate.js';

export interface PhasePropagationOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  outputsPerExpansion?: number;
}

export interface PhaseRun {
  t: Float64Array;
  /** The three sampling angles, radians. */
  angles: readonly [number, number, number];
  /** Reductions of each unnormalized phase state a + e^{i angles[k]} b, at every output time. */
  samples: readonly StateReduction[][];
  /** H applications of the three runs. */
  matvecs: number;
  seconds: number;
  /** Where a device backend's time went, the three runs together (each load starts the backend's count afresh). */
  phases?: PhaseTiming;
}

/** |a + e^{i theta} b|^2 from the packets (f64, no state). */
export function phaseStateNormSquared(config: ResolvedRunConfig, theta: number): number {
  return productNormSquared(initialProductTerms({ ...config, state: 'theta', theta }));
}

/**
 * Three equally spaced angles starting at the one where |a + e^{i theta} b|
 * is largest: with X = <a|b>, |Psi_theta|^2 = S + 2 Re(e^{i theta} X), which
 * peaks at theta0 = -arg X; the other two then have S - |X| >= S / 2.
 */
export function samplingAngles(config: ResolvedRunConfig): [number, number, number] {
  const z = (theta: number) => phaseStateNormSquared(config, theta);
  const re = (z(0) - z(Math.PI)) / 4, im = (z((3 * Math.PI) / 2) - z(Math.PI / 2)) / 4;
  const theta0 = Math.abs(re) + Math.abs(im) > 0 ? -Math.atan2(im, re) : 0;
  return [theta0, theta0 + (2 * Math.PI) / 3, theta0 + (4 * Math.PI) / 3];
}

/** w_k(theta) for the three sampling angles: Q(theta) = sum_k w_k Q(angles[k]). */
export function phaseWeights(angles: readonly [number, number, number], theta: number): [number, number, number] {
  return angles.map((a) => (1 + 2 * Math.cos(theta - a)) / 3) as [number, number, number];
}

/** sum_k w[k] r[k]: the reduction of the phase state at the angle of the weights (not normalized). */
export function combinePhaseReductions(r: readonly StateReduction[], w: readonly number[]): StateReduction {
  const sum = (pick: (x: StateReduction) => Float64Array) => {
    const out = new Float64Array(pick(r[0]).length);
    for (let k = 0; k < r.length; k++) {
      const v = pick(r[k]);
      for (let i = 0; i < out.length; i++) out[i] += w[k] * v[i];
    }
    return out;
  };
  return {
    rho: sum((x) => x.rho),
    szSites: sum((x) => x.szSites),
    density: sum((x) => x.density),
    energy: r.reduce((s, x, k) => s + w[k] * x.energy, 0),
  };
}

/**
 * The three phase states propagated in turn on one backend, each as a run
 * of state "theta" (runPropagation), their reductions scaled back to the
 * unnormalized states. Progress counts the output times of all three.
 */
export async function runPhasePropagation(
  config: ResolvedRunConfig,
  backend: PropagationBackend,
  options: PhasePropagationOptions = {},
): Promise<PhaseRun> {
  const started = now();
  const angles = samplingAngles(config);
  const samples: StateReduction[][] = [];
  let matvecs = 0;
  let phases: PhaseTiming | undefined;
  let t: Float64Array = new Float64Array(0);
  for (let k = 0; k < 3; k++) {
    const z = phaseStateNormSquared(config, angles[k]);
    const run = await runPropagation({ ...config, state: 'theta', theta: angles[k] }, backend, {
      signal: options.signal,
      outputsPerExpansion: options.outputsPerExpansion,
      onProgress: options.onProgress && ((p) => {
        const steps = 3 * p.steps, step = k * p.steps + p.step;
        const elapsedSeconds = now() - started;
        options.onProgress!({
          fraction: steps > 0 ? step / steps : 1, t: p.t, step, steps, elapsedSeconds,
          etaSeconds: step > 0 ? (elapsedSeconds / step) * (steps - step) : undefined,
        });
      }),
    });
    t = run.t;
    matvecs += run.matvecs;
    if (run.phases) phases = addPhaseTiming(phases, run.phases);
    samples.push(run.reductions.map((r) => combinePhaseReductions([r], [z])));
  }
  return { t, angles, samples, matvecs, seconds: now() - started, ...(phases ? { phases } : {}) };
}

/** Two runs' phase times added; wall clock where either run had no timestamps. */
function addPhaseTiming(sum: PhaseTiming | undefined, p: PhaseTiming): PhaseTiming {
  if (!sum) return { ...p };
  return {
    terms: sum.terms + p.terms,
    reductions: sum.reductions + p.reductions,
    transfers: sum.transfers + p.transfers,
    source: sum.source === 'timestamp-query' && p.source === 'timestamp-query' ? 'timestamp-query' : 'wall-clock',
  };
}

/** The reductions of a + e^{i theta} b at every output time (not normalized). */
export function phaseReductionsAt(run: PhaseRun, theta: number): StateReduction[] {
  const w = phaseWeights(run.angles, theta);
  return run.samples[0].map((_, q) => combinePhaseReductions(run.samples.map((s) => s[q]), w));
}
