/**
 * The f64 CPU engine against the independent dense reference of MODEL.md
 * (test/reference/dense-model.ts: Kronecker-product H, exp(-i H t / hbar) by
 * eigendecomposition) on tiny rings, for every initial state and every option:
 * the final state of runPropagation amplitude by amplitude, and every time
 * series of simulate(). Then the worker-thread path against one thread on a
 * state too large for the dense reference.
 */

import { engineConfig } from '../helpers/engine-config.js';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import { type ResolvedRunConfig, type RunConfig, type RunConfigInput } from '../../src/model/config.js';
import { runPropagation, type PropagationRun } from '../../src/propagator/propagate.js';
import { simulate } from '../../src/simulate.js';
import { expectClose } from '../helpers/expect-close.js';
import { denseEngineHamiltonian } from '../helpers/engine-hamiltonian.js';
import {
  basisIndex, decompositionResidual, denseHamiltonian, denseInitialState, denseProblem, denseRun, diagonalize,
  embedDiagonal, normSquared, tensorSpace, type DenseRun,
} from '../reference/dense-model.js';
import { THREAD_CONSISTENCY, TOLERANCES } from '../tolerances.js';

const TOL = TOLERANCES.cpu;

/**
 * Five sites, two spins on sites 2 and 3: the packets (sigma 1.2 on a ring of
 * 5) cover the chain from t = 0, so spin moves within 3 fs for every option.
 * Non-integer centres make phi_1 and phi_2 distinct and the states non-degenerate.
 */
const BASE: RunConfigInput = { N: 5, L: 2, spinStart: 2, x2: 1.5, d: 1.7, sigma: 1.2, ke: 1, tEnd: 3, dt: 0.5 };

const STATES: RunConfigInput[] = [
  { state: 'singlet' },
  { state: 'T0' },
  { state: 'T+' },
  { state: 'T-' },
  { state: 'theta', theta: 0.4 },
  { state: 'theta', theta: 2.1 },
  { state: 'theta', theta: 4.0 },
  { state: 'single' },
  { state: 'single', singleSpin: 'up' },
];

const OPTIONS: RunConfigInput[] = (['half', 'pauli'] as const).flatMap((electronSpin) =>
  (['full', 'zz', 'flip'] as const).map((sdTerms) => ({ electronSpin, sdTerms })),
);

/** Other geometries and couplings, negative ones included. */
const GEOMETRIES = {
  // Even N with integer centres: x - x_j = N/2 occurs and must map to -N/2 (phase included).
  // Negative J_ex; tEnd not a multiple of dt (the last output is at 3 fs).
  evenRing: { N: 4, L: 3, spinStart: 0, x2: 2, d: 2, sigma: 1.5, ke: 1.3, th: 0.7, Jex: -0.35, Jsd: 0.9, tEnd: 3.2, dt: 1 },
  // Negative t_h, J_sd and k_e; one spin at the default spinStart (3).
  negative: { N: 6, L: 1, x2: 1.2, d: 3.1, sigma: 2, ke: -0.8, th: -0.4, Jex: 0.5, Jsd: -0.6, tEnd: 3, dt: 0.5 },
  // Three spins, all couplings of a similar size.
  threeSpins: { N: 5, L: 3, spinStart: 1, x2: 0.5, d: 2.5, sigma: 1, ke: 2.2, th: 0.3, Jex: 0.45, Jsd: 0.5, tEnd: 2, dt: 0.5 },
} satisfies Record<string, RunConfigInput>;

const VARIANTS: RunConfigInput[] = [
  ...(['singlet', 'T0', 'T-', 'single'] as const).flatMap((state) =>
    [{}, { electronSpin: 'pauli', sdTerms: 'flip' } as const].map((o) => ({ ...GEOMETRIES.evenRing, state, ...o })),
  ),
  { ...GEOMETRIES.evenRing, state: 'theta', theta: 1.3 },
  ...(['T0', 'T+', 'singlet', 'single'] as const).flatMap((state) =>
    [{ electronSpin: 'pauli' } as const, { sdTerms: 'zz' } as const].map((o) => ({ ...GEOMETRIES.negative, state, ...o })),
  ),
  { ...GEOMETRIES.negative, state: 'theta', theta: 5.5 },
  { ...GEOMETRIES.negative, state: 'single', singleSpin: 'up' },
  ...[{ state: 'singlet' }, { state: 'T-' }, { state: 'theta', theta: 3 }].map((s) => ({ ...GEOMETRIES.threeSpins, ...s }) as RunConfigInput),
];

const CASES: RunConfigInput[] = [
  ...STATES.flatMap((s) => OPTIONS.map((o) => ({ ...BASE, ...s, ...o }))),
  ...VARIANTS,
];

