/**
 * The theta sweep from three phase states (phase-propagation.ts) against the
 * two-state scheme with cross terms (pair-propagation.ts), both f64 on the
 * CPU: every reduction of a + e^{i theta} b at every output time, in every
 * basis, at angles between and on the samples; and the interpolation itself
 * (weights, sampling angles) by hand.
 */

import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import type { PropagationBackend } from '../../src/backends/backend.js';
import { thetaComponents } from '../../src/model/initial-state.js';
import { combineThetaReduction, type StateReduction } from '../../src/model/observables.js';
import { runPairPropagation } from '../../src/propagator/pair-propagation.js';
import {
  phaseReductionsAt, phaseStateNormSquared, phaseWeights, runPhasePropagation, samplingAngles,
} from '../../src/propagator/phase-propagation.js';
import { engineConfig } from '../helpers/engine-config.js';
import { expectClose } from '../helpers/expect-close.js';

const SMALL = { N: 12, L: 3, x2: 4, d: 4, sigma: 1.5, Jsd: 0.6, tEnd: 3, dt: 0.5 };
const THETAS = [0, 0.9, Math.PI / 2, Math.PI, 4.4];

const flat = (r: StateReduction) => [...r.rho, ...r.szSites, ...r.density, r.energy];

async function bothSchemes(input: Record<string, unknown>) {
  const config = engineConfig(input);
  const { a, b } = thetaComponents(config);
  const pairBackends = [createCpuBackend({ threads: 1 }), createCpuBackend({ threads: 1 })] as const;
  const single = createCpuBackend({ threads: 1 });
  try {
    const pair = await runPairPropagation(config, pairBackends, [a, b], { outputsPerExpansion: 2 });
    const phases = await runPhasePropagation(config, single, { outputsPerExpansion: 2 });
    return { config, pair, phases };
  } finally {
    for (const backend of [...pairBackends, single]) await backend.dispose();
  }
}

describe('the theta sweep from three phase states', () => {
  it('weights interpolate: w_k(theta_j) = delta_kj, and they sum to 1 at every angle', () => {
    const angles = [0.3, 0.3 + (2 * Math.PI) / 3, 0.3 + (4 * Math.PI) / 3] as const;
    angles.forEach((a, j) => expectClose(phaseWeights(angles, a), [0, 1, 2].map((k) => (k === j ? 1 : 0)), { abs: 1e-15 }));
    for (const theta of [0, 1, 2.5, 6]) expect(phaseWeights(angles, theta).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
  });

  it.each([
    { name: 'separated packets', d: 4 },
    { name: 'coinciding packets (d = 0: b = a, the state vanishes at theta = pi)', d: 0 },
  ])('samples no vanishing state: every |Psi_k|^2 >= (|a|^2 + |b|^2) / 2 ($name)', ({ d }) => {
    const config = engineConfig({ ...SMALL, d });
    const S = (phaseStateNormSquared(config, 0) + phaseStateNormSquared(config, Math.PI)) / 2;
    if (d === 0) expect(phaseStateNormSquared(config, Math.PI)).toBeLessThan(1e-12);
    for (const angle of samplingAngles(config)) expect(phaseStateNormSquared(config, angle)).toBeGreaterThanOrEqual(S / 2 - 1e-12);
  });

  it.each([
    { name: 'basis full', input: { ...SMALL, basis: 'full' } },
    { name: 'basis sector', input: { ...SMALL, basis: 'sector' } },
    { name: 'basis antisymmetric, odd N', input: { ...SMALL, N: 11, basis: 'antisymmetric' } },
    { name: 'basis antisymmetric, pauli spin, flip terms only, packets across the wrap', input: { ...SMALL, basis: 'antisymmetric', electronSpin: 'pauli', sdTerms: 'flip', x2: 1, d: 3 } },
    { name: 'overlapping packets (d = 1)', input: { ...SMALL, d: 1, basis: 'sector' } },
  ])('equals the two-state scheme with cross terms at every angle and output time to 1e-10: $name', async ({ input }) => {
    const { pair, phases } = await bothSchemes(input);
    expect(phases.t).toEqual(pair.t);
    // Three propagations of one state against two: 3/2 the H applications.
    expect(phases.matvecs).toBe((3 / 2) * pair.matvecs);
    for (const theta of [...THETAS, ...phases.angles]) {
      const viaPhases = phaseReductionsAt(phases, theta);
      pair.aa.forEach((ra, q) => {
        const viaPair = combineThetaReduction(ra, pair.bb[q], pair.ab[q], theta, 1);
        expectClose(flat(viaPhases[q]), flat(viaPair), { abs: 1e-10, label: `theta = ${theta}, output ${q}` });
      });
    }
  });

  it('reads no state back from its backend: only reductions leave it', async () => {
    const config = engineConfig({ ...SMALL, basis: 'sector' });
    const backend = createCpuBackend({ threads: 1 });
    const forbidden = new Set(['readState', 'readStateChunks', 'outputStates', 'crossReductions']);
    const watched = new Proxy(backend, {
      get(target, key, receiver) {
        if (typeof key === 'string' && forbidden.has(key)) return () => { throw new Error(`${key} called`); };
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as PropagationBackend;
    try {
      const run = await runPhasePropagation(config, watched);
      expect(run.samples).toHaveLength(3);
      expect(run.samples[0]).toHaveLength(run.t.length);
    } finally {
      await backend.dispose();
    }
  });
});
