/**
 * Local spins of any S in 1/2 … 7/2 (MODEL.md, "Beyond the paper"; basis
 * "sector"): the key, the sector's configurations (two deviations may share
 * a site for S >= 1), and whole runs against the independent dense reference
 * built from spin-S matrices (test/reference/dense-model.ts), with fields,
 * anisotropy (no longer a constant), per-bond couplings and the
 * entanglement observables; total S_z conserved; spectral bounds contain
 * the exact spectrum.
 */

import { describe, expect, it } from 'vitest';
import { assertRunsTerms } from '../../src/backends/backend.js';
import { parseRunConfig, type RunConfigInput } from '../../src/model/config.js';
import { hamiltonianTerms } from '../../src/model/hamiltonian.js';
import { chainConfigCount, sectorConfigCount, sectorDownSpins, sectorTables } from '../../src/model/sector.js';
import { spectralBounds, spectralScale } from '../../src/model/spectral-bounds.js';
import { spectralHalfWidthBound } from '../../src/model/limits.js';
import { simulate } from '../../src/simulate.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectConserved } from '../helpers/result-checks.js';
import { denseChainEntropy, denseConcurrence, densePairSpinMatrix, denseSzCorrelations } from '../reference/dense-entanglement.js';
import { denseHamiltonian, denseRun, diagonalize, tensorSpace } from '../reference/dense-model.js';
import { TOLERANCES } from '../tolerances.js';
import { engineConfig } from '../helpers/engine-config.js';

describe('the localSpin key', () => {
  it('takes 0.5 … 3.5 in halves, in basis "sector"; 0.5 is the default and is left out', () => {
    expect(parseRunConfig({ localSpin: 0.5 })).toEqual(parseRunConfig({}));
    expect(parseRunConfig({ localSpin: 2.5, basis: 'sector' }).localSpin).toBe(2.5);
    expect(() => parseRunConfig({ localSpin: 4, basis: 'sector' })).toThrow(/"localSpin" = 4 is not allowed; allowed: 0.5, 1, 1.5/);
    expect(() => parseRunConfig({ localSpin: 0.75, basis: 'sector' })).toThrow(/"localSpin"/);
    // "auto" (the default) takes the sector for S > 1/2; a basis named that holds spin 1/2 only is refused, naming the key.
    expect(parseRunConfig({ localSpin: 1 }).localSpin).toBe(1);
    expect(() => parseRunConfig({ localSpin: 1, basis: 'full' })).toThrow(/"localSpin" = 1 is not allowed; allowed: 0.5 in basis "full"; 0.5 … 3.5 in basis "sector" or "auto"/);
    expect(() => parseRunConfig({ localSpin: 1.5, basis: 'antisymmetric' })).toThrow(/"localSpin" = 1.5 is not allowed; allowed: 0.5 in basis "antisymmetric"; 0.5 … 3.5 in basis "sector" or "auto"/);
    expect(() => assertRunsTerms({ name: 'webgpu' }, parseRunConfig({ localSpin: 1, basis: 'sector' }))).toThrow(/"localSpin" = 1.*0.5 \(the default\) on backend webgpu/);
  });
});

describe('sector configurations of spin S', () => {
  it('counts k deviations on L sites with at most 2S on one', () => {
    expect(chainConfigCount(4, 2, 1)).toBe(6);
    // S = 1: C(4, 2) + 4 (both on one site).
    expect(chainConfigCount(4, 2, 2)).toBe(10);
    // S = 1, three deviations on 3 sites: 1 (1,1,1) + 6 (2,1,0 arrangements) = 7.
    expect(chainConfigCount(3, 3, 2)).toBe(7);
    expect(chainConfigCount(3, 3, 3)).toBe(10);
    // Two electrons, K = 2, S = 3/2, L = 3: e = up-up takes 6 chain configurations, up-down and down-up 3 each, down-down 1.
    expect(sectorConfigCount(3, 2, 2, 3)).toBe(13);
    const t = sectorTables(3, 2, 2, 3);
    expect(t.configs).toBe(13);
    // The all-up chain with e = down-down is in the sector; its exchange has no moves, and sd flips lead to e = up-down or down-up.
    const last = t.configs - 1;
    expect(t.electronSpin[last]).toBe(3);
    expect(t.exchangeStart[last + 1] - t.exchangeStart[last]).toBe(0);
  });
});

const BASE: RunConfigInput = { N: 4, L: 2, spinStart: 1, x2: 0.5, d: 1.7, sigma: 1.1, ke: 1.2, th: 0.4, Jex: 0.3, Jsd: 0.5, tEnd: 2.5, dt: 0.5, basis: 'sector' };

