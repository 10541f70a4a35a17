/**
 * The f64 CPU kernels: the matrix-free H application on one orbital block,
 * the fused Chebyshev term (recurrence + accumulation) and the observable
 * reductions. Pure functions over Float64Arrays and a range of orbital blocks,
 * so the same code runs on the main thread and in every worker.
 *
 * Layout (model/layout.ts): block b = xA * N + xB (or x for one electron) holds
 * B = ns * 2^L amplitudes, index inside the block i = e * 2^L + m, interleaved
 * complex. Hopping couples block b with the four blocks whose xA or xB differs
 * by one (mod N), element by element; the spin terms act inside a block.
 * Cost per amplitude and term: 4 neighbour reads, the diagonal, ~ (L-1)/2
 * exchange flips, and on the 2L/N fraction of blocks with an electron on a
 * local spin the sd terms.
 */

import {
  antisymmetricBlockOperator, antisymmetricCrossSpinObservables, antisymmetricSpinObservables, antisymmetricTermOnBlocks,
  applyAntisymmetricHamiltonianToBlock, crossReduceAntisymmetricBlocks, reduceAntisymmetricBlocks, type AntisymmetricBlockOperator,
} from './antisymmetric-kernel.js';
import { addBlockCrossDensity, addBlockDensity } from './block-density.js';
import { triangleRow, triangleRowStart } from '../../model/antisymmetric.js';
import { sdPerSite } from './site-couplings.js';
import type { HamiltonianTerms } from '../../model/hamiltonian.js';
import type { CrossReduction, StateReduction } from '../../model/observables.js';
import {
  applySectorHamiltonianToBlock, crossReduceSectorBlocks, reduceSectorBlocks, sectorBlockOperator,
  sectorCrossSpinObservables, sectorSpinObservables, sectorTermOnBlocks, type SectorBlockOperator,
} from './sector-kernel.js';

/**
 * What the CPU kernels run: the full basis (below), a fixed-S_z sector
 * (sector-kernel.ts) or its exchange-antisymmetric half
 * (antisymmetric-kernel.ts). The exported entry points take any and hand a
 * sector or antisymmetric operator to its own kernels.
 */
export type BlockOperator = FullBlockOperator | SectorBlockOperator | AntisymmetricBlockOperator;

/** HamiltonianTerms of basis "full" flattened into what the inner loops index. */
export interface FullBlockOperator {
  readonly kind: 'full';
  readonly N: number;
  readonly electrons: number;
  /** 2^L */
  readonly S: number;
  /** Electron spin configurations per block (2 or 4). */
  readonly ns: number;
  /** Amplitudes per block. */
  readonly B: number;
  readonly blocks: number;
  readonly hop: number;
  /** exchangeDiagonal[m] (+ electronDiagonal[e]) + shift for every double of a block (index 2 (e 2^L + m) and the one after it). */
  readonly diagonal: Float64Array;
  readonly exchangeFlip: number;
  /**
   * The J_ex flips as unordered pairs (m, m ^ (3 << j)), m < partner, as
   * double offsets 2m and 2 partner inside one electron-spin sector; each pair
   * is applied in both directions in every sector.
   */
  readonly flipFrom: Int32Array;
  readonly flipTo: Int32Array;
  /** Each pair's bond weight (HamiltonianTerms.exchangeBondWeights; 1 without JexBonds): its element is exchangeFlip times it. */
  readonly flipWeight: Float64Array;
  /** sdZz and sdFlip of an electron on local spin j (times JsdSites' weight of j where given). */
  readonly sdZzAt: Float64Array;
  readonly sdFlipAt: Float64Array;
  readonly spinAtSite: Int32Array;
  readonly L: number;
}

