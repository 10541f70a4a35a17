/**
 * Entanglement observables (MODEL.md, "Beyond the paper"; opt-in with
 * `entanglement: true`), from the state at each output time:
 *
 * - the pair's spin concurrence (Wootters), from the 4 x 4 spin density
 *   matrix of the two electrons (orbits and chain traced out), which every
 *   reduction already holds: C = max(0, l1 - l2 - l3 - l4), l_i the square
 *   roots of the eigenvalues of sqrt(rho) rho~ sqrt(rho), descending, with
 *   rho~ = (sigma_y x sigma_y) rho* (sigma_y x sigma_y);
 * - the von Neumann entropy -Tr rho_c ln rho_c of the chain's reduced density
 *   matrix rho_c (electrons' orbits and spins traced out). Every state has a
 *   definite number of down spins and the trace keeps the electrons' spins,
 *   so rho_c is block diagonal in the chain's deviation count k: one block
 *   of C(L, k) chain configurations per k. Building it costs, per orbital
 *   block, the sum over (electron spin e, k) of (configurations with that e
 *   and k)^2 multiply-adds; where that (with the blocks' eigenvalues) costs
 *   more than about ten H applications (8 multiply-adds per amplitude each),
 *   the entropy is computed at the final time only and the result says so;
 * - <S_z,j S_z,j+1> of neighbouring local spins, from the weight of each
 *   configuration (diagonal).
 *
 * Nothing is divided by the current norm (MODEL.md, Observables).
 */

import { antisymmetricBlockCount, triangleBlock } from './antisymmetric.js';
import type { HamiltonianTerms } from './hamiltonian.js';
import { hermitianEigenvalues, symmetricEigen } from './hermitian-eigenvalues.js';

/** The result's `entanglement` object. */
export interface EntanglementSeries {
  /** Concurrence of the pair's spins at every output time; absent for one electron. */
  concurrence?: number[];
  /** Von Neumann entropy (natural log) of the chain, at the times chainEntropyTimes. */
  chainEntropy: number[];
  /** The output times of chainEntropy: every output time, or the final time only (see note). */
  chainEntropyTimes: number[];
  /** szCorrelations[k][j] = <S_z,j S_z,j+1> at t[k], j = 0 … L - 2. */
  szCorrelations: number[][];
  /** Why the chain entropy is given at the final time only; absent when it is given at every output time. */
  note?: string;
}

/** Multiply-adds per amplitude one H application takes, for the cost rule above (4 hops, the diagonal, a few flips). */
const H_APPLICATION_MACS = 8;
/** The chain entropy is computed at every output time when it costs at most this many H applications. */
const ENTROPY_BUDGET = 10;
/** Largest block of the chain's reduced density matrix (configurations) whose spectrum is computed at all. */
export const MAX_CHAIN_BLOCK = 1024;

/** What the entanglement observables of a layout need: the chain configuration of each configuration of a block. */
export interface EntanglementPlan {
  readonly L: number;
  readonly electrons: 1 | 2;
  readonly blocks: number;
  /** Configurations per orbital block. */
  readonly B: number;
  /**
   * How many orbital blocks each stored block stands for: basis
   * "antisymmetric" keeps one block of each exchange pair (xA < xB) and
   * the diagonal blocks, and a partner block psi(xB, xA, sigma c) =
   * -psi(xA, xB, c) adds to rho_chain and to |psi|^2 what its kept block
   * adds (sigma swaps the electron spins only, the sign squares away), so
   * off-diagonal blocks count twice. Absent: every block once.
   */
  readonly blockWeights?: Float64Array;
  /** The chain blocks' sizes, by deviation count k. */
  readonly chainBlockSizes: number[];
  /** Per (e, k) group: the chain block k, and its configurations' in-block indices and ranks inside block k. */
  readonly groups: { k: number; index: Int32Array; rank: Int32Array }[];
  /** downs[i * L + j]: the deviations of local spin j in configuration i (S - m_j; 0 or 1 for spin 1/2). */
  readonly downs: Uint8Array;
  /** The local spins' S. */
  readonly S: number;
  /** Whether the chain entropy is computed at every output time (else at the final time only). */
  readonly entropyEveryOutput: boolean;
  /** Multiply-adds of one chain entropy over those of one H application. */
  readonly entropyCost: number;
}

