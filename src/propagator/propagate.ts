/**
 * The step loop: from a validated config to the reductions at every output
 * time, driving any PropagationBackend. Owns the physics a backend does not:
 * the Hamiltonian terms, the spectral scale, the Chebyshev weights and the
 * global phase e^{-i center t / hbar} that the weights leave out.
 */

import type { PropagationBackend, PropagationProblem } from '../backends/backend.js';
import { throwIfAborted } from '../backends/backend.js';
import { outputTimes, type RunConfig } from '../model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../model/hamiltonian.js';
import { initialState } from '../model/initial-state.js';
import type { StateReduction } from '../model/observables.js';
import { spectralBounds, spectralScale } from '../model/spectral-bounds.js';
import { HBAR_EV_FS } from '../model/units.js';
import { chebyshevSeries, type ChebyshevSeries, type Precision } from './chebyshev.js';

export interface Progress {
  /** Share of the output times done, 0 … 1. */
  fraction: number;
  /** Simulated time reached, fs. */
  t: number;
  /** Output times done and in all. */
  step: number;
  steps: number;
  elapsedSeconds: number;
  /** Estimated seconds left (undefined before the first step). */
  etaSeconds?: number;
}

export interface PropagationOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /**
   * Output times produced by one Chebyshev expansion (default: the
   * backend's preferredOutputsPerExpansion). The T_k
   * vectors serve every output time of the expansion; only the weights
   * differ (docs/benchmarks.md measures whether more than one pays).
   */
  outputsPerExpansion?: number;
  /** Return the final state (with its global phase) as well. */
  keepFinalState?: boolean;
  /** The initial state to use instead of the config's (canonical layout, interleaved complex). */
  initialState?: Float64Array;
  /** Called once the backend holds the state, before the first step. */
  onStart?: () => void;
}

export interface PropagationRun {
  t: Float64Array;
  reductions: StateReduction[];
  /** H applications: Chebyshev terms plus one per reduction (for <H>). */
  matvecs: number;
  seconds: number;
  finalState?: Float64Array;
}

export const now = (): number => (globalThis.performance ?? Date).now() / 1000;

/** What every propagation of a config shares: H, its Chebyshev scaling, the output times and the series. */
export interface PreparedProblem {
  problem: PropagationProblem;
  /** Centre of the spectrum, eV: the global phase e^{-i center t / hbar} the weights leave out. */
  center: number;
  t: Float64Array;
  /** Output intervals: t.length - 1. */
  steps: number;
  /** The Chebyshev series of `outputs` output times (cached). */
  seriesFor(outputs: number): ChebyshevSeries;
}

export function prepareProblem(config: RunConfig, precision: Precision): PreparedProblem {
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  const scaled = scaledHamiltonian(hamiltonian, center, halfWidth);
  const t = outputTimes(config);
  const cache = new Map<number, ChebyshevSeries>();
  const seriesFor = (outputs: number) => {
    let s = cache.get(outputs);
    if (!s) cache.set(outputs, (s = chebyshevSeries(halfWidth, config.dt, HBAR_EV_FS, outputs, precision)));
    return s;
  };
  return { problem: { hamiltonian, scaled }, center, t, steps: t.length - 1, seriesFor };
}

/** Progress after `done` of the output intervals; `loopSeconds` is the time spent stepping (for the ETA). */
export function progressAt(t: Float64Array, done: number, elapsedSeconds: number, loopSeconds: number): Progress {
  const steps = t.length - 1;
  return {
    fraction: steps > 0 ? done / steps : 1,
    t: t[done],
    step: done,
    steps,
    elapsedSeconds,
    etaSeconds: done > 0 ? (loopSeconds / done) * (steps - done) : undefined,
  };
}

export async function runPropagation(
  config: RunConfig,
  backend: PropagationBackend,
  options: PropagationOptions = {},
): Promise<PropagationRun> {
  const started = now();
  const { signal } = options;
  const checkCancelled = () => throwIfAborted(signal);
  checkCancelled();
  const { problem, center, t, steps, seriesFor } = prepareProblem(config, backend.precision);
  const perExpansion = Math.max(1, Math.min(options.outputsPerExpansion ?? backend.preferredOutputsPerExpansion, Math.max(steps, 1)));

  const psi0 = options.initialState ?? initialState(config);
  await backend.load(problem, psi0);
  options.onStart?.();
  const reductions: StateReduction[] = [await backend.reduce()];
  let matvecs = 1;

  const loopStart = now();
  while (reductions.length - 1 < steps) {
    checkCancelled();
    const outputs = Math.min(perExpansion, steps - (reductions.length - 1));
    const series = seriesFor(outputs);
    reductions.push(...(await backend.advance(series)));
    matvecs += series.terms - 1 + outputs;
    const done = reductions.length - 1;
    const elapsed = now() - loopStart;
    options.onProgress?.(progressAt(t, done, now() - started, elapsed));
  }
  checkCancelled();

  const run: PropagationRun = { t, reductions, matvecs, seconds: now() - started };
  if (options.keepFinalState) {
    // Restore the global phase e^{-i center t_end / hbar} the weights leave out.
    const state = await backend.readState();
    const phase = (-center * t[t.length - 1]) / HBAR_EV_FS;
    const c = Math.cos(phase), s = Math.sin(phase);
    for (let i = 0; i < state.length; i += 2) {
      const x = state[i], y = state[i + 1];
      state[i] = c * x - s * y;
      state[i + 1] = c * y + s * x;
    }
    run.finalState = state;
  }
  return run;
}
