/**
 * The CPU term pass (kernel.ts chebyshevTermBlocks: the sector's row
 * stretches and tiles, the accumulation three terms at a time) against the
 * plainest form of the same arithmetic: H applied block by block
 * (applyHamiltonianToBlock, which the dense and restricted-H tests check
 * element by element) and the Chebyshev sum written out term by term.
 */

import { engineConfig } from '../../helpers/engine-config.js';
import { describe, expect, it } from 'vitest';
import { applyHamiltonianToBlock, blockOperator, chebyshevTermBlocks, NO_ACCUMULATION } from '../../../src/backends/cpu/kernel.js';
import { runExpansion } from '../../../src/backends/cpu/expansion.js';
import { type RunConfigInput } from '../../../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../../../src/model/hamiltonian.js';
import { spectralBounds, spectralScale } from '../../../src/model/spectral-bounds.js';
import { termPhase } from '../../../src/propagator/chebyshev.js';

/** Deterministic pseudo-random doubles in [-1, 1). */
function randomVector(n: number, seed: number): Float64Array {
  const v = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

function scaledOperator(input: RunConfigInput) {
  const h = hamiltonianTerms(engineConfig(input));
  const { center, halfWidth } = spectralScale(spectralBounds(h));
  return blockOperator(scaledHamiltonian(h, center, halfWidth));
}

function applyByBlocks(op: ReturnType<typeof blockOperator>, x: Float64Array): Float64Array {
  const B2 = 2 * op.B;
  const out = new Float64Array(x.length);
  const scratch = new Float64Array(B2);
  for (let b = 0; b < op.blocks; b++) {
    applyHamiltonianToBlock(op, x, b, scratch);
    out.set(scratch, b * B2);
  }
  return out;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// Row stretches of many blocks (small C), stretches of one block (C > 512 at K = 2, L = 32),
// the electron on xA on a local spin, the ring's seam, one electron, the chain filling most of the ring.
const CASES: RunConfigInput[] = [
  { N: 12, L: 3, spinStart: 4, basis: 'sector', state: 'singlet' },
  { N: 12, L: 4, spinStart: 0, basis: 'sector', state: 'T-' },
  { N: 36, L: 32, spinStart: 2, basis: 'sector', state: 'T-' },
  { N: 9, L: 7, spinStart: 2, basis: 'sector', state: 'T0', sdTerms: 'zz', electronSpin: 'pauli' },
  { N: 11, L: 9, spinStart: 1, basis: 'sector', state: 'single' },
  { N: 10, L: 8, spinStart: 1, basis: 'sector', state: 'T-', sdTerms: 'flip' },
  { N: 8, L: 3, spinStart: 2, basis: 'full', state: 'singlet' },
];

describe('the CPU term pass', () => {
  for (const input of CASES) {
    const label = JSON.stringify(input);
    it(`${label}: 2 H~ x - y over every block equals H~ applied block by block, to 1e-13`, () => {
      const op = scaledOperator(input);
      const n = 2 * op.blocks * op.B;
      const x = randomVector(n, 1), y = randomVector(n, 2);
      const hx = applyByBlocks(op, x);
      const next = Float64Array.from(y);
      chebyshevTermBlocks(op, x, next, 2, 1, NO_ACCUMULATION, 0, op.blocks, new Float64Array(2 * op.B));
      const expected = hx.map((v, i) => 2 * v - y[i]);
      expect(maxDiff(next, expected)).toBeLessThan(1e-13);
      // Blocks split at any point (the threads' ranges) give the same.
      const split = Float64Array.from(y);
      const cut = Math.floor(op.blocks / 3) + 1;
      chebyshevTermBlocks(op, x, split, 2, 1, NO_ACCUMULATION, 0, cut, new Float64Array(2 * op.B));
      chebyshevTermBlocks(op, x, split, 2, 1, NO_ACCUMULATION, cut, op.blocks, new Float64Array(2 * op.B));
      expect(maxDiff(split, next)).toBe(0);
    });
  }

  for (const terms of [1, 2, 3, 4, 5, 6, 7, 11]) {
    it(`an expansion of ${terms} terms into 2 accumulators equals sum_k (-i)^k w_k T_k written out, to 1e-12`, () => {
      const op = scaledOperator(CASES[1]);
      const n = 2 * op.blocks * op.B;
      const psi = randomVector(n, 3);
      const weights = [Float64Array.from({ length: terms }, (_, k) => 1 / (k + 1)), Float64Array.from({ length: terms }, (_, k) => (k % 2 ? -0.5 : 0.25) / (k + 2))];
      // T_k by the recurrence, summed term by term.
      const expected = weights.map(() => new Float64Array(n));
      let prev = new Float64Array(n), cur = Float64Array.from(psi);
      for (let k = 0; k < terms; k++) {
        if (k > 0) {
          const h = applyByBlocks(op, cur);
          const t = h.map((v, i) => (k === 1 ? v : 2 * v - prev[i]));
          prev = cur;
          cur = t;
        }
        const [pr, pi] = termPhase(k);
        weights.forEach((w, q) => {
          for (let i = 0; i < n; i += 2) {
            expected[q][i] += w[k] * (pr * cur[i] - pi * cur[i + 1]);
            expected[q][i + 1] += w[k] * (pr * cur[i + 1] + pi * cur[i]);
          }
        });
      }
      const buffers = [Float64Array.from(psi), randomVector(n, 4), randomVector(n, 5), randomVector(n, 6)];
      runExpansion(op, buffers, { weights, terms, psi: 0, work: 1, accs: [2, 3] }, { start: 0, end: op.blocks }, new Float64Array(2 * op.B), () => {});
      expect(maxDiff(buffers[2], expected[0])).toBeLessThan(1e-12);
      expect(maxDiff(buffers[3], expected[1])).toBeLessThan(1e-12);
    });
  }
});