export function blockOperator(h: HamiltonianTerms): BlockOperator {
  if (h.layout.basis === 'antisymmetric') return antisymmetricBlockOperator(h);
  // A sector, or the full basis of local spins S > 1/2: tables of its configurations in its own order (model/sector.ts).
  if (h.layout.basis === 'sector' || h.sector) return sectorBlockOperator(h);
  const { N, L, electrons, spinConfigs: S, electronSpinConfigs: ns, blockSize: B, blocks } = h.layout;
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (let m = 0; m < S; m++) {
    for (let j = 0; j < L - 1; j++) {
      const partner = m ^ (3 << j);
      if (((m >> j) & 1) !== ((m >> (j + 1)) & 1) && partner > m) {
        from.push(2 * m);
        to.push(2 * partner);
        weight.push(h.exchangeBondWeights ? h.exchangeBondWeights[j] : 1);
      }
    }
  }
  const diagonal = new Float64Array(2 * B);
  const ed = h.electronDiagonal;
  for (let i = 0; i < 2 * B; i++) {
    diagonal[i] = ed ? h.exchangeDiagonal[(i >> 1) % S] + ed[((i >> 1) / S) | 0] + h.shift : h.exchangeDiagonal[(i >> 1) % S] + h.shift;
  }
  return {
    kind: 'full', N, L, electrons, S, ns, B, blocks,
    hop: h.hop,
    diagonal,
    exchangeFlip: h.exchangeFlip,
    flipFrom: Int32Array.from(from),
    flipTo: Int32Array.from(to),
    flipWeight: Float64Array.from(weight),
    ...sdPerSite(h),
    spinAtSite: h.spinAtSite,
  };
}

/**
 * out[0 … 2B) = (H src) on block `block` (interleaved complex). out must not
 * alias src.
 */
export function applyHamiltonianToBlock(op: BlockOperator, src: Float64Array, block: number, out: Float64Array): void {
  if (op.kind === 'sector') return applySectorHamiltonianToBlock(op, src, block, out);
  if (op.kind === 'antisymmetric') {
    const a = triangleRow(op.N, block);
    return applyAntisymmetricHamiltonianToBlock(op, src, a, a + block - triangleRowStart(op.N, a), out);
  }
  const { N, B, hop, diagonal, exchangeFlip } = op;
  const B2 = 2 * B;
  let xA: number, xB: number, n1: number, n2: number, n3: number, n4: number;
  if (op.electrons === 2) {
    xA = (block / N) | 0;
    xB = block - xA * N;
    const xAm = xA === 0 ? N - 1 : xA - 1, xAp = xA === N - 1 ? 0 : xA + 1;
    const xBm = xB === 0 ? N - 1 : xB - 1, xBp = xB === N - 1 ? 0 : xB + 1;
    n1 = (xAm * N + xB) * B2;
    n2 = (xAp * N + xB) * B2;
    n3 = (xA * N + xBm) * B2;
    n4 = (xA * N + xBp) * B2;
  } else {
    xA = block;
    xB = -1;
    n1 = (xA === 0 ? N - 1 : xA - 1) * B2;
    n2 = (xA === N - 1 ? 0 : xA + 1) * B2;
    n3 = -1;
    n4 = -1;
  }
  const o = block * B2;

  // Hopping and the J_ex diagonal.
  if (n3 >= 0) {
    for (let i = 0; i < B2; i++) out[i] = hop * (src[n1 + i] + src[n2 + i] + src[n3 + i] + src[n4 + i]) + diagonal[i] * src[o + i];
  } else {
    for (let i = 0; i < B2; i++) out[i] = hop * (src[n1 + i] + src[n2 + i]) + diagonal[i] * src[o + i];
  }
  addExchangeFlips(op, src, o, out, 0, exchangeFlip);

  // sd exchange: only where an electron sits on a local spin.
  const jA = op.spinAtSite[xA];
  const jB = xB >= 0 ? op.spinAtSite[xB] : -1;
  if (jA >= 0) addSdTerms(op, src, o, out, jA, op.electrons === 2 ? 2 : 1);
  if (jB >= 0) addSdTerms(op, src, o, out, jB, 1);
}

/**
 * out[outOffset + …] += f * (J_ex flip part of H) src[o + …] on one block: each
 * unordered pair of local-spin configurations, in both directions, in every
 * electron-spin sector (stride 2^(L+1) doubles), each with its bond's weight.
 */
