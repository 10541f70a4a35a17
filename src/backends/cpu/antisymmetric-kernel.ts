/**
 * The f64 CPU kernels of basis "antisymmetric" (model/antisymmetric.ts: the
 * sector's blocks (a, b) with a <= b, row a holding b = a … N - 1, the
 * partner psi(b, a, sigma(c)) = -psi(a, b, c)). Every term inside a block is
 * the sector's (electron A on a, B on b), run by the sector kernel's own code
 * and tables; only the hopping differs, and only where a neighbour block
 * leaves the kept triangle.
 *
 * Where the neighbours lie: the block of (a -+ 1, b) is t -+ its row's stride
 * (N - a back, N - a - 1 ahead), that of (a, b -+ 1) the previous or next
 * block, all kept, except on
 *   - row 0, whose (a - 1, b) = (N - 1, b) wraps across the ring's seam,
 *   - the diagonal b = a, whose (a + 1, a) and (a, a - 1) are partners,
 *   - the last column b = N - 1, whose (a, b + 1) = (a, 0) wraps,
 * where a neighbour (x, y) with x > y is read as -psi(y, x, sigma(c)): these
 * blocks (and those with electron B on a local spin) take the per-block path
 * (termOnTriangleBlock: a block whose neighbours are all kept runs the
 * sector's fused per-block pass; on the triangle's edges the partners'
 * hopping goes first, through sigma as a permutation table and the sign,
 * then the same fused pass with the kept neighbours). Every other
 * stretch of a row is the sector kernel's streamed row loop with this
 * layout's strides (sectorRowStretch). The per-block share is about
 * (6 + L)/N of the blocks for a chain in the middle of the ring (the sector
 * kernel's: (2 + L)/N); per amplitude and term the streamed path costs what
 * the sector's does.
 *
 * Reductions count both partners: a diagonal block at weight 1/2 and every
 * other at 1, then the whole sum doubled with rho's partner taken with the
 * electron spins swapped (exchangeDoubling), once the partial sums of every
 * thread are added.
 */

import { exchangePartner, triangleBlock, triangleRow, triangleRowStart } from '../../model/antisymmetric.js';
import type { HamiltonianTerms } from '../../model/hamiltonian.js';
import type { CrossReduction, StateReduction } from '../../model/observables.js';
import {
  sectorBlockOperator, sectorCrossSpinObservables, sectorRowStretch, sectorSpinObservables, sectorTermOnBlockAt, type SectorBlockOperator,
} from './sector-kernel.js';

export interface AntisymmetricBlockOperator {
  readonly kind: 'antisymmetric';
  readonly N: number;
  readonly L: number;
  readonly electrons: 2;
  /** Electron spin configurations: 4, the size of rho. */
  readonly ns: 4;
  /** Configurations per block, C (the sector's). */
  readonly B: number;
  /** N (N + 1) / 2. */
  readonly blocks: number;
  /** The sector's operator: in-block terms, tiles and tables, read as they are. */
  readonly sector: SectorBlockOperator;
  /** sigma on doubles: 2 sigma(c) + k at 2 c + k (a partner's amplitude, spins swapped). */
  readonly partnerDoubles: Int32Array;
  /** termOnTriangleBlock's list of the kept neighbours' offsets on the triangle's edges (one operator per thread). */
  readonly keptScratch: Float64Array;
}

export function antisymmetricBlockOperator(h: HamiltonianTerms): AntisymmetricBlockOperator {
  if (h.layout.basis !== 'antisymmetric' || !h.sector) throw new Error('antisymmetricBlockOperator: the Hamiltonian is not of basis "antisymmetric"');
  const sector = sectorBlockOperator(h);
  const sigma = exchangePartner(h.sector);
  const B = sector.B;
  const partnerDoubles = new Int32Array(2 * B);
  for (let i = 0; i < 2 * B; i++) partnerDoubles[i] = 2 * sigma[i >> 1] + (i & 1);
  return { kind: 'antisymmetric', N: sector.N, L: sector.L, electrons: 2, ns: 4, B, blocks: h.layout.blocks, sector, partnerDoubles, keptScratch: new Float64Array(3) };
}

/** The kept block of the pair (x, y): t(x, y) when x <= y, else ~t(y, x) (negative: read the partner, with its sign). */
function keptBlock(N: number, x: number, y: number): number {
  return x <= y ? triangleBlock(N, x, y) : ~triangleBlock(N, y, x);
}

