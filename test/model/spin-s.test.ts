/**
 * Local spins of any S in 1/2 … 7/2 (MODEL.md, "Beyond the paper"; bases
 * "sector" and "full"): the key, the sector's configurations (two deviations
 * may share a site for S >= 1), and whole runs against the independent dense
 * reference built from spin-S matrices (test/reference/dense-model.ts), with
 * fields, anisotropy (no longer a constant), per-bond couplings and the
 * entanglement observables; total S_z conserved; spectral bounds contain
 * the exact spectrum. The full basis of spin S (its mixed-radix layout, run
 * by the sector kernel on tables of every configuration): its tables are the
 * sector's, its H is the dense reference's element by element, and its runs
 * and states are the sector's.
 */

import { describe, expect, it } from 'vitest';
import { assertRunsHamiltonianTerms, assertRunsTerms, ResourceError } from '../../src/backends/backend.js';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import { parseRunConfig, type RunConfigInput } from '../../src/model/config.js';
import { hamiltonianTerms } from '../../src/model/hamiltonian.js';
import { allUpIndex, createLayout, layoutForConfig } from '../../src/model/layout.js';
import {
  canonicalSpinConfig, chainConfigCount, fullBasisTableBytes, fullBasisTables, sectorConfigCount, sectorDownSpins, sectorStateToCanonical, sectorTables,
} from '../../src/model/sector.js';
import { runPropagation } from '../../src/propagator/propagate.js';
import { spectralBounds, spectralScale } from '../../src/model/spectral-bounds.js';
import { spectralHalfWidthBound } from '../../src/model/limits.js';
import { checkMemory, memoryEstimate, simulate } from '../../src/simulate.js';
import { expectClose } from '../helpers/expect-close.js';
import { denseEngineHamiltonian } from '../helpers/engine-hamiltonian.js';
import { expectConserved, expectSameRun } from '../helpers/result-checks.js';
import { denseChainEntropy, denseConcurrence, densePairSpinMatrix, denseSzCorrelations } from '../reference/dense-entanglement.js';
import { denseHamiltonian, denseRun, diagonalize, tensorSpace } from '../reference/dense-model.js';
import { TOLERANCES } from '../tolerances.js';
import { engineConfig } from '../helpers/engine-config.js';

