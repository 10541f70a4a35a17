/**
 * The f64 CPU kernels of basis "sector" (MODEL.md, Symmetry; the layout and
 * its tables are in model/sector.ts): the same orbital blocks as the full
 * basis, C spin configurations each, so the hopping is the full kernel's
 * (element by element between neighbouring blocks); only the spin terms read
 * tables instead of bit tricks.
 *
 * A term is one streamed pass over the block, as in the full basis: hopping
 * from the 4 (2) neighbouring blocks and the diagonal (J_ex, and +zz for each
 * electron on a local spin), then, inside the block (in cache), the J_ex flips
 * as runs of pairs of configurations (contiguous loops: one run of L - 1 pairs
 * for K = 1) and the sd terms of the few configurations where an electron
 * on a local spin is antiparallel to it (flip, and -2 zz on the diagonal). So
 * cur is read and next written about once per amplitude, as in the full basis.
 * Blocks are small (L + 2 amplitudes for K = 1), so most of them, all but the
 * chain's and the seam's columns, go row by row: a stretch of blocks is one
 * loop over tiled tables (sectorTermOnBlocks), with no per-block work.
 *
 * The full basis of local spins S > 1/2 runs here too (kernel.ts,
 * blockOperator): its tables list every configuration in the canonical
 * mixed-radix order (model/sector.ts, fullBasisTables), where no J_ex move
 * joins c and c + 1, so every flip is one of the `otherFlips` and every
 * configuration with an electron on a local spin has its sd entry.
 */

import { addBlockCrossDensity, addBlockDensity } from './block-density.js';
import type { HamiltonianTerms } from '../../model/hamiltonian.js';
import type { CrossReduction, StateReduction } from '../../model/observables.js';
import type { SectorTables } from '../../model/sector.js';
import { sdPerSite } from './site-couplings.js';

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
  /** exchangeDiagonal[c] (+ electronDiagonal of c's electron spins) + shift for every double of a block (index 2c and 2c + 1). */
  readonly diagonalPerDouble: Float64Array;
  /**
   * The J_ex flips. In the order of model/sector.ts most of them join
   * neighbouring configurations c, c + 1 (the last down spin moving along the
   * chain: all of them for K = 1), in runs c0 … c0 + n: the interior of a run
   * takes f (w_l cur[c - 1] + w_r cur[c + 1]) inside the streamed loop, which adds
   * f (bandLeft[i] cur[i - 2] + bandRight[i] cur[i + 2]) over doubles i in [bandStart, bandEnd)
   * (the weights of the bonds the two flips cross, 1 without JexBonds, on the
   * runs' interiors, 0 between them; the range never touches
   * the block's edges); a run's two ends take their one neighbour from
   * `runEnds`, pairs (c, neighbour) in doubles, with the weight runEndWeights[k / 2].
   * The other flips (the first of two down spins moving) are `otherFlips`:
   * pairs (c, c') in doubles, applied both ways, weights otherWeights[k / 2].
   */
  readonly bandLeft: Float64Array;
  readonly bandRight: Float64Array;
  readonly bandStart: number;
  readonly bandEnd: number;
  readonly runEnds: Int32Array;
  readonly runEndWeights: Float64Array;
  readonly otherFlips: Int32Array;
  readonly otherWeights: Float64Array;
  /**
   * The row path (sectorTermOnBlocks): rowTile blocks' worth of doubles of the
   * diagonal and of the J_ex neighbour weights left (cur[i - 2]) and right
   * (cur[i + 2]) of each configuration, 0 or the bond's weight (1 without
   * JexBonds), the run ends included, so
   * that a stretch of plain blocks is one loop with no per-block work.
   */
  readonly rowTile: number;
  readonly tileDiagonal: Float64Array;
  readonly tileLeft: Float64Array;
  readonly tileRight: Float64Array;
  readonly exchangeFlip: number;
  /** sdZz and sdFlip of an electron on local spin j (site-couplings.ts). */
  readonly sdZzAt: Float64Array;
  readonly sdFlipAt: Float64Array;
  readonly spinAtSite: Int32Array;
  readonly tables: SectorTables;
  /** The sd partner tables as sparse lists: per (X, j) the antiparallel (c, partner) pairs from sdFlipStart[X L + j]. */
  readonly sdFlips: Int32Array;
  readonly sdFlipStart: Int32Array;
  /**
   * Per pair (index k / 2 of sdFlips): the flip's ladder factor (0 for a
   * configuration with no flip, listed for its zz only; its pair is (c, c))
   * and the zz diagonal over sdZz less the +1 every configuration has
   * (model/sector.ts sdZzCorrection: -2 for spin 1/2's antiparallel pairs).
   */
  readonly sdFlipFactors: Float64Array;
  readonly sdZzCorrections: Float64Array;
}

