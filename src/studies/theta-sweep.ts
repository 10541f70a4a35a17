/**
 * The exact theta sweep (MODEL.md, Studies; paper Fig. 4): the phase state
 * Psi_theta = a + e^{i theta} b for any number of angles from a fixed number
 * of propagations: on a backend that reduces cross terms where its states
 * live (the CPU), two, of a and of b, plus their cross terms
 * (pair-propagation.ts); on any other (WebGPU, gpu.js), three phase states in
 * turn, whose reductions fix every angle's exactly (phase-propagation.ts), so
 * no state is read back from the device. Every angle gets a full result
 * (INTERFACE.md) as if state "theta" had been run at that angle.
 */

import { assertRunsBasis, type PropagationBackend } from '../backends/backend.js';
import type { GpuMemoryBudget } from '../backends/webgpu/memory-budget.js';
import { selectBackend } from '../backends/select.js';
import { ConfigError, parseRunConfig, type ResolvedRunConfig, type RunConfig } from '../model/config.js';
import { resolveBasis, withPresumedBasis, type BasisChoice } from '../model/basis.js';
import { assertInitialStateExists, thetaComponents } from '../model/initial-state.js';
import { layoutForConfig } from '../model/layout.js';
import { combineThetaReduction, normOf, normalizedReduction, type StateReduction } from '../model/observables.js';
import { phaseReductionsAt, runPhasePropagation } from '../propagator/phase-propagation.js';
import { assembleResult, type PhaseTiming, type SimulationResult } from '../model/result.js';
import { runPairPropagation } from '../propagator/pair-propagation.js';
import type { Progress } from '../propagator/propagate.js';
import { checkMemory } from '../simulate.js';

export interface ThetaSweepOptions {
  /** Backend name (default "auto"); each of the two states runs on a backend of its own. */
  backend?: string;
  threads?: number | 'auto';
  /** Cap on each WebGPU backend's buffers, bytes (--gpu-memory). */
  gpuMemory?: number;
  /** Told what each WebGPU backend's buffers need, before they are allocated. */
  onGpuMemory?: (budget: GpuMemoryBudget) => void;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Told which backend runs and why, before the propagations start. */
  onBackend?: (name: string, description: string, reason: string, basis?: BasisChoice) => void;
  outputsPerExpansion?: number;
}

export interface ThetaSweep {
  theta: number[];
  /** One result per angle: the config is the base with state "theta" at that angle. */
  results: SimulationResult[];
  backend: string;
  precision: 'f64' | 'f32';
  /**
   * Every propagation of the sweep together (the pair and its cross terms, or the three phase states);
   * phases: a device backend's split of its time, the three runs added.
   */
  timing: { seconds: number; matvecs: number; phases?: PhaseTiming };
}

/** K angles equally spaced in [0, 2 pi): 2 pi k / K. */
export function equallySpacedAngles(points: number): number[] {
  if (!Number.isInteger(points) || points < 1) throw new RangeError(`points must be an integer >= 1, got ${points}`);
  return Array.from({ length: points }, (_, k) => (2 * Math.PI * k) / points);
}

/**
 * The phase state at every angle of `thetas` from two propagations. The base
 * config's own state and theta are ignored (the sweep is over state
 * "theta"); every other key applies.
 */
export async function thetaSweep(baseInput: unknown, thetas: readonly number[], options: ThetaSweepOptions = {}): Promise<ThetaSweep> {
  const base = parseRunConfig(baseInput);
  if (!Array.isArray(thetas) || thetas.length === 0) throw new ConfigError('theta', thetas, 'a list of at least one angle', undefined, 'theta sweep');
  for (const th of thetas) if (typeof th !== 'number' || !Number.isFinite(th)) throw new ConfigError('theta', th, 'finite numbers (radians)', undefined, 'theta sweep');
  if (base.entanglement) {
    throw new ConfigError('entanglement', true, 'false in a theta sweep', 'the sweep takes every angle from two propagations and their cross terms, which give no entanglement; run single theta states with entanglement instead', 'theta sweep');
  }
  const requested: RunConfig = { ...base, state: 'theta', theta: 0 };
  // Before any work: the phase state vanishes where it is T0 and the packets coincide (d = 0).
  assertInitialStateExists({ ...requested, theta: thetas.reduce((a, b) => (Math.cos(b) < Math.cos(a) ? b : a)) });
  // Refused before a backend starts when even the basis "auto" presumes cannot fit one state.
  checkMemory(withPresumedBasis(requested), options.outputsPerExpansion, 1);
  const backends: PropagationBackend[] = [];
  const select = async () => {
    const choice = await selectBackend(options.backend ?? 'auto', { threads: options.threads, config: requested, gpuMemory: options.gpuMemory, onGpuMemory: options.onGpuMemory });
    backends.push(choice.backend);
    return choice;
  };
  try {
    const { backend: A, reason } = await select();
    const basis = resolveBasis(requested, A);
    const config: ResolvedRunConfig = { ...requested, basis: basis.basis };
    assertRunsBasis(A, config.basis);
    // A backend that reduces cross terms where its states live (the CPU) runs a and b side by side;
    // any other propagates three phase states in turn and reads nothing but their reductions.
    const pair = typeof A.crossReductions === 'function';
    const plan = checkMemory(config, options.outputsPerExpansion, pair ? 2 : 1);
    const outputsPerExpansion = options.outputsPerExpansion ?? (plan.outputsPerExpansion === 1 ? 1 : undefined);
    options.onBackend?.(A.name, `${A.description}, ${pair ? 'two states side by side' : 'three phase states in turn'}`, reason, basis);
    let t: Float64Array, seconds: number, matvecs: number;
    let phases: PhaseTiming | undefined;
    let reductionsAt: (theta: number) => StateReduction[];
    if (pair) {
      const { backend: B } = await select();
      const { a, b } = thetaComponents(config);
      const run = await runPairPropagation(config, [A, B], [a, b], { signal: options.signal, onProgress: options.onProgress, outputsPerExpansion });
      ({ t, seconds, matvecs } = run);
      reductionsAt = (theta) => run.aa.map((ra, k) => combineThetaReduction(ra, run.bb[k], run.ab[k], theta, 1));
    } else {
      const run = await runPhasePropagation(config, A, { signal: options.signal, onProgress: options.onProgress, outputsPerExpansion });
      ({ t, seconds, matvecs, phases } = run);
      reductionsAt = (theta) => phaseReductionsAt(run, theta);
    }
    const dim = layoutForConfig(config).dim;
    const timing = { seconds, matvecs, ...(phases ? { phases } : {}) };
    const results = thetas.map((theta) => {
      const raw = reductionsAt(theta);
      // |a + e^{i theta} b|^2 at t = 0: the state normalized at t = 0, as a run of state "theta" is.
      const z = normOf(raw[0]);
      if (!(z > 1e-20)) throw new RangeError(`the phase state vanishes at theta = ${theta} (d = ${config.d})`);
      const reductions = raw.map((r) => normalizedReduction(r, z));
      return assembleResult({ ...config, theta }, dim, A, t, reductions, timing);
    });
    return { theta: [...thetas], results, backend: A.name, precision: A.precision, timing };
  } finally {
    for (const backend of backends) await backend.dispose();
  }
}