/** Every Hamiltonian the cases use, once: the keys H depends on, and one or two electrons. */
const HAMILTONIANS: RunConfigInput[] = [
  ...new Map(
    CASES.map((c) => {
      const { N, L, spinStart, th, Jex, Jsd, electronSpin, sdTerms } = engineConfig(c);
      const h: RunConfigInput = { N, L, spinStart, th, Jex, Jsd, electronSpin, sdTerms, state: c.state === 'single' ? 'single' : 'singlet' };
      return [JSON.stringify(h), h] as const;
    }),
  ).values(),
];

const named = (configs: RunConfigInput[]) => configs.map((c) => [JSON.stringify(c), c] as const);

const references = new Map<string, DenseRun>();
function reference(config: RunConfig): DenseRun {
  const key = JSON.stringify(config);
  let r = references.get(key);
  if (!r) references.set(key, (r = denseRun(config)));
  return r;
}

async function engineRun(config: ResolvedRunConfig, threads: number): Promise<{ run: PropagationRun; description: string }> {
  const backend = createCpuBackend({ threads });
  try {
    const run = await runPropagation(config, backend, { keepFinalState: true });
    return { run, description: backend.description };
  } finally {
    await backend.dispose();
  }
}

describe('the dense reference itself', () => {
  it('re-derives the canonical index from the Kronecker order', () => {
    const two = tensorSpace({ N: 5, L: 2, state: 'singlet' });
    // ((xA N + xB) 4 + 2 bA + bB) 2^L + m, by hand: ((4*5+1)*4 + 2)*4 + 3 = 347.
    expect(basisIndex(two, [4, 1], [1, 0], 3)).toBe(347);
    expect(basisIndex(two, [0, 0], [0, 0], 0)).toBe(0);
    expect(basisIndex(two, [4, 4], [1, 1], 3)).toBe(two.dim - 1);
    const one = tensorSpace({ N: 5, L: 2, state: 'single' });
    // (x 2 + b) 2^L + m: (3*2 + 1)*4 + 2 = 30.
    expect(basisIndex(one, [3], [1], 2)).toBe(30);
  });

  it.each(named(HAMILTONIANS))('H is symmetric, conserves the total S_z and is diagonalized to 1e-12: %s', (_, input) => {
    const config = engineConfig(input);
    const { H, decomposition, operators: { space } } = denseProblem(config);
    const n = H.n;
    // The conserved total of MODEL.md: sigma_z(A) + sigma_z(B) + sum S_z with "half",
    // (sigma_z(A) + sigma_z(B))/2 + sum S_z with "pauli": in both, (1/2) Pauli_z per spin.
    const total = new Float64Array(n);
    const spins = [...space.electronSpin, ...Array.from({ length: config.L }, (_, j) => space.localSpin(j))];
    for (const f of spins) {
      const d = embedDiagonal(space, new Map([[f, [0.5, -0.5]]]));
      for (let i = 0; i < n; i++) total[i] += d[i];
    }
    let asymmetry = 0, violation = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        asymmetry = Math.max(asymmetry, Math.abs(H.data[i * n + j] - H.data[j * n + i]));
        violation = Math.max(violation, Math.abs(H.data[i * n + j] * (total[i] - total[j])));
      }
    }
    expect(asymmetry).toBe(0);
    expect(violation).toBe(0);
    const residual = decompositionResidual(H, decomposition);
    expect(residual.reconstruction).toBeLessThan(1e-12);
    expect(residual.orthogonality).toBeLessThan(1e-12);
  });

  it('gives the free tight-binding spectrum -2 t_h cos(2 pi k / N) without couplings', () => {
    const config = engineConfig({ N: 5, L: 1, th: 0.7, Jex: 0, Jsd: 0, state: 'single' });
    const values = diagonalize(denseHamiltonian(config).H).blocks.flatMap((b) => Array.from(b.values)).sort((a, b) => a - b);
    // Each band energy is 4-fold: electron spin x local spin.
    const expected = [0, 1, 2, 3, 4].flatMap((k) => Array(4).fill(-2 * 0.7 * Math.cos((2 * Math.PI * k) / 5))).sort((a, b) => a - b);
    expectClose(values, expected, { abs: 1e-13 });
  });

  it.each(named(STATES.map((s) => ({ ...BASE, ...s }))))('initial state is normalized and starts in its spin state: %s', (_, input) => {
    const config = engineConfig(input);
    const r = reference(config);
    expect(Math.abs(normSquared(r.initialState) - 1)).toBeLessThan(1e-14);
    expectClose(r.SzSites[0], [0.5, 0.5], { abs: 1e-14 });
    if (config.state === 'single') {
      expectClose(r.sigmaZ[0], config.singleSpin === 'down' ? -0.5 : 0.5, { abs: 1e-14 });
      return;
    }
    const p = r.probabilities!;
    const sum = p.S[0] + p.T0[0] + p['T+'][0] + p['T-'][0];
    expectClose(sum, 1, { abs: 1e-14, label: 'S + T0 + T+ + T-' });
    if (config.state !== 'theta') {
      const key = config.state === 'singlet' ? 'S' : config.state;
      expectClose(p[key][0], 1, { abs: 1e-14, label: key });
    }
  });

  it('theta = 0 is the singlet and theta = pi is T0 (Eq. 8)', () => {
    const at = (extra: RunConfigInput) => denseInitialState(engineConfig({ ...BASE, ...extra }));
    expectClose(at({ state: 'theta', theta: 0 }), at({ state: 'singlet' }), { abs: 1e-15 });
    expectClose(at({ state: 'theta', theta: Math.PI }), at({ state: 'T0' }), { abs: 1e-15 });
  });
});