function addExchangeFlips(op: FullBlockOperator, src: Float64Array, o: number, out: Float64Array, outOffset: number, fUniform: number): void {
  const { flipFrom, flipTo, flipWeight } = op;
  const B2 = 2 * op.B, stride = 2 * op.S;
  for (let p = 0; p < flipFrom.length; p++) {
    const a0 = flipFrom[p], q0 = flipTo[p];
    const f = fUniform * flipWeight[p];
    for (let eo = 0; eo < B2; eo += stride) {
      const a = a0 + eo, q = q0 + eo;
      out[outOffset + a] += f * src[o + q];
      out[outOffset + a + 1] += f * src[o + q + 1];
      out[outOffset + q] += f * src[o + a];
      out[outOffset + q + 1] += f * src[o + a + 1];
    }
  }
}

/**
 * -J_sd sigma.S_j for the electron whose spin is the bit `eBit` of e:
 * diagonal +-sdZz (parallel / antiparallel), flip sdFlip to (e ^ eBit, m ^ 2^j)
 * when the electron and local spin j are antiparallel (both of site j).
 */
function addSdTerms(op: FullBlockOperator, src: Float64Array, o: number, out: Float64Array, j: number, eBit: number): void {
  const { S, ns } = op;
  const sdZz = op.sdZzAt[j], sdFlip = op.sdFlipAt[j];
  const mBit = 1 << j;
  for (let e = 0; e < ns; e++) {
    const be = (e & eBit) !== 0 ? 1 : 0;
    for (let m = 0; m < S; m++) {
      const bl = (m & mBit) !== 0 ? 1 : 0;
      const i = 2 * (e * S + m);
      if (be === bl) {
        out[i] += sdZz * src[o + i];
        out[i + 1] += sdZz * src[o + i + 1];
      } else {
        const q = o + 2 * ((e ^ eBit) * S + (m ^ mBit));
        out[i] += -sdZz * src[o + i] + sdFlip * src[q];
        out[i + 1] += -sdZz * src[o + i + 1] + sdFlip * src[q + 1];
      }
    }
  }
}

/**
 * Which Chebyshev terms a term pass adds into the accumulators, and with what
 * weights (expansion.ts decides): the accumulators are streamed from memory
 * once per pass that touches them, so a pass adds up to three terms at once,
 * the three whose values it has in hand on each block: T_{k-2} (read for the
 * recurrence, before it is overwritten), T_{k-1} (read for H) and T_k
 * (just written).
 */
export interface TermAccumulation {
  readonly accs: readonly Float64Array[];
  /** Per accumulator q, 6 numbers from 6 q: the complex weights of T_{k-2}, T_{k-1}, T_k (0 where not added). */
  readonly weights: Float64Array;
  /** Whether T_{k-2}, T_{k-1}, T_k are added on this pass. */
  readonly previous: boolean;
  readonly current: boolean;
  readonly next: boolean;
  /** The accumulators' first pass of the expansion (it adds T_0): acc = sum, not acc += sum (their old contents are not read). */
  readonly first: boolean;
}

/** A pass that adds nothing: the bare H application. */
export const NO_ACCUMULATION: TermAccumulation = { accs: [], weights: new Float64Array(0), previous: false, current: false, next: false, first: false };

/**
 * One Chebyshev term on blocks [blockStart, blockEnd):
 *   next = alpha H~ cur - beta next_in   (next_in is T_{k-2}, overwritten in place)
 * and the accumulation `acc` says (T_{k-2} and T_{k-1} added before a
 * stretch of blocks' next is overwritten, T_k after). With beta = 0 the old
 * contents of `next` are not read.
 */
