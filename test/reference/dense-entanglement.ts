/**
 * Entanglement observables of a dense state (test/reference/dense-model.ts's
 * tensor-product layout), written from MODEL.md and the textbook formulas,
 * not from src/model/entanglement.ts: the partial traces by explicit index
 * loops, the spectra by ml-matrix, and the concurrence from the eigenvalues
 * of the non-Hermitian R = rho (sigma_y x sigma_y) rho* (sigma_y x sigma_y)
 * (Wootters' other form: their square roots, descending).
 */

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { basisIndex, type ComplexVector, type TensorSpace } from './dense-model.js';

/** The electron pair's 4 x 4 spin density matrix, rows re/im as [e][f] with e = 2 bA + bB. */
export function densePairSpinMatrix(space: TensorSpace, psi: ComplexVector): { re: number[][]; im: number[][] } {
  const re = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  const im = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  for (let xA = 0; xA < space.N; xA++) {
    for (let xB = 0; xB < space.N; xB++) {
      for (let m = 0; m < space.localDim ** space.L; m++) {
        for (let e = 0; e < 4; e++) {
          for (let f = 0; f < 4; f++) {
            const i = basisIndex(space, [xA, xB], [e >> 1, e & 1], m), j = basisIndex(space, [xA, xB], [f >> 1, f & 1], m);
            re[e][f] += psi[2 * i] * psi[2 * j] + psi[2 * i + 1] * psi[2 * j + 1];
            im[e][f] += psi[2 * i + 1] * psi[2 * j] - psi[2 * i] * psi[2 * j + 1];
          }
        }
      }
    }
  }
  return { re, im };
}

/** Wootters' concurrence: sqrt of the eigenvalues of R = rho Y rho* Y, descending, C = max(0, l1 - l2 - l3 - l4). */
export function denseConcurrence(rho: { re: number[][]; im: number[][] }): number {
  const Y = [[0, 0, 0, -1], [0, 0, 1, 0], [0, 1, 0, 0], [-1, 0, 0, 0]];
  const A = new Matrix(rho.re), B = new Matrix(rho.im), y = new Matrix(Y);
  // rho Y conj(rho) Y = (A + iB) Y (A - iB) Y.
  const re = A.mmul(y).mmul(A).mmul(y).add(B.mmul(y).mmul(B).mmul(y));
  const im = B.mmul(y).mmul(A).mmul(y).sub(A.mmul(y).mmul(B).mmul(y));
  // The real 8 x 8 form [[re, -im], [im, re]] has R's eigenvalues, each twice.
  const big = Matrix.zeros(8, 8);
  big.setSubMatrix(re, 0, 0);
  big.setSubMatrix(re, 4, 4);
  big.setSubMatrix(im.clone().mul(-1), 0, 4);
  big.setSubMatrix(im, 4, 0);
  const values = new EigenvalueDecomposition(big).realEigenvalues.sort((a, b) => b - a);
  const l = [0, 2, 4, 6].map((k) => Math.sqrt(Math.max(0, (values[k] + values[k + 1]) / 2)));
  return Math.max(0, l[0] - l[1] - l[2] - l[3]);
}

/** -Tr rho ln rho of the chain's reduced density matrix (2^L x 2^L, everything else traced out). */
export function denseChainEntropy(space: TensorSpace, psi: ComplexVector): number {
  const S = space.localDim ** space.L;
  const rest = space.dim / S;
  // With the chain the least significant factors, psi is a rest x S matrix: rho = psi^T conj(psi).
  const re = Matrix.zeros(S, S), im = Matrix.zeros(S, S);
  for (let r = 0; r < rest; r++) {
    for (let m = 0; m < S; m++) {
      const xr = psi[2 * (r * S + m)], xi = psi[2 * (r * S + m) + 1];
      for (let n = 0; n < S; n++) {
        const yr = psi[2 * (r * S + n)], yi = psi[2 * (r * S + n) + 1];
        re.set(m, n, re.get(m, n) + xr * yr + xi * yi);
        im.set(m, n, im.get(m, n) + xi * yr - xr * yi);
      }
    }
  }
  const big = Matrix.zeros(2 * S, 2 * S);
  big.setSubMatrix(re, 0, 0);
  big.setSubMatrix(re, S, S);
  big.setSubMatrix(im.clone().mul(-1), 0, S);
  big.setSubMatrix(im, S, 0);
  const values = new EigenvalueDecomposition(big, { assumeSymmetric: true }).realEigenvalues;
  // Every eigenvalue twice: half the sum over all.
  return values.reduce((h, v) => (v > 1e-300 ? h - v * Math.log(v) : h), 0) / 2;
}

/** <S_z,j S_z,j+1> for j = 0 … L - 2 (S_z = S - digit j of the chain configuration, base 2S + 1). */
export function denseSzCorrelations(space: TensorSpace, psi: ComplexVector): number[] {
  const d = space.localDim, S = d ** space.L, spin = (d - 1) / 2;
  const out = new Array<number>(space.L - 1).fill(0);
  for (let i = 0; i < space.dim; i++) {
    const w = psi[2 * i] ** 2 + psi[2 * i + 1] ** 2;
    const m = i % S;
    const sz = (j: number) => spin - (Math.floor(m / d ** j) % d);
    for (let j = 0; j + 1 < space.L; j++) out[j] += w * sz(j) * sz(j + 1);
  }
  return out;
}