export function sectorBlockOperator(h: HamiltonianTerms): SectorBlockOperator {
  const tables = h.sector;
  if (!tables) throw new Error('sectorBlockOperator: the Hamiltonian has no sector tables');
  const { N, L, electrons, electronSpinConfigs: ns, blockSize: B, blocks } = h.layout;
  const sdFlipStart = new Int32Array(electrons * L + 1);
  const flips: number[] = [];
  const flipFactors: number[] = [];
  const zzCorrections: number[] = [];
  for (let list = 0; list < electrons * L; list++) {
    for (let c = 0; c < B; c++) {
      // Spin 1/2: exactly the antiparallel configurations (a flip, and -2 sdZz). Spin S: also those whose zz differs from +sdZz.
      const p = tables.sdPartner[list * B + c], correction = tables.sdZzCorrection[list * B + c];
      if (p < 0 && correction === 0) continue;
      flips.push(c, p >= 0 ? p : c);
      flipFactors.push(p >= 0 ? tables.sdFactor[list * B + c] : 0);
      zzCorrections.push(correction);
    }
    sdFlipStart[list + 1] = flips.length;
  }
  const exchange = exchangeStructure(tables, B, h.exchangeBondWeights);
  const ed = h.electronDiagonal;
  const rowTile = Math.max(1, Math.floor(ROW_TILE_DOUBLES / (2 * B)));
  const tileDiagonal = new Float64Array(rowTile * 2 * B);
  const tileLeft = new Float64Array(rowTile * 2 * B);
  const tileRight = new Float64Array(rowTile * 2 * B);
  for (let t = 0; t < rowTile; t++) {
    for (let c = 0; c < B; c++) {
      for (let k = 0; k < 2; k++) {
        const i = t * 2 * B + 2 * c + k;
        tileDiagonal[i] = ed ? h.exchangeDiagonal[c] + ed[tables.electronSpin[c]] + h.shift : h.exchangeDiagonal[c] + h.shift;
        tileLeft[i] = c > 0 && exchange.up[c - 1] ? exchange.upWeight[c - 1] : 0;
        tileRight[i] = exchange.up[c] ? exchange.upWeight[c] : 0;
      }
    }
  }
  return {
    kind: 'sector', N, L, electrons, ns, B, blocks,
    hop: h.hop,
    // One block of the tile: the per-block path reads the same numbers.
    diagonalPerDouble: tileDiagonal.subarray(0, 2 * B),
    bandLeft: exchange.bandLeft, bandRight: exchange.bandRight, bandStart: exchange.bandStart, bandEnd: exchange.bandEnd,
    runEnds: exchange.runEnds, runEndWeights: exchange.runEndWeights, otherFlips: exchange.otherFlips, otherWeights: exchange.otherWeights,
    rowTile, tileDiagonal, tileLeft, tileRight,
    exchangeFlip: h.exchangeFlip,
    ...sdPerSite(h),
    spinAtSite: h.spinAtSite,
    tables,
    sdFlips: Int32Array.from(flips),
    sdFlipFactors: Float64Array.from(flipFactors),
    sdZzCorrections: Float64Array.from(zzCorrections),
    sdFlipStart,
  };
}

/** The J_ex flips of the sector tables as SectorBlockOperator's band, runEnds and otherFlips, each with its bond's weight. */
function exchangeStructure(tables: SectorTables, B: number, bondWeights: Float64Array | undefined) {
  const up = new Uint8Array(B); // c joined to c + 1
  const upWeight = new Float64Array(B);
  const other: number[] = [];
  const otherWeights: number[] = [];
  for (let c = 0; c < B; c++) {
    for (let n = tables.exchangeStart[c]; n < tables.exchangeStart[c + 1]; n++) {
      const p = tables.exchangeNeighbours[n];
      // The bond's weight (JexBonds) times the ladder factors (spin S; exactly 1 for spin 1/2).
      const w = (bondWeights ? bondWeights[tables.exchangeBonds[n]] : 1) * tables.exchangeFactors[n];
      if (p === c + 1) {
        up[c] = 1;
        upWeight[c] = w;
      } else if (p > c) {
        other.push(2 * c, 2 * p);
        otherWeights.push(w);
      }
    }
  }
  const bandLeft = new Float64Array(2 * B);
  const bandRight = new Float64Array(2 * B);
  const ends: number[] = [];
  const endWeights: number[] = [];
  let bandStart = 0, bandEnd = 0;
  for (let c = 0; c < B; ) {
    if (!up[c]) {
      c++;
      continue;
    }
    let last = c + 1;
    while (up[last]) last++;
    // Run c … last: ends c (neighbour c + 1) and last (neighbour last - 1), interior between.
    ends.push(2 * c, 2 * (c + 1), 2 * last, 2 * (last - 1));
    endWeights.push(upWeight[c], upWeight[last - 1]);
    for (let i = 2 * (c + 1); i < 2 * last; i++) {
      const k = i >> 1;
      bandLeft[i] = upWeight[k - 1];
      bandRight[i] = upWeight[k];
    }
    if (last - c >= 2) {
      if (bandEnd === 0) bandStart = 2 * (c + 1);
      bandEnd = 2 * last;
    }
    c = last + 1;
  }
  return {
    up, upWeight, bandLeft, bandRight, bandStart, bandEnd,
    runEnds: Int32Array.from(ends), runEndWeights: Float64Array.from(endWeights),
    otherFlips: Int32Array.from(other), otherWeights: Float64Array.from(otherWeights),
  };
}

