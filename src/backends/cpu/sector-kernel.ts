/**
 * The f64 CPU kernels of basis "sector" (MODEL.md, Symmetry; the layout and
 * its tables are in model/sector.ts): the same orbital blocks as the full
 * basis, C spin configurations each, so the hopping is the full kernel's
 * (element by element between neighbouring blocks); only the spin terms read
 * tables instead of bit tricks.
 *
 * A term is one pass over the block, one configuration at a time: hopping
 * from the 4 (2) neighbouring blocks, the J_ex diagonal with the sd diagonal
 * of any electron on a local spin folded in (sign tables), and the J_ex flips
 * gathered from the configuration's list (2 for K = 1, up to 4 for K = 2,
 * whatever L); then the few sd flips of the block from sparse lists. So cur is
 * read and next written about once per amplitude, as in the full basis.
 */

import { addBlockCrossDensity, addBlockDensity } from './block-density.js';
import type { HamiltonianTerms } from '../../model/hamiltonian.js';
import type { CrossReduction, StateReduction } from '../../model/observables.js';
import type { SectorTables } from '../../model/sector.js';

export interface SectorBlockOperator {
  readonly kind: 'sector';
  readonly N: number;
  readonly L: number;
  readonly electrons: number;
  /** Electron spin configurations (2 or 4): the size of rho. */
  readonly ns: number;
  /** Configurations (amplitudes) per block, C. */
  readonly B: number;
  readonly blocks: number;
  readonly hop: number;
  /** exchangeDiagonal[c] + shift. */
  readonly diagonal: Float64Array;
  readonly exchangeFlip: number;
  readonly sdZz: number;
  readonly sdFlip: number;
  readonly spinAtSite: Int32Array;
  readonly tables: SectorTables;
  /** The sd partner tables split: +1 (parallel) or -1 per [(X L + j) C + c], and per (X, j) the flipping (c, partner) pairs from sdFlipStart[X L + j]. */
  readonly sdSign: Float64Array;
  readonly sdFlips: Int32Array;
  readonly sdFlipStart: Int32Array;
}

export function sectorBlockOperator(h: HamiltonianTerms): SectorBlockOperator {
  const tables = h.sector;
  if (!tables) throw new Error('sectorBlockOperator: the Hamiltonian has no sector tables');
  const { N, L, electrons, electronSpinConfigs: ns, blockSize: B, blocks } = h.layout;
  const sdSign = new Float64Array(tables.sdPartner.length);
  const sdFlipStart = new Int32Array(electrons * L + 1);
  const flips: number[] = [];
  for (let list = 0; list < electrons * L; list++) {
    for (let c = 0; c < B; c++) {
      const p = tables.sdPartner[list * B + c];
      sdSign[list * B + c] = p < 0 ? 1 : -1;
      if (p >= 0) flips.push(c, p);
    }
    sdFlipStart[list + 1] = flips.length;
  }
  return {
    kind: 'sector', N, L, electrons, ns, B, blocks,
    hop: h.hop,
    diagonal: h.exchangeDiagonal.map((v) => v + h.shift),
    exchangeFlip: h.exchangeFlip,
    sdZz: h.sdZz,
    sdFlip: h.sdFlip,
    spinAtSite: h.spinAtSite,
    tables,
    sdSign,
    sdFlips: Int32Array.from(flips),
    sdFlipStart,
  };
}

/**
 * out[outOffset + …] = alpha (H cur)[block] - beta out[outOffset + …] (with
 * beta = 0 the old contents are not read): one streaming pass for the
 * hopping and the diagonal, then the J_ex pairs and the sd terms inside the
 * block (a few KiB, in cache). `out`/`outOffset` let the same loops write
 * H cur into a scratch block (alpha = 1, beta = 0) or T_k over T_{k-2} in place.
 */
