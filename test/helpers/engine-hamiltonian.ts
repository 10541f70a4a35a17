/**
 * The engine's H as numbers: the f64 CPU kernel (applyHamiltonianToBlock over
 * every orbital block) applied to basis vectors, one column at a time. Tests
 * read matrix elements from it; nothing of size dim^2 is built unless asked
 * for with denseEngineHamiltonian (tiny systems only).
 */

import { applyHamiltonianToBlock, blockOperator } from '../../src/backends/cpu/kernel.js';
import type { ResolvedRunConfig } from '../../src/model/config.js';
import { hamiltonianTerms } from '../../src/model/hamiltonian.js';

export interface EngineHamiltonian {
  readonly dim: number;
  /** H applied to an interleaved complex vector. */
  apply(psi: Float64Array): Float64Array;
  /** Column i of H (real): H e_i. */
  column(i: number): Float64Array;
  /** The element <row|H|col>. */
  element(row: number, col: number): number;
}

export function engineHamiltonian(config: ResolvedRunConfig): EngineHamiltonian {
  const terms = hamiltonianTerms(config);
  const op = blockOperator(terms);
  const { dim, blocks, blockSize } = terms.layout;
  const scratch = new Float64Array(2 * blockSize);
  const apply = (psi: Float64Array): Float64Array => {
    const out = new Float64Array(2 * dim);
    for (let b = 0; b < blocks; b++) {
      applyHamiltonianToBlock(op, psi, b, scratch);
      out.set(scratch, 2 * b * blockSize);
    }
    return out;
  };
  const column = (i: number): Float64Array => {
    const e = new Float64Array(2 * dim);
    e[2 * i] = 1;
    const h = apply(e);
    const col = new Float64Array(dim);
    for (let r = 0; r < dim; r++) col[r] = h[2 * r];
    return col;
  };
  return { dim, apply, column, element: (row, col) => column(col)[row] };
}

/** The engine's H as a dense row-major dim x dim matrix (tiny systems only). */
export function denseEngineHamiltonian(config: ResolvedRunConfig): { n: number; data: Float64Array } {
  const h = engineHamiltonian(config);
  const n = h.dim;
  const data = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const col = h.column(c);
    for (let r = 0; r < n; r++) data[r * n + c] = col[r];
  }
  return { n, data };
}
