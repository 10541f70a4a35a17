/**
 * The layout of basis "antisymmetric" (model/antisymmetric.ts): the index
 * formula, the exchange partner sigma, the maps to the sector and back, the
 * initial states built directly in it, and the CPU kernel's H on it against
 * the sector's H on the expanded state, for random antisymmetric states
 * (every block, the diagonal, the seam's wrapped neighbours, the row
 * stretches) rather than only the states a run reaches.
 */

import { describe, expect, it } from 'vitest';
import { applyHamiltonianToBlock, blockOperator, chebyshevTermBlocks, NO_ACCUMULATION } from '../../src/backends/cpu/kernel.js';
import {
  antisymmetricBlockCount, antisymmetricNormSquared, antisymmetricStateToCanonical, antisymmetricToSector, assertExchangeAntisymmetric,
  exchangePartner, sectorToAntisymmetric, triangleBlock, triangleRow,
} from '../../src/model/antisymmetric.js';
import type { RunConfigInput } from '../../src/model/config.js';
import { engineConfig } from '../helpers/engine-config.js';
import { hamiltonianTerms } from '../../src/model/hamiltonian.js';
import { initialState, stateNormSquared, thetaComponents } from '../../src/model/initial-state.js';
import { blockIndex, layoutForConfig } from '../../src/model/layout.js';
import { sectorTables } from '../../src/model/sector.js';

