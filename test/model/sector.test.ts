/**
 * The fixed-S_z sector (MODEL.md, Symmetry) as a layout: its configuration
 * counts, that every flip of H stays inside it, that H restricted to it is the
 * full H's block (element by element, through the canonical index of each
 * configuration), and that its spectral bounds are rigorous and do not grow
 * with L.
 */

import { engineConfig } from '../helpers/engine-config.js';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { type RunConfigInput } from '../../src/model/config.js';
import { hamiltonianTerms } from '../../src/model/hamiltonian.js';
import { initialState } from '../../src/model/initial-state.js';
import { layoutForConfig } from '../../src/model/layout.js';
import {
  binomial, canonicalSpinConfig, sectorConfigCount, sectorDownSpins, sectorStateToCanonical, sectorTables,
} from '../../src/model/sector.js';
import { spectralBounds } from '../../src/model/spectral-bounds.js';
import { engineHamiltonian } from '../helpers/engine-hamiltonian.js';

describe('sector enumeration', () => {
  it('holds the configuration counts of MODEL.md for every K and L', () => {
    for (const L of [1, 2, 3, 4, 7, 16, 64]) {
      expect(sectorConfigCount(L, 0, 2)).toBe(1);
      expect(sectorConfigCount(L, 1, 2)).toBe(L + 2);
      expect(sectorConfigCount(L, 2, 2)).toBe(1 + 2 * L + (L * (L - 1)) / 2);
      expect(sectorConfigCount(L, 0, 1)).toBe(1);
      expect(sectorConfigCount(L, 1, 1)).toBe(L + 1);
    }
    // The table: L = 4 gives 6 and 15, L = 64 gives 66 and 2145.
    expect([sectorConfigCount(4, 1, 2), sectorConfigCount(4, 2, 2), sectorConfigCount(64, 1, 2), sectorConfigCount(64, 2, 2)]).toEqual([6, 15, 66, 2145]);
    expect(binomial(64, 2)).toBe(2016);
  });

  it('takes K from the initial state', () => {
    const K = (state: string, singleSpin = 'down') => sectorDownSpins(engineConfig({ state, singleSpin }));
    expect([K('singlet'), K('T0'), K('theta'), K('T-'), K('T+'), K('single'), K('single', 'up')]).toEqual([1, 1, 1, 2, 0, 1, 0]);
  });

  it('lists each configuration once, with K down spins, in the documented order', () => {
    for (const [L, K, electrons] of [[5, 2, 2], [4, 1, 2], [3, 1, 1], [6, 0, 2]] as const) {
      const t = sectorTables(L, K, electrons);
      const seen = new Set<string>();
      let previous = '';
      for (let c = 0; c < t.configs; c++) {
        const e = t.electronSpin[c];
        const m = canonicalSpinConfig(t, c);
        const downs = (e & 1) + (electrons === 2 ? (e >> 1) & 1 : 0) + popcount(m);
        expect(downs).toBe(K);
        const key = `${e}:${m}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        // e ascending, then the sorted down sites lexicographically.
        const order = `${e}`.padStart(2, '0') + Array.from({ length: L }, (_, j) => ((m >> j) & 1 ? j : '')).filter((x) => x !== '').map((j) => String(j).padStart(3, '0')).join('');
        expect(order > previous).toBe(true);
        previous = order;
      }
      if (K === 1 && electrons === 2) {
        // c = 0 … L-1: e = 0 with local spin c down; c = L: e = 1; c = L + 1: e = 2.
        for (let c = 0; c < L; c++) expect([t.electronSpin[c], canonicalSpinConfig(t, c)]).toEqual([0, 1 << c]);
        expect([t.electronSpin[L], t.electronSpin[L + 1]]).toEqual([1, 2]);
      }
    }
  });
});

function popcount(m: number): number {
  let n = 0;
  for (; m; m &= m - 1) n++;
  return n;
}

const SMALL: RunConfigInput[] = [
  { N: 5, L: 3, spinStart: 1, state: 'singlet' },
  { N: 5, L: 3, spinStart: 1, state: 'T-', electronSpin: 'pauli' },
  { N: 4, L: 4, spinStart: 0, state: 'T-', sdTerms: 'flip', Jex: -0.4 },
  { N: 5, L: 2, spinStart: 3, state: 'T+', sdTerms: 'zz' },
  { N: 6, L: 1, spinStart: 2, state: 'T0' },
  { N: 6, L: 3, spinStart: 3, state: 'single' },
  { N: 6, L: 3, spinStart: 0, state: 'single', singleSpin: 'up', electronSpin: 'pauli' },
];

describe('H in the sector is the full H restricted to it', () => {
  it.each(SMALL)('%j: every element, and nothing leaves the sector', (input) => {
    const full = engineConfig(input);
    const sector = engineConfig({ ...input, basis: 'sector' });
    const hFull = engineHamiltonian(full);
    const hSector = engineHamiltonian(sector);
    const tables = hamiltonianTerms(sector).sector!;
    const { blocks } = layoutForConfig(full);
    const S = 2 ** full.L;
    const fullBlock = (full.state === 'single' ? 2 : 4) * S;
    const C = tables.configs;
    const canonical = (i: number) => {
      const b = Math.floor(i / C), c = i % C;
      return b * fullBlock + tables.electronSpin[c] * S + canonicalSpinConfig(tables, c);
    };
    const inSector = new Set(Array.from({ length: blocks * C }, (_, i) => canonical(i)));
    for (let col = 0; col < hSector.dim; col++) {
      const sCol = hSector.column(col);
      const fCol = hFull.column(canonical(col));
      // The same elements; their terms may be added in another order (1 ulp).
      for (let row = 0; row < hSector.dim; row++) expect(Math.abs(sCol[row] - fCol[canonical(row)])).toBeLessThan(1e-15);
      // The full H takes the sector's column nowhere else.
      fCol.forEach((v, r) => {
        if (v !== 0) expect(inSector.has(r)).toBe(true);
      });
    }
  });

  it.each(SMALL)('%j: the initial state is the full one restricted to the sector', (input) => {
    const full = engineConfig({ ...input, d: 1 });
    const sector = engineConfig({ ...input, d: 1, basis: 'sector' });
    const tables = hamiltonianTerms(sector).sector!;
    const expanded = sectorStateToCanonical(tables, full.N, initialState(sector));
    const direct = initialState(full);
    expect(expanded.length).toBe(direct.length);
    for (let i = 0; i < direct.length; i++) expect(Math.abs(expanded[i] - direct[i])).toBeLessThan(1e-15);
  });
});

describe('spectral bounds in the sector', () => {
  it.each(SMALL)('%j: contain every eigenvalue of the sector H, inside the full bounds', (input) => {
    const sector = engineConfig({ ...input, basis: 'sector' });
    const h = engineHamiltonian(sector);
    const dense = new Matrix(h.dim, h.dim);
    for (let c = 0; c < h.dim; c++) {
      const col = h.column(c);
      for (let r = 0; r < h.dim; r++) dense.set(r, c, col[r]);
    }
    const eig = new EigenvalueDecomposition(dense, { assumeSymmetric: true }).realEigenvalues;
    const b = spectralBounds(hamiltonianTerms(sector));
    const f = spectralBounds(hamiltonianTerms(engineConfig(input)));
    expect(Math.min(...eig)).toBeGreaterThanOrEqual(b.min);
    expect(Math.max(...eig)).toBeLessThanOrEqual(b.max);
    expect(b.max - b.min).toBeLessThanOrEqual(f.max - f.min + 1e-12);
  });

  it('do not grow with L for K = 1 (one magnon band), where the bond sum does', () => {
    const width = (L: number, basis: 'full' | 'sector') => {
      const b = spectralBounds(hamiltonianTerms(engineConfig({ N: 200, L, basis, state: 'singlet' })));
      return b.max - b.min;
    };
    const w4 = width(4, 'full');
    for (const L of [8, 16, 32, 64, 128]) {
      // Hopping 4 t_h, two electrons' sd, and the magnon band 2 J_ex wide: about 5.0 eV at paper couplings.
      expect(width(L, 'sector')).toBeLessThan(w4);
    }
    // The bond sum: 16 more bonds of J_ex = 0.2 eV each.
    expect(width(20, 'full') - w4).toBeGreaterThan(3);
  });
});
