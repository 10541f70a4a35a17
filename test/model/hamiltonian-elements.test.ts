/**
 * Matrix elements of the engine's H (the f64 CPU kernel applied to basis
 * vectors) against values worked out by hand from MODEL.md, at canonical
 * indices also worked out by hand:
 *   two electrons: index = ((xA N + xB) 4 + e) 2^L + m,  e = 2 bA + bB
 *   one electron:  index = (x 2 + b) 2^L + m
 * (b = 1 and bit j of m = 1 mean down). Defaults t_h = 0.5, J_ex = 0.2, J_sd = 0.3.
 *
 * By hand, with "half" (sigma = Pauli/2):
 *   hop -t_h = -0.5;  J_ex bond diagonal -J_ex/4 = -0.05 aligned, +0.05 anti-aligned;
 *   J_ex flip -J_ex/2 = -0.1;  sd diagonal -J_sd (±1/2)(±1/2) = -0.075 parallel, +0.075 antiparallel;
 *   sd flip -J_sd (1/2)(sigma_+ S_-) with sigma_+ = |u><d|, S_- = |d><u|: -J_sd/2 = -0.15.
 * With "pauli" the sd terms double: ∓0.15 diagonal, -J_sd = -0.3 flip.
 */

import { engineConfig } from '../helpers/engine-config.js';
import { describe, expect, it } from 'vitest';
import { type RunConfig, type RunConfigInput } from '../../src/model/config.js';
import { expectClose } from '../helpers/expect-close.js';
import { denseEngineHamiltonian, engineHamiltonian } from '../helpers/engine-hamiltonian.js';

const EXACT = { abs: 1e-15 };

/** N = 5, L = 2: local spin 0 on site 2, spin 1 on site 3. */
const TWO: RunConfigInput = { N: 5, L: 2, spinStart: 2, state: 'singlet' };
const ONE: RunConfigInput = { ...TWO, state: 'single' };
/** N = 5, L = 3: spins on sites 1, 2, 3; site 0 carries none. */
const THREE_SPINS: RunConfigInput = { N: 5, L: 3, spinStart: 1, state: 'singlet' };

const OPTIONS = (['half', 'pauli'] as const).flatMap((electronSpin) =>
  (['full', 'zz', 'flip'] as const).map((sdTerms) => ({ electronSpin, sdTerms })),
);

function elements(input: RunConfigInput) {
  const h = engineHamiltonian(engineConfig(input));
  return (row: number, col: number) => h.element(row, col);
}