/**
 * out[outOffset + …] = alpha (H cur)[block (a, b)] - beta out[outOffset + …]
 * (beta = 0: not read), any block: the four neighbours, each kept or read as
 * its partner (sign -1, spins swapped), then the sector's in-block terms.
 */
function termOnTriangleBlock(op: AntisymmetricBlockOperator, cur: Float64Array, a: number, b: number, out: Float64Array, outOffset: number, alpha: number, beta: number): void {
  const { N, B, sector } = op;
  const B2 = 2 * B;
  const ah = alpha * sector.hop;
  const k1 = keptBlock(N, a === 0 ? N - 1 : a - 1, b), k2 = keptBlock(N, a === N - 1 ? 0 : a + 1, b);
  const k3 = keptBlock(N, a, b === 0 ? N - 1 : b - 1), k4 = keptBlock(N, a, b === N - 1 ? 0 : b + 1);
  const jA = sector.spinAtSite[a], jB = sector.spinAtSite[b];
  const o = triangleBlock(N, a, b) * B2;
  if ((k1 | k2 | k3 | k4) >= 0) {
    // Every neighbour kept (the chain's columns off the diagonal and the seams): the sector's fused pass.
    sectorTermOnBlockAt(sector, cur, o, k1 * B2, k2 * B2, k3 * B2, k4 * B2, ah, ah, jA, jB, out, outOffset, alpha, beta);
    return;
  }
  // One or two neighbours are partners (the diagonal, row 0, the last column): their hopping first,
  // sign and sigma applied, then the sector's fused pass with the kept ones (two or three; a third
  // one counted twice at half weight, which is exact) adds the rest (beta = -1 keeps what is there).
  const kept = op.keptScratch;
  let count = 0, b0 = beta;
  for (let q = 0; q < 4; q++) {
    const k = q === 0 ? k1 : q === 1 ? k2 : q === 2 ? k3 : k4;
    if (k >= 0) {
      kept[count++] = k * B2;
    } else {
      addPartnerHopping(op, cur, ~k * B2, out, outOffset, -ah, b0);
      b0 = -1;
    }
  }
  if (count === 3) sectorTermOnBlockAt(sector, cur, o, kept[0], kept[1], kept[2], kept[2], ah, ah / 2, jA, jB, out, outOffset, alpha, -1);
  else sectorTermOnBlockAt(sector, cur, o, kept[0], kept[1], o, o, ah, 0, jA, jB, out, outOffset, alpha, -1);
}

/** out[outOffset + i] = w cur[n + sigma(i)] - beta out[outOffset + i] (beta = 0: not read): a partner neighbour's hopping. */
function addPartnerHopping(op: AntisymmetricBlockOperator, cur: Float64Array, n: number, out: Float64Array, outOffset: number, w: number, beta: number): void {
  const B2 = 2 * op.B, p = op.partnerDoubles;
  if (beta === 0) {
    for (let i = 0; i < B2; i++) out[outOffset + i] = w * cur[n + p[i]];
  } else {
    for (let i = 0; i < B2; i++) out[outOffset + i] = w * cur[n + p[i]] - beta * out[outOffset + i];
  }
}

/** out[0 … 2C) = (H src) on the block at row a, column b (a <= b). out must not alias src. */
export function applyAntisymmetricHamiltonianToBlock(op: AntisymmetricBlockOperator, src: Float64Array, a: number, b: number, out: Float64Array): void {
  termOnTriangleBlock(op, src, a, b, out, 0, 1, 0);
}

/**
 * next = alpha H~ cur - beta next on blocks [blockStart, blockEnd), in
 * place: the rows' interiors (a >= 1, a < b < N - 1, electron B off the
 * chain) in stretches through the sector's row loop, the rest per block.
 */
export function antisymmetricTermOnBlocks(op: AntisymmetricBlockOperator, cur: Float64Array, next: Float64Array, alpha: number, beta: number, blockStart: number, blockEnd: number): void {
  const { N, B, sector } = op;
  const { spinAtSite, rowTile } = sector;
  const B2 = 2 * B;
  let a = triangleRow(N, blockStart);
  let rowStart = triangleRowStart(N, a);
  for (let t = blockStart; t < blockEnd; ) {
    while (t >= rowStart + (N - a)) {
      rowStart += N - a;
      a++;
    }
    let b = a + (t - rowStart);
    if (a === 0 || b === a || b === N - 1 || spinAtSite[b] >= 0) {
      termOnTriangleBlock(op, cur, a, b, next, t * B2, alpha, beta);
      t++;
      continue;
    }
    const first = t;
    let n = 0;
    while (t < blockEnd && n < rowTile && b < N - 1 && spinAtSite[b] < 0) {
      t++;
      b++;
      n++;
    }
    sectorRowStretch(sector, cur, next, alpha, beta, a, first, n, -(N - a) * B2, (N - a - 1) * B2);
  }
}