export function chebyshevTermBlocks(
  op: BlockOperator,
  cur: Float64Array,
  next: Float64Array,
  alpha: number,
  beta: number,
  acc: TermAccumulation,
  blockStart: number,
  blockEnd: number,
  scratch: Float64Array,
): void {
  const B2 = 2 * op.B;
  const before = acc.previous || acc.current;
  // The accumulators are updated a stretch of blocks at a time (still in cache
  // from the term): small blocks (a K = 1 sector block is L + 2 amplitudes)
  // would otherwise pay the accumulation's loop overhead once per block.
  const stretch = Math.max(1, Math.floor(ACCUMULATION_STRETCH / B2));
  for (let b0 = blockStart; b0 < blockEnd; b0 += stretch) {
    const b1 = Math.min(blockEnd, b0 + stretch);
    const o0 = b0 * B2, n = (b1 - b0) * B2;
    if (before) accumulateBefore(acc, next, cur, o0, n);
    if (op.kind === 'sector') {
      sectorTermOnBlocks(op, cur, next, alpha, beta, b0, b1);
    } else if (op.kind === 'antisymmetric') {
      antisymmetricTermOnBlocks(op, cur, next, alpha, beta, b0, b1);
    } else {
      for (let b = b0; b < b1; b++) fullTermOnBlock(op, cur, next, alpha, beta, b, scratch);
    }
    if (acc.next) accumulateNext(acc, next, o0, n);
  }
}

/** Doubles per stretch of chebyshevTermBlocks' accumulation: a few KiB per array, in L1. */
const ACCUMULATION_STRETCH = 512;

/**
 * The full-basis term on one block: two-electron blocks with no electron on
 * a local spin (all but a fraction 2L/N) take a fused single pass; the rest
 * go through applyHamiltonianToBlock.
 */
function fullTermOnBlock(op: FullBlockOperator, cur: Float64Array, next: Float64Array, alpha: number, beta: number, b: number, scratch: Float64Array): void {
  const { N, spinAtSite } = op;
  const B2 = 2 * op.B;
  const o = b * B2;
  const xA = (b / N) | 0;
  const xB = b - xA * N;
  if (op.electrons === 2 && spinAtSite[xA] < 0 && spinAtSite[xB] < 0) {
    termOnPlainBlock(op, cur, next, alpha, beta, xA, xB);
  } else {
    applyHamiltonianToBlock(op, cur, b, scratch);
    if (beta === 0) {
      for (let i = 0; i < B2; i++) next[o + i] = alpha * scratch[i];
    } else {
      for (let i = 0; i < B2; i++) next[o + i] = alpha * scratch[i] - beta * next[o + i];
    }
  }
}

/**
 * The fused term on a two-electron block with neither electron on a local
 * spin: next = alpha (hopping + J_ex diagonal + J_ex flips) cur - beta next.
 */
function termOnPlainBlock(op: FullBlockOperator, cur: Float64Array, next: Float64Array, alpha: number, beta: number, xA: number, xB: number): void {
  const { N, hop, diagonal, exchangeFlip } = op;
  const B2 = 2 * op.B;
  const o = (xA * N + xB) * B2;
    const xAm = xA === 0 ? N - 1 : xA - 1, xAp = xA === N - 1 ? 0 : xA + 1;
    const xBm = xB === 0 ? N - 1 : xB - 1, xBp = xB === N - 1 ? 0 : xB + 1;
    const n1 = (xAm * N + xB) * B2, n2 = (xAp * N + xB) * B2;
    const n3 = (xA * N + xBm) * B2, n4 = (xA * N + xBp) * B2;
    // next = alpha (hop sum of neighbours + diagonal) cur - beta next, then the flips.
    const ah = alpha * hop;
    if (beta === 0) {
      for (let i = 0; i < B2; i++) {
        next[o + i] = ah * (cur[n1 + i] + cur[n2 + i] + cur[n3 + i] + cur[n4 + i]) + alpha * diagonal[i] * cur[o + i];
      }
    } else {
      for (let i = 0; i < B2; i++) {
        next[o + i] = ah * (cur[n1 + i] + cur[n2 + i] + cur[n3 + i] + cur[n4 + i]) + alpha * diagonal[i] * cur[o + i] - beta * next[o + i];
      }
    }
    addExchangeFlips(op, cur, o, next, o, alpha * exchangeFlip);
}