describe('two electrons, N = 5, L = 2 (index ((xA*5 + xB)*4 + e)*4 + m)', () => {
  const H = elements(TWO);

  it('hops across the periodic boundary, site 4 <-> 0, with -t_h', () => {
    // A: |xA=0, xB=1, ud, m=0> = ((0*5+1)*4+1)*4 = 20;  |xA=4, xB=1, ud, 0> = ((4*5+1)*4+1)*4 = 340.
    expectClose(H(340, 20), -0.5, EXACT);
    expectClose(H(20, 340), -0.5, EXACT);
    // B: |xA=1, xB=0, du, m=3> = ((1*5+0)*4+2)*4+3 = 91;  |xA=1, xB=4, du, 3> = ((1*5+4)*4+2)*4+3 = 155.
    expectClose(H(155, 91), -0.5, EXACT);
    expectClose(H(91, 155), -0.5, EXACT);
  });

  it('gives the column of a state away from the chain exactly: four hops and the J_ex diagonal', () => {
    // |0, 1, ud, m=0> = 20 couples to xA = 4 (340), xA = 1 (|1,1,ud,0> = ((6)*4+1)*4 = 100),
    // xB = 0 (|0,0,ud,0> = 4), xB = 2 (|0,2,ud,0> = ((2)*4+1)*4 = 36); diagonal: one aligned bond, -0.05.
    const column = engineHamiltonian(engineConfig(TWO)).column(20);
    const expected = new Float64Array(column.length);
    for (const row of [340, 100, 4, 36]) expected[row] = -0.5;
    expected[20] = -0.05;
    expectClose(column, expected, EXACT);
  });

  it('has the J_ex diagonal +-J_ex/4 and the J_ex flip -J_ex/2 between m = 1 and m = 2', () => {
    // |0, 1, uu, m> = ((1)*4+0)*4 + m = 16 + m.
    expectClose(H(16, 16), -0.05, EXACT); // m = 0: aligned
    expectClose(H(17, 17), 0.05, EXACT); // m = 1: anti-aligned
    expectClose(H(18, 17), -0.1, EXACT);
    expectClose(H(17, 18), -0.1, EXACT);
    expectClose(H(19, 16), 0, EXACT); // m = 0 <-> 3 is no single flip
  });

  it.each([
    // [options, parallel diagonal, antiparallel diagonal, flip]
    [{ electronSpin: 'half', sdTerms: 'full' }, -0.125, 0.025, -0.15],
    [{ electronSpin: 'half', sdTerms: 'zz' }, -0.125, 0.025, 0],
    [{ electronSpin: 'half', sdTerms: 'flip' }, -0.05, -0.05, -0.15],
    [{ electronSpin: 'pauli', sdTerms: 'full' }, -0.2, 0.1, -0.3],
    [{ electronSpin: 'pauli', sdTerms: 'zz' }, -0.2, 0.1, 0],
    [{ electronSpin: 'pauli', sdTerms: 'flip' }, -0.05, -0.05, -0.3],
  ] as const)('sd terms of electron A on local spin 0, %j', (options, parallel, antiparallel, flip) => {
    const h = elements({ ...TWO, ...options });
    // |xA=2, xB=0, uu, m=0> = ((10)*4+0)*4 = 160: J_ex -0.05 plus sd parallel.
    expectClose(h(160, 160), parallel, EXACT);
    // |2, 0, du, m=0> = ((10)*4+2)*4 = 168: J_ex -0.05 plus sd antiparallel.
    expectClose(h(168, 168), antiparallel, EXACT);
    // flip |2, 0, du, m=0> <-> |2, 0, uu, m=1> = 161.
    expectClose(h(161, 168), flip, EXACT);
    expectClose(h(168, 161), flip, EXACT);
    // Local spin 1 sits on site 3, not under electron A: |2, 0, uu, m=2> = 162 is not reached.
    expectClose(h(162, 168), 0, EXACT);
  });

  it('adds the sd terms of both electrons when both sit on local spins', () => {
    for (const [electronSpin, differentSites, sameSite, flip] of [['half', 0.2, -0.1, -0.15], ['pauli', 0.35, -0.25, -0.3]] as const) {
      const h = elements({ ...TWO, electronSpin });
      // |xA=2, xB=3, ud, m=1> = ((13)*4+1)*4+1 = 213: bond anti-aligned +0.05; A up on spin 0 down
      // and B down on spin 1 up, both antiparallel: +0.075 each ("half") or +0.15 ("pauli").
      expectClose(h(213, 213), differentSites, EXACT);
      // |xA=3, xB=3, dd, m=2> = ((18)*4+3)*4+2 = 302: bond anti-aligned +0.05; both electrons
      // down on spin 1 down, parallel: -0.075 each ("half") or -0.15 ("pauli").
      expectClose(h(302, 302), sameSite, EXACT);
      // Both on site 3: |3, 3, ud, 0> = 292 and |3, 3, du, 0> = 296 each flip with spin 1 into |3, 3, uu, m=2> = 290.
      expectClose(h(290, 292), flip, EXACT);
      expectClose(h(290, 296), flip, EXACT);
      // Electron B on site 3 flips with spin 1: |0, 3, ud, 0> = ((3)*4+1)*4 = 52 <-> |0, 3, uu, m=2> = 50.
      expectClose(h(50, 52), flip, EXACT);
    }
  });

  it('scales every term with non-default, negative couplings', () => {
    const h = elements({ ...TWO, th: -0.3, Jex: -0.4, Jsd: -0.7 });
    expectClose(h(340, 20), 0.3, EXACT); // -t_h
    expectClose(h(18, 17), 0.2, EXACT); // -J_ex/2
    expectClose(h(161, 168), 0.35, EXACT); // -J_sd/2
    expectClose(h(160, 160), 0.1 + 0.175, EXACT); // -J_ex/4 - J_sd/4
    expectClose(h(168, 168), 0.1 - 0.175, EXACT); // -J_ex/4 + J_sd/4
  });
});

describe('two electrons, N = 5, L = 3, electrons on site 0 (no local spin): index = ((0*5+0)*4+0)*8 + m = m', () => {
  const H = elements(THREE_SPINS);

  it('has the J_ex diagonal -J_ex/4 per aligned bond and +J_ex/4 per anti-aligned bond', () => {
    // m in binary (spin 2, 1, 0): 000 two aligned; 001 and 011 one of each; 010 and 101 two anti-aligned; 111 two aligned.
    const expected: [number, number][] = [[0, -0.1], [1, 0], [2, 0.1], [3, 0], [5, 0.1], [7, -0.1]];
    for (const [m, value] of expected) expectClose(H(m, m), value, { ...EXACT, label: `m = ${m}` });
  });

  it('flips neighbouring anti-aligned spins with -J_ex/2 only', () => {
    expectClose(H(2, 1), -0.1, EXACT); // 001 <-> 010 (bond 0-1)
    expectClose(H(4, 2), -0.1, EXACT); // 010 <-> 100 (bond 1-2)
    expectClose(H(5, 3), -0.1, EXACT); // 011 <-> 101 (bond 1-2)
    expectClose(H(6, 5), -0.1, EXACT); // 101 <-> 110 (bond 0-1)
    expectClose(H(4, 1), 0, EXACT); // spins 0 and 2 are not neighbours (open chain)
    expectClose(H(6, 3), 0, EXACT); // two flips away
  });
});

