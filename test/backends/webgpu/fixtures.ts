/**
 * Shared set-up of the WebGPU tests: a problem (H, H~) from a run config, and
 * a backend pair (the f64 CPU reference and WebGPU) loaded with the same state.
 */

import { engineConfig } from '../../helpers/engine-config.js';
import type { PropagationBackend, PropagationProblem } from '../../../src/backends/backend.js';
import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import { createWebGpuBackend, type WebGpuBackendOptions } from '../../../src/backends/webgpu/webgpu-backend.js';
import type { ResolvedRunConfig, RunConfigInput } from '../../../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../../../src/model/hamiltonian.js';
import { initialState } from '../../../src/model/initial-state.js';
import { normOf, spinStateProbabilities, type StateReduction } from '../../../src/model/observables.js';
import { spectralBounds, spectralScale } from '../../../src/model/spectral-bounds.js';
import { HBAR_EV_FS } from '../../../src/model/units.js';
import { chebyshevSeries, type ChebyshevSeries } from '../../../src/propagator/chebyshev.js';
import { expectClose, type Tolerance } from '../../helpers/expect-close.js';

export interface Problem extends PropagationProblem {
  readonly config: ResolvedRunConfig;
  readonly halfWidth: number;
  readonly psi: Float64Array;
  /** The series of `outputs` steps of config.dt, cut for f32. */
  series(outputs: number): ChebyshevSeries;
}

export function problemFor(input: RunConfigInput): Problem {
  const config = engineConfig(input);
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  const scaled = scaledHamiltonian(hamiltonian, center, halfWidth);
  return {
    config,
    hamiltonian,
    scaled,
    halfWidth,
    psi: initialState(config),
    series: (outputs) => chebyshevSeries(halfWidth, config.dt, HBAR_EV_FS, outputs, 'f32'),
  };
}

export interface Pair {
  cpu: PropagationBackend;
  gpu: ReturnType<typeof createWebGpuBackend>;
  dispose(): Promise<void>;
}

export async function loadPair(p: Problem, options: WebGpuBackendOptions = {}): Promise<Pair> {
  const cpu = createCpuBackend({ threads: 1 });
  const gpu = createWebGpuBackend(options);
  try {
    await cpu.load(p, p.psi);
    await gpu.load(p, p.psi);
  } catch (err) {
    await Promise.all([cpu.dispose(), gpu.dispose()]);
    throw err;
  }
  return { cpu, gpu, dispose: () => Promise.all([cpu.dispose(), gpu.dispose()]).then(() => undefined) };
}

/** The numbers of a reduction the tests compare, as one flat record. */
export function observables(r: StateReduction): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {
    norm: normOf(r),
    energy: r.energy,
    rho: Array.from(r.rho),
    szSites: Array.from(r.szSites),
    density: Array.from(r.density),
  };
  if (r.rho.length === 32) {
    const p = spinStateProbabilities(r);
    out.probabilities = [p.S, p.T0, p['T+'], p['T-']];
  }
  return out;
}

/** max |a - b| over every entry of two reductions. */
export function maxDeviation(a: StateReduction, b: StateReduction): number {
  const x = observables(a), y = observables(b);
  let m = 0;
  for (const key of Object.keys(y)) {
    const u = [x[key]].flat(), v = [y[key]].flat();
    for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(u[i] - v[i]));
  }
  return m;
}

/** expectClose on every observable of two reductions, each named in a failure. */
export function expectReductionClose(actual: StateReduction, expected: StateReduction, tolerance: Tolerance, label: string): void {
  const a = observables(actual), e = observables(expected);
  for (const key of Object.keys(e)) expectClose(a[key], e[key], { ...tolerance, label: `${label}, ${key}` });
}