function termOnBlock(op: SectorBlockOperator, cur: Float64Array, block: number, out: Float64Array, outOffset: number, alpha: number, beta: number): void {
  const { N, B, diagonal, sdSign } = op;
  const { exchangeStart, exchangeNeighbours } = op.tables;
  const B2 = 2 * B;
  const o = block * B2;
  const ah = alpha * op.hop;
  const f = alpha * op.exchangeFlip;
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
    // One electron: the "xB" neighbours are the block itself, with weight 0 below.
    n3 = o;
    n4 = o;
  }
  const hop34 = op.electrons === 2 ? ah : 0;
  const jA = op.spinAtSite[xA];
  const jB = xB >= 0 ? op.spinAtSite[xB] : -1;
  // The sd diagonal rides on the J_ex diagonal: zz times the sign row of each electron on a local spin (0 otherwise).
  const baseA = jA >= 0 ? jA * B : 0, zzA = jA >= 0 ? alpha * op.sdZz : 0;
  const baseB = jB >= 0 ? (op.L + jB) * B : 0, zzB = jB >= 0 ? alpha * op.sdZz : 0;
  for (let c = 0, i = 0; c < B; c++, i += 2) {
    const d = alpha * diagonal[c] + zzA * sdSign[baseA + c] + zzB * sdSign[baseB + c];
    let r = ah * (cur[n1 + i] + cur[n2 + i]) + hop34 * (cur[n3 + i] + cur[n4 + i]) + d * cur[o + i];
    let m = ah * (cur[n1 + i + 1] + cur[n2 + i + 1]) + hop34 * (cur[n3 + i + 1] + cur[n4 + i + 1]) + d * cur[o + i + 1];
    for (let n = exchangeStart[c], end = exchangeStart[c + 1]; n < end; n++) {
      const q = o + 2 * exchangeNeighbours[n];
      r += f * cur[q];
      m += f * cur[q + 1];
    }
    if (beta === 0) {
      out[outOffset + i] = r;
      out[outOffset + i + 1] = m;
    } else {
      out[outOffset + i] = r - beta * out[outOffset + i];
      out[outOffset + i + 1] = m - beta * out[outOffset + i + 1];
    }
  }
  // The sd flips of the few antiparallel configurations.
  if (jA >= 0) addSdFlips(op, cur, o, out, outOffset, jA, alpha);
  // Electron B's lists follow electron A's: X = 1 starts at L.
  if (jB >= 0) addSdFlips(op, cur, o, out, outOffset, op.L + jB, alpha);
}

/** alpha sdFlip between the configurations that electron X on local spin j swaps (list = X L + j). */
function addSdFlips(op: SectorBlockOperator, cur: Float64Array, o: number, out: Float64Array, outOffset: number, list: number, alpha: number): void {
  const flip = alpha * op.sdFlip;
  const { sdFlips, sdFlipStart } = op;
  for (let k = sdFlipStart[list]; k < sdFlipStart[list + 1]; k += 2) {
    const i = 2 * sdFlips[k], q = o + 2 * sdFlips[k + 1];
    out[outOffset + i] += flip * cur[q];
    out[outOffset + i + 1] += flip * cur[q + 1];
  }
}

/** out[0 … 2C) = (H src) on block `block`. out must not alias src. */
export function applySectorHamiltonianToBlock(op: SectorBlockOperator, src: Float64Array, block: number, out: Float64Array): void {
  termOnBlock(op, src, block, out, 0, 1, 0);
}

/** The Chebyshev term of kernel.ts's chebyshevTermBlocks without its accumulation, on one block, in place in `next`. */
export function sectorTermOnBlock(op: SectorBlockOperator, cur: Float64Array, next: Float64Array, alpha: number, beta: number, block: number): void {
  termOnBlock(op, cur, block, next, block * 2 * op.B, alpha, beta);
}

/**
 * Adds the observables of psi on blocks [blockStart, blockEnd) into r: the
 * electron spin density matrix (diagonal from each configuration's weight,
 * off-diagonal from the spin pairs), the weight of each configuration (into
 * configWeights, length C, from which sectorSzSites gives S_z per local spin),
 * the density n(x) and <psi|H|psi> (op must be the unscaled H).
 */
export function reduceSectorBlocks(
  op: SectorBlockOperator,
  psi: Float64Array,
  blockStart: number,
  blockEnd: number,
  r: StateReduction,
  configWeights: Float64Array,
  scratch: Float64Array,
): void {
  const { N, B, ns } = op;
  const { spinPairs, electronSpin } = op.tables;
  const B2 = 2 * B;
  const pairs = new Float64Array(spinPairs.length);
  let energy = 0;
  for (let b = blockStart; b < blockEnd; b++) {
    const o = b * B2;
    applySectorHamiltonianToBlock(op, psi, b, scratch);
    let weight = 0;
    for (let c = 0; c < B; c++) {
      const x = psi[o + 2 * c], y = psi[o + 2 * c + 1];
      const w = x * x + y * y;
      configWeights[c] += w;
      weight += w;
      energy += x * scratch[2 * c] + y * scratch[2 * c + 1];
    }
    for (let p = 0; p < spinPairs.length; p += 2) {
      const u = o + 2 * spinPairs[p], v = o + 2 * spinPairs[p + 1];
      const xr = psi[u], xi = psi[u + 1], yr = psi[v], yi = psi[v + 1];
      // psi_c conj(psi_c')
      pairs[p] += xr * yr + xi * yi;
      pairs[p + 1] += xi * yr - xr * yi;
    }
    addBlockDensity(r.density, N, op.electrons, b, weight);
  }
  r.energy += energy;
  // rho[e][e] from the configuration weights is added once the weights are complete (sectorRhoDiagonal);
  // here the off-diagonal part, Hermitian.
  for (let p = 0; p < spinPairs.length; p += 2) {
    const e = electronSpin[spinPairs[p]], f = electronSpin[spinPairs[p + 1]];
    r.rho[2 * (e * ns + f)] += pairs[p];
    r.rho[2 * (e * ns + f) + 1] += pairs[p + 1];
    r.rho[2 * (f * ns + e)] += pairs[p];
    r.rho[2 * (f * ns + e) + 1] -= pairs[p + 1];
  }
}