/** Calls visit(t, a, b, weight) for every block t of [blockStart, blockEnd): weight 1/2 on the diagonal, 1 elsewhere (exchangeDoubling doubles all). */
function forEachBlock(N: number, blockStart: number, blockEnd: number, visit: (t: number, a: number, b: number, weight: number) => void): void {
  let a = triangleRow(N, blockStart);
  let rowStart = triangleRowStart(N, a);
  for (let t = blockStart; t < blockEnd; t++) {
    while (t >= rowStart + (N - a)) {
      rowStart += N - a;
      a++;
    }
    const b = a + (t - rowStart);
    visit(t, a, b, a === b ? 0.5 : 1);
  }
}

/**
 * Adds the observables of psi on blocks [blockStart, blockEnd) into r, as
 * reduceSectorBlocks does, each block at its weight (forEachBlock): rho's
 * off-diagonal part, the configuration weights (configWeights, length C),
 * n(x) on both electrons' sites and <psi|H|psi> (op must be the unscaled H).
 * antisymmetricSpinObservables completes and doubles the sum.
 */
export function reduceAntisymmetricBlocks(
  op: AntisymmetricBlockOperator,
  psi: Float64Array,
  blockStart: number,
  blockEnd: number,
  r: StateReduction,
  configWeights: Float64Array,
  scratch: Float64Array,
): void {
  const { N, B, ns } = op;
  const { spinPairs, electronSpin } = op.sector.tables;
  const B2 = 2 * B;
  const pairs = new Float64Array(spinPairs.length);
  let energy = 0;
  forEachBlock(N, blockStart, blockEnd, (t, a, b, w) => {
    const o = t * B2;
    applyAntisymmetricHamiltonianToBlock(op, psi, a, b, scratch);
    let weight = 0, e = 0;
    for (let c = 0; c < B; c++) {
      const x = psi[o + 2 * c], y = psi[o + 2 * c + 1];
      const p = w * (x * x + y * y);
      configWeights[c] += p;
      weight += p;
      e += x * scratch[2 * c] + y * scratch[2 * c + 1];
    }
    energy += w * e;
    for (let p = 0; p < spinPairs.length; p += 2) {
      const u = o + 2 * spinPairs[p], v = o + 2 * spinPairs[p + 1];
      const xr = psi[u], xi = psi[u + 1], yr = psi[v], yi = psi[v + 1];
      // psi_c conj(psi_c')
      pairs[p] += w * (xr * yr + xi * yi);
      pairs[p + 1] += w * (xi * yr - xr * yi);
    }
    r.density[a] += weight;
    r.density[b] += weight;
  });
  r.energy += energy;
  for (let p = 0; p < spinPairs.length; p += 2) {
    const e = electronSpin[spinPairs[p]], f = electronSpin[spinPairs[p + 1]];
    r.rho[2 * (e * ns + f)] += pairs[p];
    r.rho[2 * (e * ns + f) + 1] += pairs[p + 1];
    r.rho[2 * (f * ns + e)] += pairs[p];
    r.rho[2 * (f * ns + e) + 1] -= pairs[p + 1];
  }
}

/**
 * Cross terms <a|O|b> over a block range, as crossReduceSectorBlocks, each
 * block at its weight; <a|H|b> when a scratch block is given.
 * antisymmetricCrossSpinObservables completes and doubles the sum.
 */