function randomVector(n: number, seed: number): Float64Array {
  const v = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A random state of the antisymmetric layout: any off-diagonal blocks, the diagonal blocks made antisymmetric. */
function randomAntisymmetric(N: number, L: number, K: number, seed: number): Float64Array {
  const t = sectorTables(L, K, 2);
  const C = t.configs;
  const psi = randomVector(2 * antisymmetricBlockCount(N) * C, seed);
  const sigma = exchangePartner(t);
  for (let a = 0; a < N; a++) {
    const o = 2 * triangleBlock(N, a, a) * C;
    for (let c = 0; c < C; c++) {
      const p = sigma[c];
      if (p < c) continue;
      for (let k = 0; k < 2; k++) {
        if (p === c) psi[o + 2 * c + k] = 0;
        else psi[o + 2 * p + k] = -psi[o + 2 * c + k];
      }
    }
  }
  return psi;
}

describe('the antisymmetric layout', () => {
  it.each([4, 5, 12, 13])('numbers the kept blocks (a, b), a <= b, row by row without gaps (N = %i)', (N) => {
    let t = 0;
    for (let a = 0; a < N; a++) {
      for (let b = a; b < N; b++, t++) {
        expect(triangleBlock(N, a, b)).toBe(t);
        expect(triangleRow(N, t)).toBe(a);
      }
    }
    expect(t).toBe(antisymmetricBlockCount(N));
    const layout = layoutForConfig(engineConfig({ N, L: 2, spinStart: 1, basis: 'antisymmetric', x2: 1, d: 1 }));
    expect(layout.blocks).toBe((N * (N + 1)) / 2);
    expect(blockIndex(layout, 1, 3)).toBe(triangleBlock(N, 1, 3));
    expect(blockIndex(layout, 3, 1)).toBe(-1);
  });

  it.each([[3, 0], [3, 1], [4, 2], [1, 2]])('sigma swaps up-down and down-up, keeps the chain, and is an involution (L = %i, K = %i)', (L, K) => {
    const t = sectorTables(L, K, 2);
    const sigma = exchangePartner(t);
    const swap = [0, 2, 1, 3];
    for (let c = 0; c < t.configs; c++) {
      expect(sigma[sigma[c]]).toBe(c);
      expect(t.electronSpin[sigma[c]]).toBe(swap[t.electronSpin[c]]);
      expect(Array.from(t.downSites.subarray(sigma[c] * K, sigma[c] * K + K))).toEqual(Array.from(t.downSites.subarray(c * K, c * K + K)));
    }
  });

  const STATES: RunConfigInput[] = [{ state: 'singlet' }, { state: 'T0' }, { state: 'T+' }, { state: 'T-' }, { state: 'theta', theta: 1.1 }];
  const GEOMETRY = { N: 11, L: 3, spinStart: 5, x2: 1, d: 2, sigma: 1.5 };

  it.each(STATES)('builds %j directly in the layout: the sector\'s state, half of it, the same norm', (state) => {
    const config = engineConfig({ ...GEOMETRY, ...state, basis: 'antisymmetric' });
    const sectorConfig = { ...config, basis: 'sector' as const };
    const half = initialState(config);
    const sector = initialState(sectorConfig);
    const tables = hamiltonianTerms(config).sector!;
    expect(half.length / sector.length).toBeCloseTo((config.N + 1) / (2 * config.N), 14);
    expect(maxDiff(antisymmetricToSector(tables, config.N, half), sector)).toBeLessThan(1e-15);
    expect(maxDiff(sectorToAntisymmetric(tables, config.N, sector), half)).toBeLessThan(1e-15);
    expect(antisymmetricNormSquared(config.N, tables.configs, half)).toBeCloseTo(1, 14);
    expect(() => assertExchangeAntisymmetric(tables, config.N, half)).not.toThrow();
    // And MODEL.md's canonical layout, through the sector.
    expect(maxDiff(antisymmetricStateToCanonical(tables, config.N, half), initialState({ ...config, basis: 'full' }))).toBeLessThan(1e-15);
  });

  it('builds both parts of the phase state antisymmetric', () => {
    const config = engineConfig({ ...GEOMETRY, state: 'theta', basis: 'antisymmetric' });
    const tables = hamiltonianTerms(config).sector!;
    const { a, b } = thetaComponents(config);
    const sector = thetaComponents({ ...config, basis: 'sector' });
    expect(maxDiff(antisymmetricToSector(tables, config.N, a), sector.a)).toBe(0);
    expect(maxDiff(antisymmetricToSector(tables, config.N, b), sector.b)).toBe(0);
  });

  it('refuses a sector state that is not antisymmetric, and a half state whose diagonal is not, naming the amplitude', () => {
    const config = engineConfig({ ...GEOMETRY, state: 'singlet', basis: 'sector' });
    const tables = hamiltonianTerms(config).sector!;
    const sector = initialState(config);
    // One product state phi1(A) phi2(B) |ud> alone: its partner is missing.
    const C = tables.configs, N = config.N;
    const lopsided = Float64Array.from(sector);
    const ud = C - 2; // K = 1: e = 1 (up-down) with the chain all up is the second-to-last configuration
    lopsided[2 * ((2 * N + 3) * C + ud)] += 0.5;
    expect(() => sectorToAntisymmetric(tables, N, lopsided)).toThrow(/not antisymmetric under the exchange of the two electrons: psi\(xA = 2, xB = 3, e = 1/);
    const half = sectorToAntisymmetric(tables, N, sector);
    half[2 * (triangleBlock(N, 4, 4) * C + ud)] += 0.5;
    expect(() => assertExchangeAntisymmetric(tables, N, half, 'the given state')).toThrow(
      /the given state is not antisymmetric .* psi\(xA = 4, xB = 4, e = 1, .*run a state without this symmetry in basis "sector" or "full"/,
    );
    expect(() => assertExchangeAntisymmetric(tables, N, half.subarray(2))).toThrow(/has \d+ amplitudes; basis "antisymmetric" holds/);
  });

  it('counts an off-diagonal block twice in the norm', () => {
    const N = 6, L = 2, K = 1;
    const psi = randomAntisymmetric(N, L, K, 3);
    const tables = sectorTables(L, K, 2);
    expect(antisymmetricNormSquared(N, tables.configs, psi)).toBeCloseTo(stateNormSquared(antisymmetricToSector(tables, N, psi)), 12);
  });
});

// Seams, diagonal, chain at the ring's start and end, odd and even N, K = 0, 1, 2, one-block stretches (C > rowTile's doubles).
const KERNEL_CASES: RunConfigInput[] = [
  { N: 12, L: 3, spinStart: 4, state: 'singlet' },
  { N: 13, L: 4, spinStart: 0, state: 'T-', electronSpin: 'pauli' },
  { N: 9, L: 4, spinStart: 5, state: 'T0', sdTerms: 'zz' },
  { N: 10, L: 8, spinStart: 1, state: 'T-', sdTerms: 'flip', Jex: -0.3 },
  { N: 7, L: 2, spinStart: 2, state: 'T+' },
  { N: 40, L: 34, spinStart: 3, state: 'T-' },
];

describe('the CPU kernel on the antisymmetric layout', () => {
  it.each(KERNEL_CASES)('%j: H on a random antisymmetric state is the sector\'s H on its expansion, on every block', (input) => {
    const config = engineConfig({ x2: 1, d: 2, ...input, basis: 'antisymmetric' });
    const terms = hamiltonianTerms(config);
    const sectorTerms = hamiltonianTerms({ ...config, basis: 'sector' });
    const op = blockOperator(terms), sectorOp = blockOperator(sectorTerms);
    const tables = terms.sector!;
    const N = config.N;
    const psi = randomAntisymmetric(N, config.L, tables.K, 7);
    const expanded = antisymmetricToSector(tables, N, psi);
    // The sector's H, block by block, reduced to the kept blocks.
    const sectorH = new Float64Array(expanded.length);
    const scratch = new Float64Array(2 * sectorOp.B);
    for (let b = 0; b < sectorOp.blocks; b++) {
      applyHamiltonianToBlock(sectorOp, expanded, b, scratch);
      sectorH.set(scratch, 2 * b * sectorOp.B);
    }
    const expected = sectorToAntisymmetric(tables, N, sectorH);
    // Per block, and through the term pass (row stretches), in two uneven halves as two threads would.
    const perBlock = new Float64Array(psi.length);
    for (let b = 0; b < op.blocks; b++) {
      applyHamiltonianToBlock(op, psi, b, scratch);
      perBlock.set(scratch, 2 * b * op.B);
    }
    const pass = new Float64Array(psi.length);
    const cut = Math.floor(op.blocks / 3);
    chebyshevTermBlocks(op, psi, pass, 1, 0, NO_ACCUMULATION, 0, cut, scratch);
    chebyshevTermBlocks(op, psi, pass, 1, 0, NO_ACCUMULATION, cut, op.blocks, scratch);
    const scale = expected.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(maxDiff(perBlock, expected)).toBeLessThan(1e-14 * scale);
    expect(maxDiff(pass, expected)).toBeLessThan(1e-14 * scale);
    // And the recurrence's form: next = 2 H cur - next.
    const prev = randomAntisymmetric(N, config.L, tables.K, 11);
    const next = Float64Array.from(prev);
    chebyshevTermBlocks(op, psi, next, 2, 1, NO_ACCUMULATION, 0, op.blocks, scratch);
    expect(maxDiff(next, expected.map((x, i) => 2 * x - prev[i]))).toBeLessThan(1e-13 * scale);
  });
});