/**
 * acc_q[o … o+n) (+)= u_q T_{k-2} + v_q T_{k-1} on a stretch of doubles, for
 * every accumulator (the weights of a term not added are 0; T_{k-2} is only
 * read when it is added: before the first recurrence step `prev` holds no term).
 */
function accumulateBefore(acc: TermAccumulation, prev: Float64Array, cur: Float64Array, o: number, n: number): void {
  const { accs, weights: w, first } = acc;
  const end = o + n;
  for (let q = 0; q < accs.length; q++) {
    const a = accs[q];
    const vr = w[6 * q + 2], vi = w[6 * q + 3];
    if (acc.previous) {
      const ur = w[6 * q], ui = w[6 * q + 1];
      if (first) {
        for (let i = o; i < end; i += 2) {
          const x = prev[i], y = prev[i + 1], s = cur[i], t = cur[i + 1];
          a[i] = ur * x - ui * y + vr * s - vi * t;
          a[i + 1] = ur * y + ui * x + vr * t + vi * s;
        }
      } else {
        for (let i = o; i < end; i += 2) {
          const x = prev[i], y = prev[i + 1], s = cur[i], t = cur[i + 1];
          a[i] += ur * x - ui * y + vr * s - vi * t;
          a[i + 1] += ur * y + ui * x + vr * t + vi * s;
        }
      }
    } else if (first) {
      for (let i = o; i < end; i += 2) {
        const s = cur[i], t = cur[i + 1];
        a[i] = vr * s - vi * t;
        a[i + 1] = vr * t + vi * s;
      }
    } else {
      for (let i = o; i < end; i += 2) {
        const s = cur[i], t = cur[i + 1];
        a[i] += vr * s - vi * t;
        a[i + 1] += vr * t + vi * s;
      }
    }
  }
}

/**
 * acc_q[o … o+n) += c_q T_k on a stretch of doubles, for every accumulator
 * (never an accumulator's first pass: T_0 is added before, with T_1 or T_2).
 */
function accumulateNext(acc: TermAccumulation, next: Float64Array, o: number, n: number): void {
  const { accs, weights: w } = acc;
  const end = o + n;
  for (let q = 0; q < accs.length; q++) {
    const a = accs[q], r = w[6 * q + 4], s = w[6 * q + 5];
    for (let i = o; i < end; i += 2) {
      const x = next[i], y = next[i + 1];
      a[i] += r * x - s * y;
      a[i + 1] += r * y + s * x;
    }
  }
}

/** acc = w * src on blocks [blockStart, blockEnd): the k = 0 term. */
export function scaleBlocks(op: BlockOperator, src: Float64Array, acc: Float64Array, w: number, blockStart: number, blockEnd: number): void {
  const B2 = 2 * op.B;
  for (let i = blockStart * B2, end = blockEnd * B2; i < end; i++) acc[i] = w * src[i];
}

/** Entries of the spin weights a reduction collects: one per local-spin configuration m (2^L) in the full basis, per configuration c in a sector. */
export function spinWeightCount(op: BlockOperator): number {
  return op.kind === 'full' ? op.S : op.B;
}

/**
 * Adds the observables of psi on blocks [blockStart, blockEnd) into r:
 * the electron spin density matrix, the spin weights (spinWeightCount: in
 * a sector the diagonal of rho comes from them, in spinObservablesFromWeights),
 * the density n(x) and <psi|H|psi> (op must be the unscaled H).
 */