export function entanglementPlan(h: HamiltonianTerms): EntanglementPlan {
  const { L, electrons, blocks, blockSize: B } = h.layout;
  const downs = new Uint8Array(B * L);
  const electron = new Int32Array(B);
  if (h.sector) {
    const t = h.sector;
    for (let c = 0; c < B; c++) {
      electron[c] = t.electronSpin[c];
      for (let q = 0; q < t.downStride; q++) {
        const s = t.downSites[c * t.downStride + q];
        if (s >= 0) downs[c * L + s] += 1;
      }
    }
  } else {
    const S = h.layout.spinConfigs;
    for (let i = 0; i < B; i++) {
      electron[i] = Math.floor(i / S);
      const m = i % S;
      for (let j = 0; j < L; j++) downs[i * L + j] = (m >> j) & 1;
    }
  }
  // Rank of each chain configuration inside its block k: the order of first appearance.
  const rankOf = new Map<string, number>();
  const chainBlockSizes = new Array<number>(L * (h.layout.siteDeviations ?? 1) + 1).fill(0);
  const k = new Int32Array(B), rank = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const key = downs.subarray(i * L, (i + 1) * L).join('');
    let kk = 0;
    for (let j = 0; j < L; j++) kk += downs[i * L + j];
    k[i] = kk;
    let r = rankOf.get(key);
    if (r === undefined) rankOf.set(key, (r = chainBlockSizes[kk]++));
    rank[i] = r;
  }
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < B; i++) {
    const key = `${electron[i]}:${k[i]}`;
    const list = byGroup.get(key);
    if (list) list.push(i);
    else byGroup.set(key, [i]);
  }
  const groups = [...byGroup.values()].map((list) => ({ k: k[list[0]], index: Int32Array.from(list), rank: Int32Array.from(list, (i) => rank[i]) }));
  const build = blocks * groups.reduce((a, g) => a + g.index.length * g.index.length, 0);
  // The spectrum of each block: about 10 (2n)^3 for the embedded 2n x 2n real matrix.
  const spectra = chainBlockSizes.reduce((a, n) => a + 10 * (2 * n) ** 3, 0);
  const entropyCost = (build + spectra) / (H_APPLICATION_MACS * blocks * B);
  const S = (h.layout.siteDeviations ?? 1) / 2;
  const blockWeights = h.layout.basis === 'antisymmetric' ? antisymmetricBlockWeights(h.layout.N) : undefined;
  return {
    L, electrons, blocks, B, chainBlockSizes, groups, downs, S, entropyEveryOutput: entropyCost <= ENTROPY_BUDGET, entropyCost,
    ...(blockWeights ? { blockWeights } : {}),
  };
}

/** Basis "antisymmetric": 1 for a diagonal block (xA = xB, its own partner), 2 for a kept block with xA < xB (it and its partner). */
function antisymmetricBlockWeights(N: number): Float64Array {
  const w = new Float64Array(antisymmetricBlockCount(N)).fill(2);
  for (let a = 0; a < N; a++) w[triangleBlock(N, a, a)] = 1;
  return w;
}

/** The largest block of the chain's reduced density matrix, for the refusal of sizes past MAX_CHAIN_BLOCK. */
export function largestChainBlock(plan: EntanglementPlan): number {
  return Math.max(...plan.chainBlockSizes);
}

/** -Tr rho_c ln rho_c of the chain's reduced density matrix of psi (interleaved complex, the plan's layout). */
export function chainEntropy(plan: EntanglementPlan, psi: Float64Array): number {
  const { B, blocks, chainBlockSizes, groups, blockWeights } = plan;
  const rho = chainBlockSizes.map((n) => new Float64Array(2 * n * n));
  for (let b = 0; b < blocks; b++) {
    const o = 2 * b * B;
    const weight = blockWeights ? blockWeights[b] : 1;
    for (const g of groups) {
      const n = chainBlockSizes[g.k], r = rho[g.k];
      const { index, rank } = g;
      for (let p = 0; p < index.length; p++) {
        const xr = weight * psi[o + 2 * index[p]], xi = weight * psi[o + 2 * index[p] + 1];
        if (xr === 0 && xi === 0) continue;
        const row = rank[p] * n;
        // rho[a][b] += psi_a conj(psi_b), upper triangle by rank (the rest is its conjugate).
        for (let q = 0; q < index.length; q++) {
          if (rank[q] < rank[p]) continue;
          const yr = psi[o + 2 * index[q]], yi = psi[o + 2 * index[q] + 1];
          r[2 * (row + rank[q])] += xr * yr + xi * yi;
          r[2 * (row + rank[q]) + 1] += xi * yr - xr * yi;
        }
      }
    }
  }
  let entropy = 0;
  chainBlockSizes.forEach((n, kk) => {
    if (n === 0) return;
    const r = rho[kk];
    for (let a = 0; a < n; a++) {
      for (let c = 0; c < a; c++) {
        r[2 * (a * n + c)] = r[2 * (c * n + a)];
        r[2 * (a * n + c) + 1] = -r[2 * (c * n + a) + 1];
      }
    }
    const values = n === 1 ? [r[0]] : hermitianEigenvalues(r, n);
    for (const lambda of values) if (lambda > 1e-300) entropy -= lambda * Math.log(lambda);
  });
  return entropy;
}

