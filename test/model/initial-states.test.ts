/**
 * The engine's initial states (MODEL.md, Initial state; paper Eqs. 4 and 8):
 * exchange antisymmetry of every two-electron state, at t = 0 and after
 * propagation; normalization; agreement with the independent dense
 * reference; the special angles of the phase state; and T+ on the all-up
 * chain, which can transfer nothing.
 */

import { engineConfig } from '../helpers/engine-config.js';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import { type RunConfig, type RunConfigInput } from '../../src/model/config.js';
import { initialState } from '../../src/model/initial-state.js';
import { runPropagation } from '../../src/propagator/propagate.js';
import { simulate } from '../../src/simulate.js';
import { expectClose } from '../helpers/expect-close.js';
import { denseInitialState } from '../reference/dense-model.js';

/** Overlapping packets (d < 2 sigma) on a small ring, packets over the chain. */
const BASE: RunConfigInput = { N: 6, L: 2, spinStart: 3, x2: 2.3, d: 1.6, sigma: 1.3, ke: 0.9, tEnd: 2, dt: 0.5 };
/** Even N and integer centres: some x - x_j equal N/2 exactly. */
const EVEN: RunConfigInput = { N: 6, L: 1, spinStart: 2, x2: 3, d: 3, sigma: 1, ke: 1.2, tEnd: 2, dt: 0.5 };

const TWO_ELECTRON_STATES: RunConfigInput[] = [
  { state: 'singlet' },
  { state: 'T0' },
  { state: 'T+' },
  { state: 'T-' },
  ...[0.3, Math.PI / 2, 1.9, 4.4, 6.0].map((theta) => ({ state: 'theta' as const, theta })),
];

const CASES = [BASE, EVEN].flatMap((g) => TWO_ELECTRON_STATES.map((s) => ({ ...g, ...s })));
const named = (configs: RunConfigInput[]) => configs.map((c) => [JSON.stringify(c), c] as const);

/** e = 2 bA + bB with A and B exchanged: up-down (1) <-> down-up (2). */
const SWAP = [0, 2, 1, 3];

/** max |psi(xA, xB, e, m) + psi(xB, xA, swap(e), m)| over the state, canonical layout written out by hand. */
function antisymmetryViolation(config: RunConfig, psi: Float64Array): number {
  const { N } = config;
  const S = 2 ** config.L;
  const index = (xA: number, xB: number, e: number, m: number) => ((xA * N + xB) * 4 + e) * S + m;
  let worst = 0;
  for (let xA = 0; xA < N; xA++) {
    for (let xB = 0; xB < N; xB++) {
      for (let e = 0; e < 4; e++) {
        for (let m = 0; m < S; m++) {
          const i = index(xA, xB, e, m), j = index(xB, xA, SWAP[e], m);
          worst = Math.max(worst, Math.abs(psi[2 * i] + psi[2 * j]), Math.abs(psi[2 * i + 1] + psi[2 * j + 1]));
        }
      }
    }
  }
  return worst;
}

const normSquared = (psi: Float64Array) => psi.reduce((s, v) => s + v * v, 0);
const maxAbs = (psi: Float64Array) => psi.reduce((s, v) => Math.max(s, Math.abs(v)), 0);

