import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate.js';
import { expectSameRun } from '../helpers/result-checks.js';
import { TOLERANCES } from '../tolerances.js';

// The paper's Fig. 2a singlet run at its defaults: N = 200, L = 4, 80 fs,
// dim 2 560 000 in the full basis. Under a minute on two idle cores (longer
// when they are shared): the one full-size run of the suite. The defaults
// themselves (basis "auto") run it in the antisymmetric basis, the sector's
// configurations in the N(N + 1)/2 orbital blocks xA <= xB (21 times smaller),
// to the same numbers.
describe('paper default singlet run (N = 200, L = 4, tEnd = 80 fs) on the CPU', () => {
  it('conserves norm, energy and total S_z, and shows the paper\'s finite two-step transfer', async () => {
    const r = await simulate({ basis: 'full' }, { backend: 'cpu' });
    expect(r.dim).toBe(2_560_000);
    expect(r.t).toHaveLength(161);
    for (let k = 0; k < r.t.length; k++) {
      expect(Math.abs(r.norm[k] - 1)).toBeLessThan(1e-10);
      expect(Math.abs(r.energy[k] - r.energy[0])).toBeLessThan(1e-10);
      expect(Math.abs(r.sigmaZ[k] + r.Sz[k] - r.sigmaZ[0] - r.Sz[0])).toBeLessThan(1e-10);
      // sigma_z(0) = 0 and T- cannot be reached from a singlet (total S_z): the transfer is P(T+).
      expect(Math.abs(r.deltaSigmaZ[k] - r.probabilities!['T+'][k])).toBeLessThan(1e-10);
      expect(r.probabilities!['T-'][k]).toBeLessThan(1e-20);
    }
    const at = (t: number) => r.deltaSigmaZ[Math.round(t / 0.5)];
    // Nothing happens before the leading packet reaches the chain (~8 fs) …
    expect(at(4)).toBeLessThan(1e-4);
    // … a first step while phi_2 crosses it, a second while phi_1 does, then a plateau.
    const [[, end2], [start1, end1]] = r.chainIntervals;
    expect(at(end2)).toBeGreaterThan(0.02);
    expect(at(end1) - at(start1)).toBeGreaterThan(0.005);
    expect(Math.abs(at(80) - at(75))).toBeLessThan(0.01);
    expect(at(80)).toBeGreaterThan(0.05);
    expect(at(80)).toBeLessThan(0.5);
    const defaults = await simulate({}, { backend: 'cpu' });
    expect(defaults.config.basis).toBe('antisymmetric');
    expect(defaults.dim).toBe(((200 * 201) / 2) * (4 + 2));
    expectSameRun(defaults, r, TOLERANCES.cpu);
  }, 600_000);
});