/**
 * out[outOffset + …] = alpha (H cur)[block] - beta out[outOffset + …] (with
 * beta = 0 the old contents are not read): one streaming pass for the
 * hopping and the diagonal, then the J_ex pairs and the sd flips inside the
 * block (a few KiB, in cache). `out`/`outOffset` let the same loops write
 * H cur into a scratch block (alpha = 1, beta = 0) or T_k over T_{k-2} in place.
 */
function termOnBlock(op: SectorBlockOperator, cur: Float64Array, block: number, out: Float64Array, outOffset: number, alpha: number, beta: number): void {
  const { N, B } = op;
  const B2 = 2 * B;
  const o = block * B2;
  const ah = alpha * op.hop;
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
  const jA = op.spinAtSite[xA];
  const jB = xB >= 0 ? op.spinAtSite[xB] : -1;
  // One electron: no xB neighbours (the block itself, with weight 0).
  const h34 = n3 >= 0 ? ah : 0;
  if (n3 < 0) n3 = n4 = o;
  sectorTermOnBlockAt(op, cur, o, n1, n2, n3, n4, ah, h34, jA, jB, out, outOffset, alpha, beta);
}

/**
 * termOnBlock once the block's place is known: the block at double offset
 * o, its neighbours at n1, n2 (weight ah) and n3, n4 (weight h34), electron
 * A on local spin jA and B on jB (-1: off the chain). Any layout whose
 * blocks are the sector's and whose neighbours are plain blocks runs its
 * blocks through it (antisymmetric-kernel.ts, off its triangle's edges).
 */
export function sectorTermOnBlockAt(
  op: SectorBlockOperator, cur: Float64Array, o: number, n1: number, n2: number, n3: number, n4: number,
  ah: number, h34: number, jA: number, jB: number, out: Float64Array, outOffset: number, alpha: number, beta: number,
): void {
  const B2 = 2 * op.B;
  // The sd diagonal of an electron on a local spin is +zz on every configuration
  // but the few antiparallel ones (-zz): +zz rides on the diagonal here, and
  // addSdTerms takes 2 zz off the antiparallel ones with their flips.
  const zz = alpha * ((jA >= 0 ? op.sdZzAt[jA] : 0) + (jB >= 0 ? op.sdZzAt[jB] : 0));
  const f = alpha * op.exchangeFlip;
  const d = op.diagonalPerDouble, bl = op.bandLeft, br = op.bandRight, s = op.bandStart, e = op.bandEnd;
  // Three stretches of one loop: before the runs' interiors, across them (with the band), after.
  if (beta === 0) {
    for (let i = 0; i < s; i++) {
      out[outOffset + i] = ah * (cur[n1 + i] + cur[n2 + i]) + h34 * (cur[n3 + i] + cur[n4 + i]) + (alpha * d[i] + zz) * cur[o + i];
    }
    for (let i = s; i < e; i++) {
      out[outOffset + i] = ah * (cur[n1 + i] + cur[n2 + i]) + h34 * (cur[n3 + i] + cur[n4 + i]) + (alpha * d[i] + zz) * cur[o + i] + f * (bl[i] * cur[o + i - 2] + br[i] * cur[o + i + 2]);
    }
    for (let i = e; i < B2; i++) {
      out[outOffset + i] = ah * (cur[n1 + i] + cur[n2 + i]) + h34 * (cur[n3 + i] + cur[n4 + i]) + (alpha * d[i] + zz) * cur[o + i];
    }
  } else {
    for (let i = 0; i < s; i++) {
      out[outOffset + i] = ah * (cur[n1 + i] + cur[n2 + i]) + h34 * (cur[n3 + i] + cur[n4 + i]) + (alpha * d[i] + zz) * cur[o + i] - beta * out[outOffset + i];
    }
    for (let i = s; i < e; i++) {
      out[outOffset + i] = ah * (cur[n1 + i] + cur[n2 + i]) + h34 * (cur[n3 + i] + cur[n4 + i]) + (alpha * d[i] + zz) * cur[o + i] + f * (bl[i] * cur[o + i - 2] + br[i] * cur[o + i + 2]) - beta * out[outOffset + i];
    }
    for (let i = e; i < B2; i++) {
      out[outOffset + i] = ah * (cur[n1 + i] + cur[n2 + i]) + h34 * (cur[n3 + i] + cur[n4 + i]) + (alpha * d[i] + zz) * cur[o + i] - beta * out[outOffset + i];
    }
  }
  addExchangeFlips(op, cur, o, out, outOffset, f);
  if (jA >= 0) addSdTerms(op, cur, o, out, outOffset, jA, alpha);
  // Electron B's lists follow electron A's: X = 1 starts at L.
  if (jB >= 0) addSdTerms(op, cur, o, out, outOffset, op.L + jB, alpha);
}