export function reduceBlocks(
  op: BlockOperator,
  psi: Float64Array,
  blockStart: number,
  blockEnd: number,
  r: StateReduction,
  spinWeights: Float64Array,
  scratch: Float64Array,
): void {
  if (op.kind === 'sector') return reduceSectorBlocks(op, psi, blockStart, blockEnd, r, spinWeights, scratch);
  if (op.kind === 'antisymmetric') return reduceAntisymmetricBlocks(op, psi, blockStart, blockEnd, r, spinWeights, scratch);
  const { N, S, ns, B } = op;
  const B2 = 2 * B;
  const rho = r.rho;
  let energy = 0;
  for (let b = blockStart; b < blockEnd; b++) {
    const o = b * B2;
    applyHamiltonianToBlock(op, psi, b, scratch);
    let weight = 0;
    for (let i = 0; i < B2; i += 2) {
      const x = psi[o + i], y = psi[o + i + 1];
      weight += x * x + y * y;
      energy += x * scratch[i] + y * scratch[i + 1];
    }
    // rho[e][f] for f >= e (rho is Hermitian: the rest is filled in below), contiguous over m.
    for (let e = 0; e < ns; e++) {
      const pe = o + 2 * e * S;
      for (let m = 0; m < S; m++) {
        const xr = psi[pe + 2 * m], xi = psi[pe + 2 * m + 1];
        spinWeights[m] += xr * xr + xi * xi;
      }
      for (let f = e; f < ns; f++) {
        const pf = o + 2 * f * S;
        let sr = 0, si = 0;
        for (let i = 0; i < 2 * S; i += 2) {
          const xr = psi[pe + i], xi = psi[pe + i + 1];
          const yr = psi[pf + i], yi = psi[pf + i + 1];
          // psi_e conj(psi_f)
          sr += xr * yr + xi * yi;
          si += xi * yr - xr * yi;
        }
        const k = 2 * (e * ns + f);
        rho[k] += sr;
        rho[k + 1] += si;
      }
    }
    addBlockDensity(r.density, N, op.electrons, b, weight);
  }
  r.energy += energy;
  for (let e = 0; e < ns; e++) {
    for (let f = 0; f < e; f++) {
      rho[2 * (e * ns + f)] = rho[2 * (f * ns + e)];
      rho[2 * (e * ns + f) + 1] = -rho[2 * (f * ns + e) + 1];
    }
  }
}

/**
 * Completes a reduction from the spin weights summed over every block: <S_z,j>
 * into r.szSites and, in a sector, the diagonal of rho.
 */
export function spinObservablesFromWeights(op: BlockOperator, spinWeights: Float64Array, r: StateReduction): void {
  if (op.kind === 'sector') sectorSpinObservables(op.tables, spinWeights, op.ns, r.rho, r.szSites);
  else if (op.kind === 'antisymmetric') antisymmetricSpinObservables(op, spinWeights, r);
  else szSitesFromSpinWeights(spinWeights, op.L, r.szSites);
}

/** Completes cross terms from the complex spin weights summed over every block (see spinObservablesFromWeights). */
export function crossSpinObservablesFromWeights(op: BlockOperator, spinWeights: Float64Array, k: CrossReduction): void {
  if (op.kind === 'sector') sectorCrossSpinObservables(op.tables, spinWeights, op.ns, k.rho, k.szSites);
  else if (op.kind === 'antisymmetric') antisymmetricCrossSpinObservables(op, spinWeights, k);
  else crossSzSitesFromSpinWeights(spinWeights, op.L, k.szSites);
}

/** <S_z,j> = sum_m w(m) (1/2 - bit_j(m)) from the weights of each local-spin configuration. */
export function szSitesFromSpinWeights(spinWeights: Float64Array, L: number, out: Float64Array): void {
  for (let m = 0; m < spinWeights.length; m++) {
    const w = spinWeights[m];
    for (let j = 0; j < L; j++) out[j] += ((m >> j) & 1) === 0 ? 0.5 * w : -0.5 * w;
  }
}

/**
 * Cross terms <a|O|b> of two states over a block range (the theta sweep's
 * two-state decomposition, MODEL.md Studies): K[e][f] += sum b_e conj(a_f),
 * the density, <a|H|b> when a scratch block is given (it receives H b block
 * by block; without it the energy is left alone) and the complex
 * spin weights sum_m conj(a) b per local configuration m (2 * 2^L doubles),
 * from which szSitesFromSpinWeights gives <a|S_z,j|b> part by part.
 */