describe('the localSpin key', () => {
  it('takes 0.5 … 3.5 in halves, in bases "sector" and "full"; 0.5 is the default and is left out', () => {
    expect(parseRunConfig({ localSpin: 0.5 })).toEqual(parseRunConfig({}));
    expect(parseRunConfig({ localSpin: 2.5, basis: 'sector' }).localSpin).toBe(2.5);
    expect(() => parseRunConfig({ localSpin: 4, basis: 'sector' })).toThrow(/"localSpin" = 4 is not allowed; allowed: 0.5, 1, 1.5/);
    expect(() => parseRunConfig({ localSpin: 0.75, basis: 'sector' })).toThrow(/"localSpin"/);
    // "auto" (the default) takes the sector for S > 1/2; the full basis holds it up to (2S + 1)^L = 2^24
    // chain configurations; the antisymmetric basis holds spin 1/2 only and is refused, naming the key.
    expect(parseRunConfig({ localSpin: 1 }).localSpin).toBe(1);
    expect(parseRunConfig({ localSpin: 3.5, basis: 'full', N: 20, L: 8 }).localSpin).toBe(3.5);
    expect(() => parseRunConfig({ localSpin: 3.5, basis: 'full', N: 20, L: 9 })).toThrow(
      /"L" = 9 is not allowed; allowed: integer 1 … 8 in basis "full" with localSpin = 3.5.*localSpin = 3.5 and L = 9 give 8\^9 = 134217728 \(L <= 8 for localSpin = 3.5\); basis "sector" holds this state/,
    );
    expect(() => parseRunConfig({ localSpin: 1.5, basis: 'antisymmetric' })).toThrow(/"localSpin" = 1.5 is not allowed; allowed: 0.5 in basis "antisymmetric"; 0.5 … 3.5 in basis "sector", "full" or "auto"/);
    expect(() => assertRunsTerms({ name: 'gpujs-webgl2' }, parseRunConfig({ localSpin: 1, basis: 'sector' }))).toThrow(/"localSpin" = 1.*0.5 \(the default\) on backend gpujs-webgl2/);
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

describe('the full basis of spin S: its tables are the sector\'s in the mixed-radix order', () => {
  it.each([
    [1, 2, 3, 2], [1, 1, 3, 1], [1.5, 2, 2, 2], [1.5, 1, 2, 0], [2, 2, 2, 3],
  ] as const)('S = %d, %d electron(s), L = %d, K = %d', (S, electrons, L, K) => {
    const cap = 2 * S, d = cap + 1, P = d ** L;
    const full = fullBasisTables(L, electrons, cap);
    const sector = sectorTables(L, K, electrons, cap);
    expect(full.configs).toBe(2 * electrons * P);
    expect(full.downStride).toBe(L * cap);
    // Canonical index of each configuration: e d^L + sum_j n_j d^j.
    for (let c = 0; c < full.configs; c++) expect(full.electronSpin[c] * P + canonicalSpinConfig(full, c)).toBe(c);
    const at = (c: number) => sector.electronSpin[c] * P + canonicalSpinConfig(sector, c);
    const moves = (t: typeof full, c: number, map: (c: number) => number) => {
      const out: string[] = [];
      for (let n = t.exchangeStart[c]; n < t.exchangeStart[c + 1]; n++) out.push(`${map(t.exchangeNeighbours[n])}:${t.exchangeBonds[n]}:${t.exchangeFactors[n]}`);
      return out.sort();
    };
    for (let c = 0; c < sector.configs; c++) {
      const f = at(c);
      expect(full.electronSpin[f]).toBe(sector.electronSpin[c]);
      // Every element to the last bit: the same moves with the same bonds and ladder factors.
      expect(moves(full, f, (x) => x)).toEqual(moves(sector, c, at));
      for (let list = 0; list < electrons * L; list++) {
        const p = sector.sdPartner[list * sector.configs + c];
        expect(full.sdPartner[list * full.configs + f]).toBe(p < 0 ? -1 : at(p));
        expect(full.sdFactor[list * full.configs + f]).toBe(sector.sdFactor[list * sector.configs + c]);
        expect(full.sdZzCorrection[list * full.configs + f]).toBe(sector.sdZzCorrection[list * sector.configs + c]);
      }
    }
    // ns (ns - 1) / 2 pairs per chain configuration, sharing the chain.
    const ns = 2 * electrons;
    expect(full.spinPairs.length).toBe(P * ns * (ns - 1));
    for (let p = 0; p < full.spinPairs.length; p += 2) expect(full.spinPairs[p] % P).toBe(full.spinPairs[p + 1] % P);
  });

  it('the layout: d^L chain configurations per electron spin, 2S deviations per site, the all-up chain at m = 0', () => {
    const layout = layoutForConfig(engineConfig({ ...BASE, basis: 'full', localSpin: 1.5, state: 'T0' }));
    expect(layout).toMatchObject({ basis: 'full', spinConfigs: 16, siteDeviations: 3, blockSize: 64, dim: 16 * 64, downSpins: -1 });
    expect(allUpIndex(layout, 2)).toBe(32);
    // Spin 1/2 keeps its layout exactly.
    expect(layoutForConfig(engineConfig({ ...BASE, basis: 'full', state: 'T0' }))).toEqual(createLayout(4, 2, 2));
    expect(createLayout(4, 2, 2).siteDeviations).toBeUndefined();
    expect(() => createLayout(40, 16, 2, 2)).toThrow(/localSpin = 1 and L = 16 give 3\^16 = 43046721 \(L <= 15 for localSpin = 1\); basis "sector" holds this state/);
  });
});

describe('the full basis of spin S: H is the dense reference\'s, element by element', () => {
  it.each([
    { localSpin: 1, state: 'T0', JexBonds: [0.45], JsdSites: [0.7, -0.3], fieldElectron: 0.2, fieldLocal: -0.15, anisotropy: 0.3 },
    { localSpin: 1.5, state: 'single', electronSpin: 'pauli', anisotropy: -0.2, fieldLocal: 0.1 },
    { localSpin: 2, state: 'single', L: 1, spinStart: 2, sdTerms: 'flip' },
  ] as RunConfigInput[])('%j', (extra) => {
    const input = { ...BASE, ...extra, basis: 'full' };
    const engine = denseEngineHamiltonian(engineConfig(input));
    const ref = denseHamiltonian(parseRunConfig(input)).H;
    expect(engine.n).toBe(ref.n);
    let worst = 0;
    for (let i = 0; i < ref.data.length; i++) worst = Math.max(worst, Math.abs(engine.data[i] - ref.data[i]));
    expect(worst).toBeLessThan(1e-14);
    // Its spectral bounds contain every eigenvalue (every sector of the full space).
    const values = diagonalize(ref).blocks.flatMap((b) => Array.from(b.values));
    const bounds = spectralBounds(hamiltonianTerms(engineConfig(input)));
    expect(bounds.min).toBeLessThanOrEqual(Math.min(...values));
    expect(bounds.max).toBeGreaterThanOrEqual(Math.max(...values));
  });
});

/** Basis "full" against basis "sector" for spin S: both conventions, every state, the terms beyond the paper. */
const FULL_CASES: RunConfigInput[] = [
  { localSpin: 1, state: 'singlet', JexBonds: [0.45], entanglement: true },
  { localSpin: 1, state: 'T0', electronSpin: 'pauli', fieldElectron: 0.2, fieldLocal: -0.1, entanglement: true },
  { localSpin: 1, state: 'T-', anisotropy: 0.3, JsdSites: [0.7, -0.3] },
  { localSpin: 1, state: 'T+', fieldLocal: 0.2, anisotropy: -0.2, entanglement: true },
  { localSpin: 1, state: 'theta', theta: 1.3, sdTerms: 'zz', fieldElectron: -0.1 },
  { localSpin: 1, state: 'single', L: 3, spinStart: 0, JexBonds: [0.4, -0.2], anisotropy: -0.25, entanglement: true },
  { localSpin: 1, state: 'single', singleSpin: 'up', electronSpin: 'pauli', fieldLocal: 0.3 },
  { localSpin: 1.5, state: 'singlet', electronSpin: 'pauli', entanglement: true },
  { localSpin: 1.5, state: 'T0', JsdSites: [0.6, 0.2], anisotropy: 0.2, fieldElectron: 0.15 },
  { localSpin: 1.5, state: 'T-', sdTerms: 'flip', JexBonds: [-0.35], fieldLocal: 0.1, entanglement: true },
  { localSpin: 1.5, state: 'T+', electronSpin: 'pauli', anisotropy: 0.1 },
  { localSpin: 1.5, state: 'theta', theta: 0.7, JsdSites: [0.4, -0.6], entanglement: true },
  { localSpin: 1.5, state: 'single', electronSpin: 'pauli', anisotropy: -0.3, JexBonds: [0.2] },
  { localSpin: 2, state: 'T-', anisotropy: 0.15, entanglement: true },
  { localSpin: 2, state: 'single', L: 1, spinStart: 2, fieldLocal: -0.2 },
];

describe('basis "full" with spin S = basis "sector" (f64 CPU)', () => {
  it.each(FULL_CASES.map((c) => [JSON.stringify(c), c] as const))('%s', async (_, extra) => {
    const input = { ...BASE, ...extra };
    const full = await simulate({ ...input, basis: 'full' }, { backend: 'cpu', threads: 1 });
    const sector = await simulate({ ...input, basis: 'sector' }, { backend: 'cpu', threads: 1 });
    expect(full.config.basis).toBe('full');
    expectSameRun(full, sector, { abs: 1e-10 });
    expectConserved(full, TOLERANCES.cpu);
    if (input.entanglement) {
      const [a, b] = [full.entanglement!, sector.entanglement!];
      expect(a.chainEntropyTimes).toEqual(b.chainEntropyTimes);
      expectClose(a.chainEntropy, b.chainEntropy, { abs: 1e-10, label: 'chain entropy' });
      expectClose(a.szCorrelations, b.szCorrelations, { abs: 1e-10, label: 'S_z correlations' });
      if (b.concurrence) expectClose(a.concurrence!, b.concurrence, { abs: 1e-8, label: 'concurrence' });
    }
  });

  it.each([
    { localSpin: 1, state: 'T-', JsdSites: [0.7, -0.3] },
    { localSpin: 1.5, state: 'theta', theta: 1.1, fieldLocal: 0.2 },
    { localSpin: 2, state: 'single', L: 1, spinStart: 2, electronSpin: 'pauli' },
  ] as RunConfigInput[])('readState: the full state is the sector state in the canonical mixed-radix order (%j)', async (extra) => {
    const input = { ...BASE, ...extra };
    const full = engineConfig({ ...input, basis: 'full' });
    const sector = engineConfig({ ...input, basis: 'sector' });
    const a = await runPropagation(full, createCpuBackend({ threads: 1 }), { keepFinalState: true });
    const b = await runPropagation(sector, createCpuBackend({ threads: 1 }), { keepFinalState: true });
    const expanded = sectorStateToCanonical(hamiltonianTerms(sector).sector!, sector.N, b.finalState!);
    expect(a.finalState!.length).toBe(expanded.length);
    let worst = 0, weight = 0;
    for (let i = 0; i < expanded.length; i++) {
      worst = Math.max(worst, Math.abs(expanded[i] - a.finalState![i]));
      weight += a.finalState![i] ** 2;
    }
    expect(worst).toBeLessThan(1e-10);
    expectClose(weight, 1, { abs: 1e-12 });
  });

  it('threads: 2 (workers running the same kernel source) gives the run of threads: 1 (S = 1, N = 8, L = 3, T-)', async () => {
    const input: RunConfigInput = { N: 8, L: 3, spinStart: 3, x2: 2, d: 2, sigma: 1.2, tEnd: 1.5, dt: 0.5, state: 'T-', basis: 'full', localSpin: 1, Jsd: 0.8, anisotropy: 0.1 };
    const one = await simulate(input, { backend: 'cpu', threads: 1 });
    const two = await simulate(input, { backend: 'cpu', threads: 2 });
    expectSameRun(two, one, { abs: 1e-12 });
    expectConserved(one, TOLERANCES.cpu);
  });

  it('auto on the CPU still takes the sector for S > 1/2; gpu.js refuses it naming the key, WebGPU its full basis naming the sector', async () => {
    const input: RunConfigInput = { ...BASE, localSpin: 1, state: 'T0', basis: 'auto' };
    expect((await simulate(input, { backend: 'cpu', threads: 1 })).config.basis).toBe('sector');
    const h = hamiltonianTerms(engineConfig({ ...input, basis: 'full' }));
    const name = 'gpujs-webgl2';
    expect(() => assertRunsHamiltonianTerms({ name }, h)).toThrow(new RegExp(`backend ${name} runs the paper's model only; this Hamiltonian sets localSpin, which runs on the cpu backend`));
    expect(() => assertRunsTerms({ name }, parseRunConfig({ ...input, basis: 'full' }))).toThrow(/"localSpin" = 1 is not allowed; allowed: 0.5 \(the default\)/);
    const webgpu = { name: 'webgpu', extendedTerms: true, localSpinBases: ['sector'] as const };
    expect(() => assertRunsHamiltonianTerms(webgpu, h)).toThrow(/"basis" = "full" is not allowed; allowed: "auto" or "sector" for localSpin = 1 on backend webgpu/);
    expect(() => assertRunsHamiltonianTerms(webgpu, hamiltonianTerms(engineConfig({ ...input, basis: 'sector' })))).not.toThrow();
  });

  it('a full state past memory is refused with the bytes needed, naming localSpin, L and the sector', () => {
    const config = engineConfig({ N: 400, L: 10, spinStart: 100, x2: 50, state: 'T0', basis: 'full', localSpin: 1.5, tEnd: 1, dt: 0.5 });
    let err: unknown;
    try {
      checkMemory(config);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as Error).message).toMatch(/N = 400, L = 10, localSpin = 1.5 gives \d+ amplitudes in basis "full", which needs .* --basis sector \("basis": "sector"\) needs .* for this state and gives the same result/);
    // The tables count: more than the states alone.
    const layout = layoutForConfig(config);
    expect(memoryEstimate(config)).toBeGreaterThan(layout.dim * 16 * 7 + fullBasisTableBytes(10, 2, 3));
  });
});