describe('engine H equals the dense H element by element', () => {
  it.each(named(HAMILTONIANS))('%s', (_, input) => {
    const config = engineConfig(input);
    const engine = denseEngineHamiltonian(config);
    const { H } = denseProblem(config);
    expect(engine.n).toBe(H.n);
    expectClose(engine.data, H.data, { abs: 1e-14 });
  });
});

describe('final state of runPropagation (cpu, 1 thread) = exp(-i H t / hbar) psi0', () => {
  it.each(named(CASES))('%s', async (_, input) => {
    const config = engineConfig(input);
    const ref = reference(config);
    const { run } = await engineRun(config, 1);
    expectClose(run.t, ref.t, { abs: 1e-15, label: 't' });
    expectClose(run.finalState!, ref.finalState, { ...TOL, label: 'final state' });
    // The case tests something: spin moves unless nothing can flip it (zz only, or all spins up: T+, single up).
    const transfer = Math.max(...ref.deltaSigmaZ);
    const allUp = config.state === 'T+' || (config.state === 'single' && config.singleSpin === 'up');
    if (config.sdTerms === 'zz' || allUp) expect(transfer).toBeLessThan(1e-12);
    else expect(transfer).toBeGreaterThan(1e-3);
  });
});

describe('simulate() time series = dense observables', () => {
  it.each(named(CASES))('%s', async (_, input) => {
    const config = engineConfig(input);
    const ref = reference(config);
    const r = await simulate(config, { backend: 'cpu' });
    expect(r.config).toEqual(config);
    expect(r.dim).toBe(ref.dim);
    expect(r.backend).toBe('cpu');
    expect(r.precision).toBe('f64');
    expectClose(r.t, ref.t, { abs: 1e-15, label: 't' });
    for (const key of ['norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz', 'SzSites', 'density'] as const) {
      expectClose(r[key], ref[key], { ...TOL, label: key });
    }
    if (config.state === 'single') {
      expect(r.probabilities).toBeUndefined();
    } else {
      for (const key of ['S', 'T0', 'T+', 'T-'] as const) {
        expectClose(r.probabilities![key], ref.probabilities![key], { ...TOL, label: `probabilities.${key}` });
      }
    }
    expectClose(r.chainIntervals, ref.chainIntervals, { abs: 1e-12, rel: 1e-12, label: 'chainIntervals' });
  });
});

describe('worker threads', () => {
  it('threads: 2 gives the final state and every reduction of threads: 1 (N = 24, L = 4, 36864 amplitudes)', async () => {
    const config = engineConfig({ N: 24, L: 4, x2: 6, d: 4, sigma: 2, tEnd: 1.5, dt: 0.5, state: 'T0', Jsd: 0.8 });
    const one = await engineRun(config, 1);
    const two = await engineRun(config, 2);
    expect(one.description).toBe('cpu f64, 1 worker thread');
    expect(two.description).toBe('cpu f64, 2 worker threads');
    expectClose(two.run.finalState!, one.run.finalState!, { ...THREAD_CONSISTENCY, label: 'final state' });
    expect(two.run.reductions).toHaveLength(one.run.reductions.length);
    one.run.reductions.forEach((r1, k) => {
      const r2 = two.run.reductions[k];
      expectClose(r2.rho, r1.rho, { ...THREAD_CONSISTENCY, label: `rho at t[${k}]` });
      expectClose(r2.szSites, r1.szSites, { ...THREAD_CONSISTENCY, label: `szSites at t[${k}]` });
      expectClose(r2.density, r1.density, { ...THREAD_CONSISTENCY, label: `density at t[${k}]` });
      expectClose(r2.energy, r1.energy, { ...THREAD_CONSISTENCY, label: `energy at t[${k}]` });
    });
    // The run is not trivial: the state moved away from its start.
    expect(overlapWithReferenceStart(config, one.run.finalState!)).toBeLessThan(0.99);
  });
});

/** |<psi0|psi>| with psi0 from the engine-independent reference (the N = 24 state is only built, not propagated). */
function overlapWithReferenceStart(config: RunConfig, psi: Float64Array): number {
  const psi0 = denseInitialState(config);
  let re = 0, im = 0;
  for (let i = 0; i < psi.length; i += 2) {
    re += psi0[i] * psi[i] + psi0[i + 1] * psi[i + 1];
    im += psi0[i] * psi[i + 1] - psi0[i + 1] * psi[i];
  }
  return Math.hypot(re, im);
}