/** <S_z,j S_z,j+1>, j = 0 … L - 2, of psi (S_z = S - deviations). */
export function szCorrelations(plan: EntanglementPlan, psi: Float64Array): number[] {
  const { B, blocks, L, downs, S, blockWeights } = plan;
  const w = new Float64Array(B);
  for (let b = 0; b < blocks; b++) {
    const o = 2 * b * B;
    const weight = blockWeights ? blockWeights[b] : 1;
    for (let i = 0; i < B; i++) w[i] += weight * (psi[o + 2 * i] * psi[o + 2 * i] + psi[o + 2 * i + 1] * psi[o + 2 * i + 1]);
  }
  const out = new Array<number>(Math.max(0, L - 1)).fill(0);
  for (let i = 0; i < B; i++) {
    if (w[i] === 0) continue;
    for (let j = 0; j < L - 1; j++) out[j] += w[i] * (S - downs[i * L + j]) * (S - downs[i * L + j + 1]);
  }
  return out;
}

/**
 * Wootters' concurrence of a two-spin density matrix rho (4 x 4, interleaved
 * complex, basis up-up, up-down, down-up, down-down). Hermitian matrices are
 * handled as their real 8 x 8 embeddings [[X, -Y], [Y, X]], which multiply as
 * the matrices do; sqrt(rho) from the eigen decomposition (negative rounding
 * clipped to 0).
 */
export function concurrence(rho: Float64Array): number {
  const embed = (m: Float64Array): Float64Array => {
    const s = new Float64Array(64);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const x = m[2 * (i * 4 + j)], y = m[2 * (i * 4 + j) + 1];
        s[i * 8 + j] = x;
        s[(i + 4) * 8 + j + 4] = x;
        s[i * 8 + j + 4] = -y;
        s[(i + 4) * 8 + j] = y;
      }
    }
    return s;
  };
  // rho~ = Y rho* Y with Y = sigma_y x sigma_y, a real matrix: Y[0][3] = Y[3][0] = -1, Y[1][2] = Y[2][1] = 1.
  const Y = [[3, -1], [2, 1], [1, 1], [0, -1]] as const;
  const tilde = new Float64Array(32);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const [a, sa] = Y[i], [b, sb] = Y[j];
      tilde[2 * (i * 4 + j)] = sa * sb * rho[2 * (a * 4 + b)];
      tilde[2 * (i * 4 + j) + 1] = -sa * sb * rho[2 * (a * 4 + b) + 1];
    }
  }
  const hermitian = embed(rho);
  // Symmetrize against rounding (rho is Hermitian up to it).
  for (let i = 0; i < 8; i++) for (let j = 0; j < i; j++) hermitian[i * 8 + j] = hermitian[j * 8 + i] = (hermitian[i * 8 + j] + hermitian[j * 8 + i]) / 2;
  const { values, vectors } = symmetricEigen(hermitian, 8);
  const root = new Float64Array(64);
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += vectors[i * 8 + k] * Math.sqrt(Math.max(0, values[k])) * vectors[j * 8 + k];
      root[i * 8 + j] = s;
    }
  }
  const m = multiply(multiply(root, embed(tilde)), root);
  for (let i = 0; i < 8; i++) for (let j = 0; j < i; j++) m[i * 8 + j] = m[j * 8 + i] = (m[i * 8 + j] + m[j * 8 + i]) / 2;
  const mu = symmetricEigen(m, 8).values;
  // Each eigenvalue twice (the embedding): one of each pair, descending.
  const l = [0, 1, 2, 3].map((k) => Math.sqrt(Math.max(0, (mu[2 * k] + mu[2 * k + 1]) / 2))).reverse();
  return Math.max(0, l[0] - l[1] - l[2] - l[3]);
}

function multiply(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(64);
  for (let i = 0; i < 8; i++) for (let k = 0; k < 8; k++) {
    const x = a[i * 8 + k];
    if (x === 0) continue;
    for (let j = 0; j < 8; j++) out[i * 8 + j] += x * b[k * 8 + j];
  }
  return out;
}