/**
 * From the weights of each configuration (summed over every block): adds
 * rho[e][e] into rho (n x n interleaved) and <S_z,j> = sum_c w_c (1/2 - [j down in c]) into szSites.
 */
export function sectorSpinObservables(tables: SectorTables, configWeights: Float64Array, ns: number, rho: Float64Array, szSites: Float64Array): void {
  const { K, downSites, electronSpin, L } = tables;
  let total = 0;
  for (let c = 0; c < tables.configs; c++) {
    const w = configWeights[c];
    total += w;
    rho[2 * (electronSpin[c] * ns + electronSpin[c])] += w;
    for (let i = 0; i < K; i++) {
      const s = downSites[c * K + i];
      if (s >= 0) szSites[s] -= w;
    }
  }
  for (let j = 0; j < L; j++) szSites[j] += 0.5 * total;
}

/**
 * Cross terms <a|O|b> over a block range (the theta sweep, MODEL.md Studies):
 * K[e][f] += sum b_e conj(a_f) over configurations sharing the chain, the
 * density, <a|H|b> when a scratch block is given, and the complex weight
 * conj(a_c) b_c of each configuration (2 C doubles: sectorCrossSzSites).
 */
export function crossReduceSectorBlocks(
  op: SectorBlockOperator,
  a: Float64Array,
  b: Float64Array,
  blockStart: number,
  blockEnd: number,
  out: CrossReduction,
  configWeights: Float64Array,
  scratch: Float64Array | undefined,
): void {
  const { N, B, ns } = op;
  const { spinPairs, electronSpin } = op.tables;
  const B2 = 2 * B;
  const pairs = new Float64Array(2 * spinPairs.length);
  let er = 0, ei = 0;
  for (let blk = blockStart; blk < blockEnd; blk++) {
    const o = blk * B2;
    if (scratch) {
      applySectorHamiltonianToBlock(op, b, blk, scratch);
      for (let i = 0; i < B2; i += 2) {
        const xr = a[o + i], xi = a[o + i + 1];
        er += xr * scratch[i] + xi * scratch[i + 1];
        ei += xr * scratch[i + 1] - xi * scratch[i];
      }
    }
    let wr = 0, wi = 0;
    for (let c = 0; c < B; c++) {
      const p = o + 2 * c;
      const xr = a[p], xi = a[p + 1], yr = b[p], yi = b[p + 1];
      // conj(a) b
      const sr = xr * yr + xi * yi, si = xr * yi - xi * yr;
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
      pairs[2 * q] += bur * avr + bui * avi;
      pairs[2 * q + 1] += bui * avr - bur * avi;
      pairs[2 * q + 2] += bvr * aur + bvi * aui;
      pairs[2 * q + 3] += bvi * aur - bvr * aui;
    }
    addBlockCrossDensity(out.density, N, op.electrons, blk, wr, wi);
  }
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

/** From the complex configuration weights of crossReduceSectorBlocks: K[e][e] into rho and <a|S_z,j|b> into szSites (both interleaved complex). */
export function sectorCrossSpinObservables(tables: SectorTables, configWeights: Float64Array, ns: number, rho: Float64Array, szSites: Float64Array): void {
  const { K, downSites, electronSpin, L } = tables;
  let tr = 0, ti = 0;
  for (let c = 0; c < tables.configs; c++) {
    const wr = configWeights[2 * c], wi = configWeights[2 * c + 1];
    tr += wr;
    ti += wi;
    const d = 2 * (electronSpin[c] * ns + electronSpin[c]);
    rho[d] += wr;
    rho[d + 1] += wi;
    for (let i = 0; i < K; i++) {
      const s = downSites[c * K + i];
      if (s >= 0) {
        szSites[2 * s] -= wr;
        szSites[2 * s + 1] -= wi;
      }
    }
  }
  for (let j = 0; j < L; j++) {
    szSites[2 * j] += 0.5 * tr;
    szSites[2 * j + 1] += 0.5 * ti;
  }
}
