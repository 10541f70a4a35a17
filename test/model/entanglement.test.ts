/**
 * The entanglement observables (MODEL.md, "Beyond the paper"; src/model/
 * entanglement.ts): the concurrence of known two-spin states, the
 * eigenvalue routines, the values at t = 0 (concurrence 1 for singlet and
 * T0, 0 for T+ and T-; chain entropy 0), the binary entropy of a spin-1/2
 * chain flipped by one electron, both bases against the dense reference,
 * the final-time-only rule, and the refusals.
 */

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { concurrence } from '../../src/model/entanglement.js';
import { hermitianEigenvalues, symmetricEigen } from '../../src/model/hermitian-eigenvalues.js';
import { parseRunConfig, type RunConfigInput } from '../../src/model/config.js';
import { simulate } from '../../src/simulate.js';
import { thetaSweep } from '../../src/studies/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { denseChainEntropy, denseConcurrence, densePairSpinMatrix, denseSzCorrelations } from '../reference/dense-entanglement.js';
import { denseRun, tensorSpace } from '../reference/dense-model.js';
import { TOLERANCES } from '../tolerances.js';

/** The 4 x 4 density matrix |v><v| (interleaved complex) of a pure two-spin state v = [uu, ud, du, dd] (complex pairs). */
function pure(v: [number, number][]): Float64Array {
  const rho = new Float64Array(32);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
    const [a, b] = v[i], [c, d] = v[j];
    rho[2 * (i * 4 + j)] = a * c + b * d;
    rho[2 * (i * 4 + j) + 1] = b * c - a * d;
  }
  return rho;
}
const R = Math.SQRT1_2;

describe('concurrence of known two-spin states', () => {
  it('is 1 for the singlet and T0, 0 for T+, T- and product states', () => {
    expect(concurrence(pure([[0, 0], [R, 0], [-R, 0], [0, 0]]))).toBeCloseTo(1, 7);
    expect(concurrence(pure([[0, 0], [R, 0], [R, 0], [0, 0]]))).toBeCloseTo(1, 7);
    expect(concurrence(pure([[1, 0], [0, 0], [0, 0], [0, 0]]))).toBeCloseTo(0, 7);
    expect(concurrence(pure([[0, 0], [0, 0], [0, 0], [1, 0]]))).toBeCloseTo(0, 7);
    // (|u> + i|d>)/sqrt2 x |u>: a product with complex amplitudes.
    expect(concurrence(pure([[R, 0], [0, 0], [0, R], [0, 0]]))).toBeCloseTo(0, 7);
  });

  it('is 2 |a b| for a|ud> + b|du>, complex phases included', () => {
    const a = 0.6, b = 0.8;
    expect(concurrence(pure([[0, 0], [a, 0], [b * Math.cos(1.2), b * Math.sin(1.2)], [0, 0]]))).toBeCloseTo(2 * a * b, 7);
  });

  it('is max(0, (3p - 1)/2) for the Werner state p |S><S| + (1 - p) 1/4', () => {
    for (const p of [0.1, 1 / 3, 0.5, 0.9]) {
      const rho = pure([[0, 0], [R, 0], [-R, 0], [0, 0]]).map((v) => p * v);
      for (let i = 0; i < 4; i++) rho[2 * (i * 4 + i)] += (1 - p) / 4;
      expect(concurrence(rho)).toBeCloseTo(Math.max(0, (3 * p - 1) / 2), 7);
    }
  });
});

describe('eigenvalue routines', () => {
  it('hermitianEigenvalues and symmetricEigen agree with ml-matrix on a random Hermitian matrix', () => {
    const n = 7;
    let seed = 3;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const a = new Float64Array(2 * n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
      const x = random(), y = i === j ? 0 : random();
      a[2 * (i * n + j)] = x; a[2 * (i * n + j) + 1] = y;
      a[2 * (j * n + i)] = x; a[2 * (j * n + i) + 1] = -y;
    }
    const big = Matrix.zeros(2 * n, 2 * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      big.set(i, j, a[2 * (i * n + j)]); big.set(i + n, j + n, a[2 * (i * n + j)]);
      big.set(i, j + n, -a[2 * (i * n + j) + 1]); big.set(i + n, j, a[2 * (i * n + j) + 1]);
    }
    const expected = new EigenvalueDecomposition(big, { assumeSymmetric: true }).realEigenvalues.sort((x, y) => x - y).filter((_, k) => k % 2 === 0);
    expectClose(Array.from(hermitianEigenvalues(a, n)), expected, { abs: 1e-13 });
    expectClose(Array.from(symmetricEigen(Float64Array.from(big.to1DArray()), 2 * n).values).filter((_, k) => k % 2 === 0), expected, { abs: 1e-13 });
  });
});