export function crossReduceAntisymmetricBlocks(
  op: AntisymmetricBlockOperator,
  a: Float64Array,
  b: Float64Array,
  blockStart: number,
  blockEnd: number,
  out: CrossReduction,
  configWeights: Float64Array,
  scratch: Float64Array | undefined,
): void {
  const { N, B, ns } = op;
  const { spinPairs, electronSpin } = op.sector.tables;
  const B2 = 2 * B;
  const pairs = new Float64Array(2 * spinPairs.length);
  let er = 0, ei = 0;
  forEachBlock(N, blockStart, blockEnd, (t, xa, xb, w) => {
    const o = t * B2;
    if (scratch) {
      applyAntisymmetricHamiltonianToBlock(op, b, xa, xb, scratch);
      for (let i = 0; i < B2; i += 2) {
        const xr = a[o + i], xi = a[o + i + 1];
        er += w * (xr * scratch[i] + xi * scratch[i + 1]);
        ei += w * (xr * scratch[i + 1] - xi * scratch[i]);
      }
    }
    let wr = 0, wi = 0;
    for (let c = 0; c < B; c++) {
      const p = o + 2 * c;
      const xr = a[p], xi = a[p + 1], yr = b[p], yi = b[p + 1];
      // conj(a) b
      const sr = w * (xr * yr + xi * yi), si = w * (xr * yi - xi * yr);
      configWeights[2 * c] += sr;
      configWeights[2 * c + 1] += si;
      wr += sr;
      wi += si;
    }
    for (let q = 0; q < spinPairs.length; q += 2) {
      const u = o + 2 * spinPairs[q], v = o + 2 * spinPairs[q + 1];
      const aur = a[u], aui = a[u + 1], bur = b[u], bui = b[u + 1];
      const avr = a[v], avi = a[v + 1], bvr = b[v], bvi = b[v + 1];
      // b_u conj(a_v) and b_v conj(a_u)
      pairs[2 * q] += w * (bur * avr + bui * avi);
      pairs[2 * q + 1] += w * (bui * avr - bur * avi);
      pairs[2 * q + 2] += w * (bvr * aur + bvi * aui);
      pairs[2 * q + 3] += w * (bvi * aur - bvr * aui);
    }
    out.density[2 * xa] += wr;
    out.density[2 * xa + 1] += wi;
    out.density[2 * xb] += wr;
    out.density[2 * xb + 1] += wi;
  });
  for (let q = 0; q < spinPairs.length; q += 2) {
    const e = electronSpin[spinPairs[q]], f = electronSpin[spinPairs[q + 1]];
    out.rho[2 * (e * ns + f)] += pairs[2 * q];
    out.rho[2 * (e * ns + f) + 1] += pairs[2 * q + 1];
    out.rho[2 * (f * ns + e)] += pairs[2 * q + 2];
    out.rho[2 * (f * ns + e) + 1] += pairs[2 * q + 3];
  }
  out.energy[0] += er;
  out.energy[1] += ei;
}

/** The electron spins with A and B exchanged: e = 2 bA + bB -> 2 bB + bA. */
const SWAPPED_SPINS = [0, 2, 1, 3];

/**
 * The sum over the kept blocks (diagonal at 1/2) made the sum over every
 * block: each block and its partner. The partner has the same chain and
 * electron sites and the electron spins swapped, so S_z per site, n(x) and
 * the energy double, and rho becomes R + sigma R sigma (rho[e][f] gains
 * R[sigma e][sigma f]); `scale` doubles the energy (real or complex).
 */
function exchangeDoubling(rho: Float64Array, szSites: Float64Array, density: Float64Array, scale: (x: number) => void): void {
  const R = Float64Array.from(rho);
  for (let e = 0; e < 4; e++) {
    for (let f = 0; f < 4; f++) {
      const k = 2 * (e * 4 + f), s = 2 * (SWAPPED_SPINS[e] * 4 + SWAPPED_SPINS[f]);
      rho[k] = R[k] + R[s];
      rho[k + 1] = R[k + 1] + R[s + 1];
    }
  }
  for (let j = 0; j < szSites.length; j++) szSites[j] *= 2;
  for (let x = 0; x < density.length; x++) density[x] *= 2;
  scale(2);
}

/** Completes a reduction summed over every thread's blocks: rho's diagonal and S_z per site from the weights, then both partners. */
export function antisymmetricSpinObservables(op: AntisymmetricBlockOperator, configWeights: Float64Array, r: StateReduction): void {
  sectorSpinObservables(op.sector.tables, configWeights, op.ns, r.rho, r.szSites);
  exchangeDoubling(r.rho, r.szSites, r.density, (k) => (r.energy *= k));
}

/** The same for cross terms <a|O|b>. */
export function antisymmetricCrossSpinObservables(op: AntisymmetricBlockOperator, configWeights: Float64Array, k: CrossReduction): void {
  sectorCrossSpinObservables(op.sector.tables, configWeights, op.ns, k.rho, k.szSites);
  exchangeDoubling(k.rho, k.szSites, k.density, (s) => {
    k.energy[0] *= s;
    k.energy[1] *= s;
  });
}
