/**
 * The theta sweep on the f32 backends: three phase states propagated in turn
 * (phase-propagation.ts) against the f64 CPU's pair with its cross terms;
 * every angle must agree within the backend's tolerance, with several output
 * times per expansion, in every basis the backend runs. outputStates() (which
 * the pair would read) still gives every output time of an expansion.
 */

import { engineConfig } from '../helpers/engine-config.js';
import { describe, expect, it } from 'vitest';
import { hamiltonianTerms } from '../../src/model/hamiltonian.js';
import { initialState } from '../../src/model/initial-state.js';
import { spectralBounds, spectralScale } from '../../src/model/spectral-bounds.js';
import { scaledHamiltonian } from '../../src/model/hamiltonian.js';
import { chebyshevSeries } from '../../src/propagator/chebyshev.js';
import { HBAR_EV_FS } from '../../src/model/units.js';
import { selectBackend } from '../../src/backends/select.js';
import { thetaSweep } from '../../src/studies/theta-sweep.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectSameRun } from '../helpers/result-checks.js';
import { describeWebGpu } from '../helpers/webgpu.js';
import { TOLERANCES } from '../tolerances.js';

const SMALL = { N: 14, L: 3, x2: 4, d: 4, sigma: 1.5, Jsd: 0.6, tEnd: 4, dt: 0.5, basis: 'full' as const };
const THETAS = [0, 1.1, Math.PI, 5];

async function expectSweepMatchesCpu(backend: string, tol: { abs: number }, basis: 'full' | 'sector' | 'antisymmetric' = 'full'): Promise<void> {
  const reference = await thetaSweep({ ...SMALL, basis: 'full' }, THETAS, { backend: 'cpu' });
  const sweep = await thetaSweep({ ...SMALL, basis }, THETAS, { backend, outputsPerExpansion: 3 });
  expect(sweep.results[0].config.basis).toBe(basis);
  expect(sweep.precision).toBe('f32');
  for (let i = 0; i < THETAS.length; i++) expectSameRun(sweep.results[i], reference.results[i], tol);
  if (backend === 'webgpu') {
    // The device's split of its time, the three phase runs added: every phase ran, and within the sweep's wall clock.
    const phases = sweep.timing.phases!;
    expect(phases, 'timing.phases of a WebGPU sweep').toBeDefined();
    expect(phases.terms).toBeGreaterThan(0);
    expect(phases.reductions).toBeGreaterThan(0);
    expect(phases.transfers).toBeGreaterThan(0);
    expect(phases.terms + phases.reductions + phases.transfers).toBeLessThanOrEqual(sweep.timing.seconds);
    for (const r of sweep.results) expect(r.timing.phases).toEqual(phases);
  }
}

/** outputStates() of one expansion with 3 outputs: each is the state a 1-output expansion reaches. */
async function expectOutputStatesAreTheOutputs(backend: string, tol: { abs: number }): Promise<void> {
  const config = engineConfig(SMALL);
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  const problem = { hamiltonian, scaled: scaledHamiltonian(hamiltonian, center, halfWidth) };
  const psi = initialState(config);
  const [many, one] = [(await selectBackend(backend)).backend, (await selectBackend('cpu')).backend];
  try {
    await many.load(problem, psi);
    await one.load(problem, psi);
    await many.advance(chebyshevSeries(halfWidth, config.dt, HBAR_EV_FS, 3, many.precision));
    const states = await many.outputStates!();
    expect(states).toHaveLength(3);
    const single = chebyshevSeries(halfWidth, config.dt, HBAR_EV_FS, 1, 'f64');
    for (let q = 0; q < 3; q++) {
      await one.advance(single);
      expectClose(states[q], await one.readState(), { ...tol, label: `output ${q}` });
    }
    expectClose(states[2], await many.readState(), { abs: 0, label: 'last output is the state' });
  } finally {
    await many.dispose();
    await one.dispose();
  }
}

describeWebGpu('theta sweep on WebGPU', () => {
  it('agrees with the f64 CPU sweep at every angle', () => expectSweepMatchesCpu('webgpu', TOLERANCES.webgpu));
  it.each(['sector', 'antisymmetric'] as const)('agrees with the f64 CPU sweep at every angle in basis %s', (basis) =>
    expectSweepMatchesCpu('webgpu', TOLERANCES.webgpu, basis));
  it('gives the state of every output time of an expansion', () => expectOutputStatesAreTheOutputs('webgpu', { abs: 1e-5 }));
});

describe('theta sweep on gpu.js (webasm)', () => {
  it('agrees with the f64 CPU sweep at every angle', () => expectSweepMatchesCpu('gpujs-webasm', TOLERANCES.gpujs));
  it('gives the state of every output time of an expansion', () => expectOutputStatesAreTheOutputs('gpujs-webasm', { abs: 1e-5 }));
});

describe('theta sweep on the CPU', () => {
  it('gives the state of every output time of an expansion', () => expectOutputStatesAreTheOutputs('cpu', { abs: 1e-13 }));
});