const SMALL: RunConfigInput = { N: 5, L: 2, spinStart: 2, x2: 1.5, d: 1.7, sigma: 1.2, ke: 1, tEnd: 3, dt: 0.5, entanglement: true };

describe('entanglement at t = 0', () => {
  it.each(['full', 'sector', 'antisymmetric'] as const)('concurrence 1 for singlet and T0, 0 for T+ and T-; chain entropy 0 (basis %s)', async (basis) => {
    for (const [state, c] of [['singlet', 1], ['T0', 1], ['T+', 0], ['T-', 0]] as const) {
      const r = await simulate({ ...SMALL, state, basis, tEnd: 0.5 }, { backend: 'cpu', threads: 1 });
      expect(r.entanglement!.concurrence![0], state).toBeCloseTo(c, 7);
      expect(r.entanglement!.chainEntropy[0], state).toBeCloseTo(0, 12);
      expect(r.entanglement!.chainEntropyTimes).toEqual([0, 0.5]);
      expectClose(r.entanglement!.szCorrelations[0], [0.25], { abs: 1e-14, label: state });
    }
  });
});

describe('a spin-1/2 chain flipped by one electron', () => {
  it.each(['full', 'sector'] as const)('has the binary entropy of its flip probability, and no concurrence (basis %s)', async (basis) => {
    const r = await simulate({ N: 12, L: 1, spinStart: 6, x2: 2, d: 0, sigma: 1.5, state: 'single', Jsd: 0.8, tEnd: 8, dt: 1, basis, entanglement: true }, { backend: 'cpu', threads: 1 });
    expect(r.entanglement!.concurrence).toBeUndefined();
    const p = r.SzSites.map(([sz]) => 0.5 - sz);
    const binary = p.map((q) => (q <= 0 || q >= 1 ? 0 : -q * Math.log(q) - (1 - q) * Math.log(1 - q)));
    expectClose(r.entanglement!.chainEntropy, binary, { abs: 1e-10 });
    expect(Math.max(...p)).toBeGreaterThan(0.05);
    expect(r.entanglement!.szCorrelations.every((row) => row.length === 0)).toBe(true);
  });
});

const DENSE_CASES: RunConfigInput[] = [
  { state: 'singlet' },
  { state: 'T0', electronSpin: 'pauli' },
  { state: 'T-' },
  { state: 'theta', theta: 2.2 },
  { state: 'single' },
  { state: 'singlet', N: 5, L: 3, spinStart: 1, x2: 0.5, d: 2.5, sigma: 1, ke: 2.2, Jsd: 0.6, JexBonds: [0.5, -0.2], fieldElectron: 0.1, anisotropy: 0.2 },
];

describe('entanglement observables = dense reference, every basis', () => {
  it.each(DENSE_CASES.map((c) => [JSON.stringify(c), c] as const))('%s', async (_, extra) => {
    const input = { ...SMALL, ...extra };
    const config = parseRunConfig(input);
    const ref = denseRun(config);
    const space = tensorSpace(config);
    const entropy = ref.states.map((psi) => denseChainEntropy(space, psi));
    const correlations = ref.states.map((psi) => denseSzCorrelations(space, psi));
    // One electron has no exchange partner: the antisymmetric basis holds two-electron states only.
    const bases = config.state === 'single' ? (['full', 'sector'] as const) : (['full', 'sector', 'antisymmetric'] as const);
    for (const basis of bases) {
      const r = await simulate({ ...input, basis }, { backend: 'cpu', threads: 1 });
      const e = r.entanglement!;
      expect(e.chainEntropyTimes).toEqual(ref.t);
      expectClose(e.chainEntropy, entropy, { ...TOLERANCES.cpu, label: `${basis}: chain entropy` });
      expectClose(e.szCorrelations, correlations, { ...TOLERANCES.cpu, label: `${basis}: S_z correlations` });
      if (config.state !== 'single') {
        const c = ref.states.map((psi) => denseConcurrence(densePairSpinMatrix(space, psi)));
        // The concurrence takes square roots of small eigenvalues: 1e-7 where rho is (close to) rank deficient.
        expectClose(e.concurrence!, c, { abs: 1e-7, label: `${basis}: concurrence` });
      }
    }
    // The case tests something: the chain becomes entangled.
    expect(Math.max(...entropy)).toBeGreaterThan(1e-3);
  });
});