/** f (J_ex flips) cur on one block outside the runs' interiors: the runs' ends, then the other flips both ways. */
function addExchangeFlips(op: SectorBlockOperator, cur: Float64Array, o: number, out: Float64Array, outOffset: number, f: number): void {
  const ends = op.runEnds, endWeights = op.runEndWeights;
  for (let k = 0; k < ends.length; k += 2) {
    const i = outOffset + ends[k], q = o + ends[k + 1];
    const fw = f * endWeights[k >> 1];
    out[i] += fw * cur[q];
    out[i + 1] += fw * cur[q + 1];
  }
  addOtherFlips(op, cur, o, out, outOffset, f);
}

/** f (the J_ex flips outside the runs) cur on one block, both ways. */
function addOtherFlips(op: SectorBlockOperator, cur: Float64Array, o: number, out: Float64Array, outOffset: number, f: number): void {
  const other = op.otherFlips, weights = op.otherWeights;
  for (let k = 0; k < other.length; k += 2) {
    const a = other[k], q = other[k + 1];
    const fw = f * weights[k >> 1];
    out[outOffset + a] += fw * cur[o + q];
    out[outOffset + a + 1] += fw * cur[o + q + 1];
    out[outOffset + q] += fw * cur[o + a];
    out[outOffset + q + 1] += fw * cur[o + a + 1];
  }
}

/**
 * The listed configurations of electron X and local spin j (list = X L + j;
 * for spin 1/2 the antiparallel ones): alpha sdFlip times the ladder factor
 * to the configuration the flip leads to, and alpha sdZz times the zz
 * correction on the diagonal (-2 for spin 1/2; termOnBlock added +zz to
 * every configuration).
 */
function addSdTerms(op: SectorBlockOperator, cur: Float64Array, o: number, out: Float64Array, outOffset: number, list: number, alpha: number): void {
  const j = list >= op.L ? list - op.L : list;
  const flip = alpha * op.sdFlipAt[j], zz = alpha * op.sdZzAt[j];
  const { sdFlips, sdFlipStart, sdFlipFactors, sdZzCorrections } = op;
  for (let k = sdFlipStart[list]; k < sdFlipStart[list + 1]; k += 2) {
    const i = 2 * sdFlips[k], q = o + 2 * sdFlips[k + 1];
    const f = flip * sdFlipFactors[k >> 1], z = zz * sdZzCorrections[k >> 1];
    out[outOffset + i] += f * cur[q] + z * cur[o + i];
    out[outOffset + i + 1] += f * cur[q + 1] + z * cur[o + i + 1];
  }
}

/** out[0 … 2C) = (H src) on block `block`. out must not alias src. */
export function applySectorHamiltonianToBlock(op: SectorBlockOperator, src: Float64Array, block: number, out: Float64Array): void {
  termOnBlock(op, src, block, out, 0, 1, 0);
}

/** Doubles per tile of the row path's tables (a few blocks; 3 tables of 16 KiB). */
const ROW_TILE_DOUBLES = 2048;