const CASES: RunConfigInput[] = [
  { localSpin: 1, state: 'singlet', entanglement: true },
  { localSpin: 1, state: 'T-', anisotropy: 0.3, fieldLocal: -0.2, entanglement: true },
  { localSpin: 1, state: 'single', L: 3, spinStart: 0, JexBonds: [0.4, -0.2], anisotropy: -0.25, entanglement: true },
  { localSpin: 1.5, state: 'T0', electronSpin: 'pauli', fieldElectron: 0.2, entanglement: true },
  { localSpin: 1.5, state: 'T-', sdTerms: 'flip', JsdSites: [0.7, -0.3], anisotropy: 0.2 },
  { localSpin: 1.5, state: 'theta', theta: 1.3, sdTerms: 'zz', anisotropy: 0.4 },
  { localSpin: 2.5, state: 'T-', entanglement: true },
];

describe('basis "sector" with spin S = dense reference (f64 CPU)', () => {
  it.each(CASES.map((c) => [JSON.stringify(c), c] as const))('%s', async (_, extra) => {
    const input = { ...BASE, ...extra };
    const config = parseRunConfig(input);
    const ref = denseRun(config);
    const r = await simulate(input, { backend: 'cpu', threads: 1 });
    for (const key of ['norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz', 'SzSites', 'density'] as const) {
      expectClose(r[key], ref[key], { ...TOLERANCES.cpu, label: key });
    }
    if (ref.probabilities) for (const chi of ['S', 'T0', 'T+', 'T-'] as const) expectClose(r.probabilities![chi], ref.probabilities[chi], { ...TOLERANCES.cpu, label: `P(${chi})` });
    expectConserved(r, TOLERANCES.cpu);
    // The chain starts at m = +S on every site.
    expectClose(r.SzSites[0], new Array(config.L).fill(config.localSpin), { abs: 1e-14 });
    if (config.entanglement) {
      const space = tensorSpace(config);
      // At the times given (every output time, or the final one where the cost rule says so).
      const given = r.entanglement!.chainEntropyTimes.map((t) => ref.t.indexOf(t));
      expect(given.at(-1)).toBe(ref.t.length - 1);
      expectClose(r.entanglement!.chainEntropy, given.map((k) => denseChainEntropy(space, ref.states[k])), { ...TOLERANCES.cpu, label: 'chain entropy' });
      expectClose(r.entanglement!.szCorrelations, ref.states.map((psi) => denseSzCorrelations(space, psi)), { ...TOLERANCES.cpu, label: 'S_z correlations' });
      if (config.state !== 'single') expectClose(r.entanglement!.concurrence!, ref.states.map((psi) => denseConcurrence(densePairSpinMatrix(space, psi))), { abs: 1e-7, label: 'concurrence' });
    }
    // Spin moves (not with zz only).
    if (config.sdTerms !== 'zz') expect(Math.max(...ref.deltaSigmaZ)).toBeGreaterThan(1e-3);
  });

  it('threads: 2 gives the run of threads: 1 (S = 3/2, N = 20, L = 4, T-)', async () => {
    const input: RunConfigInput = { N: 20, L: 4, x2: 5, d: 4, sigma: 2, tEnd: 1.5, dt: 0.5, state: 'T-', basis: 'sector', localSpin: 1.5, Jsd: 0.8, anisotropy: 0.1 };
    const one = await simulate(input, { backend: 'cpu', threads: 1 });
    const two = await simulate(input, { backend: 'cpu', threads: 2 });
    expectClose(two.SzSites, one.SzSites, { abs: 1e-12 });
    expectClose(two.energy, one.energy, { abs: 1e-12 });
    expectConserved(one, TOLERANCES.cpu);
  });
});

describe('spectral bounds with spin S contain the exact spectrum of the sector', () => {
  it.each([1, 1.5, 2].flatMap((localSpin) => [{ localSpin, state: 'T-' }, { localSpin, state: 'single', anisotropy: -0.4, fieldLocal: 0.3, JsdSites: [0.9, -0.4] }] as RunConfigInput[]))('%j', (extra) => {
    const config = engineConfig({ ...BASE, ...extra });
    const K = sectorDownSpins(config);
    const space = tensorSpace(config);
    const chainStates = space.localDim ** config.L;
    const ns = config.state === 'single' ? 2 : 4;
    // Deviations of a canonical index: electrons' downs plus S - m per site (the chain is the least significant part).
    const deviations = (i: number) => {
      const m = i % chainStates, e = Math.floor(i / chainStates) % ns;
      let k = ns === 4 ? (e >> 1) + (e & 1) : e;
      for (let j = 0; j < config.L; j++) k += Math.floor(m / space.localDim ** j) % space.localDim;
      return k;
    };
    const values = diagonalize(denseHamiltonian(config).H).blocks.filter((b) => deviations(b.indices[0]) === K).flatMap((b) => Array.from(b.values));
    const bounds = spectralBounds(hamiltonianTerms(config));
    expect(bounds.min).toBeLessThanOrEqual(Math.min(...values));
    expect(bounds.max).toBeGreaterThanOrEqual(Math.max(...values));
    // The config-level bound that refuses too coarse a dt is at least the half-width the propagator uses.
    expect(spectralHalfWidthBound(config)).toBeGreaterThanOrEqual(spectralScale(bounds).halfWidth);
  });
});
