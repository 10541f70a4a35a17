import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate.js';
import type { RunConfigInput } from '../../src/model/config.js';

// A small ring with the packets passing through the chain within tEnd.
const BASE: RunConfigInput = { N: 24, L: 3, spinStart: 12, x2: 6, d: 5, sigma: 2, tEnd: 12, dt: 0.5 };

const CASES: RunConfigInput[] = [
  { state: 'singlet' },
  { state: 'T0' },
  { state: 'T-' },
  { state: 'theta', theta: 1.1 },
  { state: 'single' },
  { state: 'singlet', electronSpin: 'pauli' },
  { state: 'T0', sdTerms: 'flip' },
  { state: 'T-', sdTerms: 'zz', Jex: -0.3 },
];

describe('conserved quantities over a run (f64 CPU)', () => {
  it.each(CASES)('%j keeps norm, energy and total S_z to 1e-10', async (extra) => {
    const config = { ...BASE, ...extra };
    const r = await simulate(config, { backend: 'cpu', threads: 1 });
    // The electron spin part of the conserved total: sigma_z with "half", sigma_z/2 with "pauli".
    const w = config.electronSpin === 'pauli' ? 0.5 : 1;
    const total = r.t.map((_, k) => w * r.sigmaZ[k] + r.Sz[k]);
    for (let k = 0; k < r.t.length; k++) {
      expect(Math.abs(r.norm[k] - 1)).toBeLessThan(1e-10);
      expect(Math.abs(r.energy[k] - r.energy[0])).toBeLessThan(1e-10);
      expect(Math.abs(total[k] - total[0])).toBeLessThan(1e-10);
    }
    // The run does something: the electrons reach the chain and spin moves (except for zz only).
    const transfer = Math.max(...r.deltaSigmaZ);
    if (config.sdTerms === 'zz') expect(transfer).toBeLessThan(1e-12);
    else expect(transfer).toBeGreaterThan(1e-3);
  });

  it('conserves the density: sum_x n(x) = 2 <Psi|Psi> for two electrons, 1 for one', async () => {
    for (const state of ['singlet', 'single'] as const) {
      const r = await simulate({ ...BASE, state, tEnd: 4 }, { backend: 'cpu', threads: 1 });
      const electrons = state === 'single' ? 1 : 2;
      for (const n of r.density) expect(Math.abs(n.reduce((a, b) => a + b, 0) - electrons)).toBeLessThan(1e-10);
    }
  });

  it('gives the same result on worker threads as on one thread', async () => {
    const config = { ...BASE, N: 40, L: 4, spinStart: 20, x2: 10, tEnd: 6 };
    const one = await simulate(config, { backend: 'cpu', threads: 1 });
    const two = await simulate(config, { backend: 'cpu', threads: 2 });
    for (const key of ['norm', 'energy', 'sigmaZ', 'Sz'] as const) {
      one[key].forEach((v, k) => expect(Math.abs(two[key][k] - v)).toBeLessThan(1e-12));
    }
    one.density.forEach((row, k) => row.forEach((v, x) => expect(Math.abs(two.density[k][x] - v)).toBeLessThan(1e-12)));
  });

  it('gives the same result with several output times per expansion', async () => {
    const config = { ...BASE, state: 'T0' as const };
    const one = await simulate(config, { backend: 'cpu', threads: 1 });
    for (const outputsPerExpansion of [2, 3, 4]) {
      const many = await simulate(config, { backend: 'cpu', threads: 1, outputsPerExpansion });
      expect(many.t).toEqual(one.t);
      one.sigmaZ.forEach((v, k) => expect(Math.abs(many.sigmaZ[k] - v)).toBeLessThan(1e-11));
      one.energy.forEach((v, k) => expect(Math.abs(many.energy[k] - v)).toBeLessThan(1e-11));
      one.probabilities!.S.forEach((v, k) => expect(Math.abs(many.probabilities!.S[k] - v)).toBeLessThan(1e-11));
    }
  });
});