export function crossReduceBlocks(
  op: BlockOperator,
  a: Float64Array,
  b: Float64Array,
  blockStart: number,
  blockEnd: number,
  out: CrossReduction,
  spinWeights: Float64Array,
  scratch: Float64Array | undefined,
): void {
  if (op.kind === 'sector') return crossReduceSectorBlocks(op, a, b, blockStart, blockEnd, out, spinWeights, scratch);
  if (op.kind === 'antisymmetric') return crossReduceAntisymmetricBlocks(op, a, b, blockStart, blockEnd, out, spinWeights, scratch);
  const { N, S, ns, B } = op;
  const B2 = 2 * B;
  // One pass over the block per local configuration m: the ns amplitudes of a and b at m are
  // gathered once and every K[e][f] product taken from them (short inner loops over e and f
  // instead of ns^2 strided passes; this is what the sweep pays per output time). Two
  // electrons (ns = 4) take K from the unrolled crossDensityMatrixPairs instead.
  const k = new Float64Array(2 * ns * ns);
  const ar = new Float64Array(ns), ai = new Float64Array(ns), br = new Float64Array(ns), bi = new Float64Array(ns);
  let er = 0, ei = 0;
  for (let blk = blockStart; blk < blockEnd; blk++) {
    const o = blk * B2;
    if (scratch) {
      applyHamiltonianToBlock(op, b, blk, scratch);
      for (let i = 0; i < B2; i += 2) {
        const xr = a[o + i], xi = a[o + i + 1];
        // conj(a) (H b)
        er += xr * scratch[i] + xi * scratch[i + 1];
        ei += xr * scratch[i + 1] - xi * scratch[i];
      }
    }
    let wr = 0, wi = 0;
    for (let m = 0; m < S; m++) {
      let sr = 0, si = 0;
      for (let e = 0; e < ns; e++) {
        const p = o + 2 * (e * S + m);
        const xr = a[p], xi = a[p + 1], yr = b[p], yi = b[p + 1];
        if (ns !== 4) {
          ar[e] = xr; ai[e] = xi; br[e] = yr; bi[e] = yi;
        }
        // conj(a) b
        sr += xr * yr + xi * yi;
        si += xr * yi - xi * yr;
      }
      spinWeights[2 * m] += sr;
      spinWeights[2 * m + 1] += si;
      wr += sr;
      wi += si;
      if (ns === 4) continue;
      for (let e = 0; e < ns; e++) {
        const yr = br[e], yi = bi[e];
        for (let f = 0; f < ns; f++) {
          // b_e conj(a_f)
          const q = 2 * (e * ns + f);
          k[q] += yr * ar[f] + yi * ai[f];
          k[q + 1] += yi * ar[f] - yr * ai[f];
        }
      }
    }
    addBlockCrossDensity(out.density, N, op.electrons, blk, wr, wi);
  }
  if (ns === 4) crossDensityMatrixPairs(a, b, S, B2, blockStart, blockEnd, k);
  for (let q = 0; q < k.length; q++) out.rho[q] += k[q];
  out.energy[0] += er;
  out.energy[1] += ei;
}

/**
 * K[e][f] += sum b_e conj(a_f) of two-electron states (ns = 4) over a block
 * range, written out in 32 scalar accumulators: the general loop keeps them in
 * an array, which costs the sweep about a third more per output time.
 */