/**
 * The Chebyshev term of kernel.ts's chebyshevTermBlocks without its
 * accumulation, on blocks [blockStart, blockEnd), in place in `next`. Two electrons: the blocks of one row (xA fixed) whose
 * xB is neither on a local spin nor at the ring's seam (xB = 0, N - 1) have
 * the same neighbours at the same distances (xB +- 1 is the next block),
 * so a stretch of them is one loop over its doubles with the tiled tables;
 * every other block goes through termOnBlock. The electron on xA may sit on a
 * local spin: its zz rides on the diagonal, its antiparallel terms are added
 * per block.
 */
export function sectorTermOnBlocks(op: SectorBlockOperator, cur: Float64Array, next: Float64Array, alpha: number, beta: number, blockStart: number, blockEnd: number): void {
  const { N, B, spinAtSite, rowTile } = op;
  if (op.electrons !== 2) {
    for (let b = blockStart; b < blockEnd; b++) termOnBlock(op, cur, b, next, b * 2 * B, alpha, beta);
    return;
  }
  const B2 = 2 * B;
  for (let b = blockStart; b < blockEnd; ) {
    const xA = (b / N) | 0;
    let xB = b - xA * N;
    if (xB === 0 || xB === N - 1 || spinAtSite[xB] >= 0) {
      termOnBlock(op, cur, b, next, b * B2, alpha, beta);
      b++;
      continue;
    }
    // The stretch: at most rowTile blocks, in this row, off the chain and the seam.
    const first = b;
    let n = 0;
    while (b < blockEnd && n < rowTile && xB < N - 1 && spinAtSite[xB] < 0) {
      b++;
      xB++;
      n++;
    }
    const row = N * B2;
    sectorRowStretch(op, cur, next, alpha, beta, xA, first, n, xA === 0 ? (N - 1) * row : -row, xA === N - 1 ? -(N - 1) * row : row);
  }
}

/**
 * The term on a stretch of n <= rowTile consecutive blocks from block
 * `first`, all with electron A on site xA, electron B off the chain, and
 * their four neighbours at fixed distances: `up` and `down` doubles for
 * xA -+ 1 (the row's stride in this layout), one block for xB -+ 1. The
 * streamed loop, then the antiparallel sd terms of electron A and the J_ex
 * flips outside the runs per block. Basis "antisymmetric" runs its row
 * interiors through it with its own strides (antisymmetric-kernel.ts).
 */
export function sectorRowStretch(op: SectorBlockOperator, cur: Float64Array, next: Float64Array, alpha: number, beta: number, xA: number, first: number, n: number, up: number, down: number): void {
  const B2 = 2 * op.B;
  termOnRowStretch(op, cur, next, alpha, beta, xA, first, n, up, down);
  const jA = op.spinAtSite[xA];
  if (jA >= 0) for (let k = first; k < first + n; k++) addSdTerms(op, cur, k * B2, next, k * B2, jA, alpha);
  if (op.otherFlips.length) for (let k = first; k < first + n; k++) addOtherFlips(op, cur, k * B2, next, k * B2, alpha * op.exchangeFlip);
}

/** The streamed part of the term on n consecutive blocks of row xA from block `first` (sectorRowStretch). */
function termOnRowStretch(op: SectorBlockOperator, cur: Float64Array, next: Float64Array, alpha: number, beta: number, xA: number, first: number, n: number, up: number, down: number): void {
  const { B, tileDiagonal: d, tileLeft: left, tileRight: right } = op;
  const B2 = 2 * B;
  const ah = alpha * op.hop;
  const f = alpha * op.exchangeFlip;
  const zz = op.spinAtSite[xA] >= 0 ? alpha * op.sdZzAt[op.spinAtSite[xA]] : 0;
  const o = first * B2, len = n * B2;
  if (beta === 0) {
    for (let t = 0; t < len; t++) {
      const i = o + t;
      next[i] = ah * (cur[i + up] + cur[i + down] + cur[i - B2] + cur[i + B2]) + (alpha * d[t] + zz) * cur[i] + f * (left[t] * cur[i - 2] + right[t] * cur[i + 2]);
    }
  } else {
    for (let t = 0; t < len; t++) {
      const i = o + t;
      next[i] = ah * (cur[i + up] + cur[i + down] + cur[i - B2] + cur[i + B2]) + (alpha * d[t] + zz) * cur[i] + f * (left[t] * cur[i - 2] + right[t] * cur[i + 2]) - beta * next[i];
    }
  }
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
  const { downStride: K, downSites, electronSpin, L } = tables;
  const S = tables.cap / 2;
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
  for (let j = 0; j < L; j++) szSites[j] += S * total;
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
  const { downStride: K, downSites, electronSpin, L } = tables;
  const S = tables.cap / 2;
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
    szSites[2 * j] += S * tr;
    szSites[2 * j + 1] += S * ti;
  }
}