describe('two-electron initial states', () => {
  it.each(named(CASES))('are antisymmetric under exchange of A and B, normalized, with the chain all up: %s', (_, input) => {
    const config = engineConfig(input);
    const psi = initialState(config);
    expect(antisymmetryViolation(config, psi)).toBeLessThan(1e-15);
    expectClose(normSquared(psi), 1, { abs: 1e-14, label: '<psi|psi>' });
    // Not antisymmetric by being zero: amplitudes of order 1/dim^(1/2) exist.
    expect(maxAbs(psi)).toBeGreaterThan(0.05);
    // Only m = 0 (all local spins up) is occupied.
    const S = 2 ** config.L;
    let offChain = 0;
    for (let i = 0; i < psi.length / 2; i++) if (i % S !== 0) offChain = Math.max(offChain, Math.abs(psi[2 * i]), Math.abs(psi[2 * i + 1]));
    expect(offChain).toBe(0);
  });

  it.each(named(CASES))('stay antisymmetric and normalized under evolution (final state after 2 fs): %s', async (_, input) => {
    const config = engineConfig(input);
    const backend = createCpuBackend({ threads: 1 });
    try {
      const run = await runPropagation(config, backend, { keepFinalState: true });
      const psi = run.finalState!;
      expect(antisymmetryViolation(config, psi)).toBeLessThan(1e-12);
      expectClose(normSquared(psi), 1, { abs: 1e-12, label: '<psi|psi> at tEnd' });
      // The state did evolve.
      const start = initialState(config);
      expect(maxAbs(psi.map((v, k) => v - start[k]))).toBeGreaterThan(1e-2);
    } finally {
      await backend.dispose();
    }
  });

  it.each(named(CASES))('equal the independent dense reference to 1e-15: %s', (_, input) => {
    const config = engineConfig(input);
    expectClose(initialState(config), denseInitialState(config), { abs: 1e-15 });
  });

  it('theta = 0 is the singlet and theta = pi is T0 (Eq. 8)', () => {
    for (const g of [BASE, EVEN]) {
      const at = (extra: RunConfigInput) => initialState(engineConfig({ ...g, ...extra }));
      expectClose(at({ state: 'theta', theta: 0 }), at({ state: 'singlet' }), { abs: 1e-15, label: 'theta = 0' });
      expectClose(at({ state: 'theta', theta: Math.PI }), at({ state: 'T0' }), { abs: 1e-15, label: 'theta = pi' });
    }
  });
});

describe('one electron', () => {
  it.each(named([BASE, EVEN].flatMap((g) => (['down', 'up'] as const).map((singleSpin) => ({ ...g, state: 'single' as const, singleSpin })))))(
    'is normalized, has the chosen spin and equals the dense reference: %s',
    (_, input) => {
      const config = engineConfig(input);
      const psi = initialState(config);
      expectClose(normSquared(psi), 1, { abs: 1e-14 });
      expectClose(psi, denseInitialState(config), { abs: 1e-15 });
      // index (x*2 + b)*2^L + m: only b = 1 for down, b = 0 for up, with m = 0.
      const S = 2 ** config.L, b = config.singleSpin === 'down' ? 1 : 0;
      for (let i = 0; i < psi.length / 2; i++) {
        const occupied = Math.floor(i / S) % 2 === b && i % S === 0;
        if (!occupied) expect(Math.abs(psi[2 * i]) + Math.abs(psi[2 * i + 1])).toBe(0);
      }
    },
  );
});

describe('T+ on the all-up chain transfers nothing', () => {
  // The packets (v = 1.1 a/fs at k_e = 1) run through the chain on sites 6 and 7 within 4 fs.
  const T_PLUS: RunConfigInput = { N: 12, L: 2, spinStart: 6, x2: 4, d: 2, sigma: 1.5, tEnd: 4, dt: 0.5, state: 'T+' };
  it.each(named(([{}, { electronSpin: 'pauli' }, { sdTerms: 'flip' }, { Jsd: -0.9, Jex: -0.3 }] as RunConfigInput[]).map((o) => ({ ...T_PLUS, ...o }))))(
    'deltaSigmaZ stays 0 and P(T+) stays 1: %s',
    async (_, input) => {
      const r = await simulate(input, { backend: 'cpu', threads: 1 });
      const zeros = r.t.map(() => 0), ones = r.t.map(() => 1);
      expectClose(r.deltaSigmaZ, zeros, { abs: 1e-12, label: 'deltaSigmaZ' });
      expectClose(r.probabilities!['T+'], ones, { abs: 1e-12, label: 'P(T+)' });
      for (const key of ['S', 'T0', 'T-'] as const) expectClose(r.probabilities![key], zeros, { abs: 1e-12, label: `P(${key})` });
      expectClose(r.SzSites, r.t.map(() => [0.5, 0.5]), { abs: 1e-12, label: 'S_z per local spin' });
      // The electrons did reach the chain: the density on its sites grows well above its start.
      const onChain = r.density.map((n) => n[6] + n[7]);
      expect(Math.max(...onChain)).toBeGreaterThan(2 * onChain[0] + 0.1);
    },
  );
});