function crossDensityMatrixPairs(a: Float64Array, b: Float64Array, S: number, B2: number, blockStart: number, blockEnd: number, k: Float64Array): void {
  let k00r = 0, k00i = 0, k01r = 0, k01i = 0, k02r = 0, k02i = 0, k03r = 0, k03i = 0, k10r = 0, k10i = 0, k11r = 0, k11i = 0, k12r = 0, k12i = 0, k13r = 0, k13i = 0, k20r = 0, k20i = 0, k21r = 0, k21i = 0, k22r = 0, k22i = 0, k23r = 0, k23i = 0, k30r = 0, k30i = 0, k31r = 0, k31i = 0, k32r = 0, k32i = 0, k33r = 0, k33i = 0;
  for (let blk = blockStart; blk < blockEnd; blk++) {
    const o = blk * B2;
    for (let m = 0; m < S; m++) {
      const p0 = o + 0 * S + 2 * m, a0r = a[p0], a0i = a[p0 + 1], b0r = b[p0], b0i = b[p0 + 1];
      const p1 = o + 2 * S + 2 * m, a1r = a[p1], a1i = a[p1 + 1], b1r = b[p1], b1i = b[p1 + 1];
      const p2 = o + 4 * S + 2 * m, a2r = a[p2], a2i = a[p2 + 1], b2r = b[p2], b2i = b[p2 + 1];
      const p3 = o + 6 * S + 2 * m, a3r = a[p3], a3i = a[p3 + 1], b3r = b[p3], b3i = b[p3 + 1];
      k00r += b0r * a0r + b0i * a0i; k00i += b0i * a0r - b0r * a0i;
      k01r += b0r * a1r + b0i * a1i; k01i += b0i * a1r - b0r * a1i;
      k02r += b0r * a2r + b0i * a2i; k02i += b0i * a2r - b0r * a2i;
      k03r += b0r * a3r + b0i * a3i; k03i += b0i * a3r - b0r * a3i;
      k10r += b1r * a0r + b1i * a0i; k10i += b1i * a0r - b1r * a0i;
      k11r += b1r * a1r + b1i * a1i; k11i += b1i * a1r - b1r * a1i;
      k12r += b1r * a2r + b1i * a2i; k12i += b1i * a2r - b1r * a2i;
      k13r += b1r * a3r + b1i * a3i; k13i += b1i * a3r - b1r * a3i;
      k20r += b2r * a0r + b2i * a0i; k20i += b2i * a0r - b2r * a0i;
      k21r += b2r * a1r + b2i * a1i; k21i += b2i * a1r - b2r * a1i;
      k22r += b2r * a2r + b2i * a2i; k22i += b2i * a2r - b2r * a2i;
      k23r += b2r * a3r + b2i * a3i; k23i += b2i * a3r - b2r * a3i;
      k30r += b3r * a0r + b3i * a0i; k30i += b3i * a0r - b3r * a0i;
      k31r += b3r * a1r + b3i * a1i; k31i += b3i * a1r - b3r * a1i;
      k32r += b3r * a2r + b3i * a2i; k32i += b3i * a2r - b3r * a2i;
      k33r += b3r * a3r + b3i * a3i; k33i += b3i * a3r - b3r * a3i;
    }
  }
  k[0] += k00r; k[1] += k00i;
  k[2] += k01r; k[3] += k01i;
  k[4] += k02r; k[5] += k02i;
  k[6] += k03r; k[7] += k03i;
  k[8] += k10r; k[9] += k10i;
  k[10] += k11r; k[11] += k11i;
  k[12] += k12r; k[13] += k12i;
  k[14] += k13r; k[15] += k13i;
  k[16] += k20r; k[17] += k20i;
  k[18] += k21r; k[19] += k21i;
  k[20] += k22r; k[21] += k22i;
  k[22] += k23r; k[23] += k23i;
  k[24] += k30r; k[25] += k30i;
  k[26] += k31r; k[27] += k31i;
  k[28] += k32r; k[29] += k32i;
  k[30] += k33r; k[31] += k33i;
}

/** <a|S_z,j|b> (interleaved complex) from the complex spin weights of crossReduceBlocks. */
export function crossSzSitesFromSpinWeights(spinWeights: Float64Array, L: number, out: Float64Array): void {
  const S = spinWeights.length / 2;
  const re = new Float64Array(L), im = new Float64Array(L);
  szSitesFromSpinWeights(spinWeights.filter((_, i) => i % 2 === 0).subarray(0, S), L, re);
  szSitesFromSpinWeights(spinWeights.filter((_, i) => i % 2 === 1).subarray(0, S), L, im);
  for (let j = 0; j < L; j++) {
    out[2 * j] += re[j];
    out[2 * j + 1] += im[j];
  }
}