describe('the chain entropy at the final time only', () => {
  it('where it costs more than ten H applications (full basis, L = 8), says so, and agrees with the sector run', async () => {
    const input: RunConfigInput = { N: 8, L: 8, spinStart: 0, x2: 2, d: 3, sigma: 1.5, tEnd: 1, dt: 0.5, state: 'T0', entanglement: true };
    const full = await simulate({ ...input, basis: 'full' }, { backend: 'cpu', threads: 1 });
    const sector = await simulate({ ...input, basis: 'sector' }, { backend: 'cpu', threads: 1 });
    expect(full.entanglement!.chainEntropyTimes).toEqual([1]);
    expect(full.entanglement!.note).toMatch(/final time only/);
    expect(sector.entanglement!.chainEntropyTimes).toEqual([0, 0.5, 1]);
    expect(sector.entanglement!.note).toBeUndefined();
    expectClose(full.entanglement!.chainEntropy[0], sector.entanglement!.chainEntropy[2], TOLERANCES.cpu);
    expect(full.entanglement!.chainEntropy[0]).toBeGreaterThan(1e-3);
    expectClose(full.entanglement!.concurrence!, sector.entanglement!.concurrence!, { abs: 1e-7 });
  });
});

describe('refusals', () => {
  // Checkpoints hold the series (format version 3): test/propagator/checkpoint.test.ts resumes such runs.
  it('entanglement in a theta sweep, on a backend without it, and not a boolean', async () => {
    await expect(thetaSweep({ ...SMALL }, [0, 1])).rejects.toThrow(/"entanglement".*theta sweep/);
    expect(() => parseRunConfig({ entanglement: 'yes' })).toThrow(/"entanglement" = "yes" is not allowed; allowed: true or false/);
    expect(parseRunConfig({ entanglement: false })).toEqual(parseRunConfig({}));
  });

  it('basis "antisymmetric" keeps one block of each exchange pair and counts its partner: equal to the sector within 1e-10, and "auto" takes it', async () => {
    // Packets crossing each other (and the ring's wrap) so that off-diagonal and diagonal blocks both carry weight.
    const input: RunConfigInput = { ...SMALL, N: 7, L: 3, spinStart: 2, x2: 0.5, d: 3, sigma: 1, state: 'T0', tEnd: 2, dt: 0.5 };
    const sector = await simulate({ ...input, basis: 'sector' }, { backend: 'cpu', threads: 1 });
    for (const state of ['T0', 'singlet', 'T-'] as const) {
      const s = state === 'T0' ? sector : await simulate({ ...input, state, basis: 'sector' }, { backend: 'cpu', threads: 1 });
      const anti = await simulate({ ...input, state, basis: 'antisymmetric' }, { backend: 'cpu', threads: 1 });
      const e = anti.entanglement!, f = s.entanglement!;
      expect(e.chainEntropyTimes).toEqual(f.chainEntropyTimes);
      expectClose(e.chainEntropy, f.chainEntropy, { ...TOLERANCES.cpu, label: `${state}: chain entropy` });
      expectClose(e.szCorrelations, f.szCorrelations, { ...TOLERANCES.cpu, label: `${state}: S_z correlations` });
      expectClose(e.concurrence!, f.concurrence!, { abs: 1e-7, label: `${state}: concurrence` });
      expect(Math.max(...f.chainEntropy)).toBeGreaterThan(1e-3);
    }
    const auto = await simulate(input, { backend: 'cpu', threads: 1 });
    expect(auto.config.basis).toBe('antisymmetric');
  });
});