describe('one electron, N = 5, L = 2 (index (x*2 + b)*4 + m)', () => {
  it.each([['half', -0.15, 0.125], ['pauli', -0.3, 0.2]] as const)('electronSpin %s', (electronSpin, flip, antiparallel) => {
    const h = elements({ ...ONE, electronSpin });
    // |x=0, down, 0> = 4 <-> |x=4, down, 0> = 36 across the boundary.
    expectClose(h(36, 4), -0.5, EXACT);
    expectClose(h(4, 36), -0.5, EXACT);
    // |x=2, down, m=0> = 20 <-> |x=2, up, m=1> = 17.
    expectClose(h(17, 20), flip, EXACT);
    // |x=3, up, m=2> = 26: anti-aligned bond +0.05, up electron on spin 1 down: +0.075 ("half"), +0.15 ("pauli").
    expectClose(h(26, 26), antiparallel, EXACT);
  });
});

describe('structure of H for every option', () => {
  const couplings: RunConfigInput[] = [{}, { th: -0.3, Jex: -0.4, Jsd: -0.7 }];
  const cases = [TWO, ONE].flatMap((geometry) =>
    couplings.flatMap((c) => OPTIONS.map((o) => [JSON.stringify({ ...geometry, ...c, ...o }), { ...geometry, ...c, ...o }] as const)),
  );

  it.each(cases)('is real symmetric: %s', (_, input) => {
    const { n, data } = denseEngineHamiltonian(engineConfig(input));
    let asymmetry = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) asymmetry = Math.max(asymmetry, Math.abs(data[i * n + j] - data[j * n + i]));
    expect(asymmetry).toBe(0);
  });

  it('acts on the imaginary part as on the real part (H is real)', () => {
    const h = engineHamiltonian(engineConfig(TWO));
    const psi = new Float64Array(2 * h.dim);
    psi[2 * 168 + 1] = 1; // i |2, 0, du, 0>
    const out = h.apply(psi);
    const column = h.column(168);
    expectClose(out.filter((_, k) => k % 2 === 0), new Float64Array(h.dim), EXACT);
    expectClose(out.filter((_, k) => k % 2 === 1), column, EXACT);
  });

  /** The engine's dense H of a config with the given changes. */
  const dense = (input: RunConfigInput, change: Partial<RunConfig>) => denseEngineHamiltonian(engineConfig({ ...input, ...change })).data;

  it.each([['two electrons', TWO], ['one electron', ONE]] as const)('sdTerms zz has no flip, flip no sd diagonal, full = zz + flip (%s)', (_, geometry) => {
    for (const electronSpin of ['half', 'pauli'] as const) {
      const none = dense(geometry, { electronSpin, Jsd: 0 });
      const full = dense(geometry, { electronSpin, sdTerms: 'full' });
      const zz = dense(geometry, { electronSpin, sdTerms: 'zz' });
      const flip = dense(geometry, { electronSpin, sdTerms: 'flip' });
      const n = Math.round(Math.sqrt(none.length));
      const offDiagonal = (m: Float64Array) => m.map((v, k) => (Math.floor(k / n) === k % n ? 0 : v));
      const diagonal = (m: Float64Array) => m.filter((_, k) => Math.floor(k / n) === k % n);
      const noneOff = offDiagonal(none), noneDiagonal = diagonal(none);
      expectClose(offDiagonal(zz), noneOff, { ...EXACT, label: `${electronSpin}: zz off-diagonal = no sd` });
      expectClose(diagonal(flip), noneDiagonal, { ...EXACT, label: `${electronSpin}: flip diagonal = no sd` });
      expectClose(full, zz.map((v, k) => v + flip[k] - none[k]), { ...EXACT, label: `${electronSpin}: full = zz + flip` });
      // The sd terms really are there.
      expect(offDiagonal(flip).some((v, k) => v !== noneOff[k])).toBe(true);
      expect(diagonal(zz).some((v, k) => v !== noneDiagonal[k])).toBe(true);
    }
  });

  it('"pauli" equals "half" with J_sd doubled (MODEL.md)', () => {
    for (const sdTerms of ['full', 'zz', 'flip'] as const) {
      expectClose(dense(TWO, { electronSpin: 'pauli', sdTerms, Jsd: 0.3 }), dense(TWO, { electronSpin: 'half', sdTerms, Jsd: 0.6 }), EXACT);
    }
  });
});
