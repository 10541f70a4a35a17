/**
 * The exchange-antisymmetric layout (basis "antisymmetric"; MODEL.md,
 * Exchange antisymmetry): the fixed-S_z sector of two electrons with one
 * amplitude of each pair that the exchange P of (xA, bA) and (xB, bB)
 * relates. The one place that knows which partner is kept, where it is
 * stored and with what sign the other is restored.
 *
 * Kept: the orbital blocks (a, b) with a <= b (electron A's site not after
 * electron B's). Stored row by row, row a holding b = a … N - 1:
 *
 *   block t(a, b) = a N - a (a - 1) / 2 + (b - a),    N (N + 1) / 2 blocks,
 *
 * each block the sector's C configurations in the sector's order
 * (model/sector.ts), so a flat index is t(a, b) C + c, interleaved complex.
 * The partner block (b, a), a < b, is not stored:
 *
 *   psi(b, a, sigma(c)) = -psi(a, b, c),
 *
 * where sigma swaps the electrons' spins (e = 1, up-down, with e = 2,
 * down-up; e = 0 and 3 stay) and keeps the local spins. The diagonal blocks
 * (a, a) are kept whole (N blocks of N (N + 1) / 2: nothing to gain by
 * halving them): there the same rule says psi(a, a, c) = -psi(a, a, sigma(c)),
 * zero where both electrons have the same spin. H commutes with P, so a state
 * that starts antisymmetric stays so, and the kernels keep it so to rounding.
 *
 * From the sector: keep the blocks a <= b (sectorToAntisymmetric checks that
 * the other half is their partner). To the sector: copy them and write each
 * partner with its sign (antisymmetricToSector); to the canonical layout
 * through the sector (antisymmetricStateToCanonical).
 *
 * Observables count both partners: an off-diagonal block stands for two,
 * with the electron spins of the partner swapped (sigma), a diagonal block
 * for one (the kernels' reductions, backends/cpu/antisymmetric-kernel.ts).
 * One electron has no partner: basis "antisymmetric" runs the sector's layout.
 */

import { sectorStateToCanonical, type SectorTables } from './sector.js';

/** Orbital blocks the layout keeps: (a, b) with a <= b. */
export function antisymmetricBlockCount(N: number): number {
  return (N * (N + 1)) / 2;
}

/** First block of row a: t(a, a). */
export function triangleRowStart(N: number, a: number): number {
  return a * N - (a * (a - 1)) / 2;
}

/** Block t(a, b) of the kept pair (a, b), a <= b. */
export function triangleBlock(N: number, a: number, b: number): number {
  return triangleRowStart(N, a) + (b - a);
}

/** Row a of block t (t(a, a) <= t < t(a + 1, a + 1)). */
export function triangleRow(N: number, t: number): number {
  // Root of a^2 - (2N + 1) a + 2t = 0, corrected for rounding.
  const q = 2 * N + 1;
  let a = Math.floor((q - Math.sqrt(q * q - 8 * t)) / 2);
  if (a < 0) a = 0;
  while (a > 0 && triangleRowStart(N, a) > t) a--;
  while (a < N - 1 && triangleRowStart(N, a + 1) <= t) a++;
  return a;
}

/**
 * sigma as a table over the sector's configurations: the configuration with
 * the two electrons' spins swapped and the same local spins. An involution.
 */
export function exchangePartner(tables: SectorTables): Int32Array {
  if (tables.electrons !== 2) throw new RangeError('exchangePartner: the exchange relates two electrons; this sector has one');
  const { configs: C, downStride: K, electronSpin, downSites } = tables;
  const byKey = new Map<string, number>();
  const key = (e: number, c: number) => `${e}:${Array.from(downSites.subarray(c * K, c * K + K)).join(',')}`;
  for (let c = 0; c < C; c++) byKey.set(key(electronSpin[c], c), c);
  const sigma = new Int32Array(C);
  for (let c = 0; c < C; c++) {
    const e = electronSpin[c];
    const swapped = ((e & 1) << 1) | (e >> 1);
    const p = byKey.get(key(swapped, c));
    if (p === undefined) throw new Error(`exchangePartner: configuration ${c} has no partner in the sector`);
    sigma[c] = p;
  }
  return sigma;
}

/** Relative deviation from psi(a, b, c) = -psi(b, a, sigma(c)) at which a state is refused as not antisymmetric. */
export const ANTISYMMETRY_TOLERANCE = 1e-6;

/**
 * A sector state (two electrons, N^2 blocks) reduced to the kept blocks.
 * Refuses, naming the first offending amplitude, a state that is not
 * antisymmetric under the exchange (within ANTISYMMETRY_TOLERANCE of its
 * largest amplitude): the layout cannot hold it.
 */
export function sectorToAntisymmetric(tables: SectorTables, N: number, psi: Float64Array): Float64Array {
  const C = tables.configs;
  if (psi.length !== 2 * N * N * C) throw new RangeError(`sectorToAntisymmetric: a state of ${psi.length / 2} amplitudes, the sector has ${N * N * C}`);
  const sigma = exchangePartner(tables);
  const limit = ANTISYMMETRY_TOLERANCE * largestModulus(psi);
  const out = new Float64Array(2 * antisymmetricBlockCount(N) * C);
  for (let a = 0; a < N; a++) {
    for (let b = a; b < N; b++) {
      const kept = 2 * (a * N + b) * C, partner = 2 * (b * N + a) * C, o = 2 * triangleBlock(N, a, b) * C;
      for (let c = 0; c < C; c++) {
        const i = kept + 2 * c, j = partner + 2 * sigma[c];
        if (Math.hypot(psi[i] + psi[j], psi[i + 1] + psi[j + 1]) > limit) throw notAntisymmetric(a, b, c, tables.electronSpin[c]);
        out[o + 2 * c] = psi[i];
        out[o + 2 * c + 1] = psi[i + 1];
      }
    }
  }
  return out;
}

/** The full sector state (N^2 blocks, the sector's order) of a state of this layout: each kept block and its partner. */
export function antisymmetricToSector(tables: SectorTables, N: number, psi: Float64Array): Float64Array {
  const C = tables.configs;
  if (psi.length !== 2 * antisymmetricBlockCount(N) * C) {
    throw new RangeError(`antisymmetricToSector: a state of ${psi.length / 2} amplitudes, the antisymmetric layout has ${antisymmetricBlockCount(N) * C}`);
  }
  const sigma = exchangePartner(tables);
  const out = new Float64Array(2 * N * N * C);
  for (let a = 0; a < N; a++) {
    for (let b = a; b < N; b++) {
      const o = 2 * triangleBlock(N, a, b) * C, kept = 2 * (a * N + b) * C, partner = 2 * (b * N + a) * C;
      for (let c = 0; c < C; c++) {
        const x = psi[o + 2 * c], y = psi[o + 2 * c + 1];
        out[kept + 2 * c] = x;
        out[kept + 2 * c + 1] = y;
        // A diagonal block is its own partner: the rule holds there already (assertExchangeAntisymmetric).
        if (a !== b) {
          out[partner + 2 * sigma[c]] = -x;
          out[partner + 2 * sigma[c] + 1] = -y;
        }
      }
    }
  }
  return out;
}

/** A state of this layout written out in MODEL.md's canonical layout (small cases: the full layout must fit). */
export function antisymmetricStateToCanonical(tables: SectorTables, N: number, psi: Float64Array): Float64Array {
  return sectorStateToCanonical(tables, N, antisymmetricToSector(tables, N, psi));
}

/**
 * Refuses a state of this layout whose diagonal blocks break
 * psi(a, a, c) = -psi(a, a, sigma(c)) (within ANTISYMMETRY_TOLERANCE of its
 * largest amplitude): the off-diagonal blocks stand for their partners by
 * construction, so the diagonal is where a state that is not antisymmetric
 * shows. `what` names the state in the message.
 */
export function assertExchangeAntisymmetric(tables: SectorTables, N: number, psi: Float64Array, what = 'the state'): void {
  const C = tables.configs;
  if (psi.length !== 2 * antisymmetricBlockCount(N) * C) {
    throw new RangeError(`${what} has ${psi.length / 2} amplitudes; basis "antisymmetric" holds ${antisymmetricBlockCount(N) * C} for N = ${N}`);
  }
  const sigma = exchangePartner(tables);
  const limit = ANTISYMMETRY_TOLERANCE * largestModulus(psi);
  for (let a = 0; a < N; a++) {
    const o = 2 * triangleRowStart(N, a) * C;
    for (let c = 0; c < C; c++) {
      const i = o + 2 * c, j = o + 2 * sigma[c];
      if (Math.hypot(psi[i] + psi[j], psi[i + 1] + psi[j + 1]) > limit) throw notAntisymmetric(a, a, c, tables.electronSpin[c], what);
    }
  }
}

/** <psi|psi> of a state of this layout: a diagonal block counts once, any other twice (it stands for its partner too). */
export function antisymmetricNormSquared(N: number, C: number, psi: Float64Array): number {
  let diagonal = 0, other = 0;
  for (let a = 0; a < N; a++) {
    const start = 2 * triangleRowStart(N, a) * C, end = 2 * triangleRowStart(N, a + 1) * C;
    for (let i = start; i < start + 2 * C; i++) diagonal += psi[i] * psi[i];
    for (let i = start + 2 * C; i < end; i++) other += psi[i] * psi[i];
  }
  return diagonal + 2 * other;
}

function largestModulus(psi: Float64Array): number {
  let m = 0;
  for (let i = 0; i < psi.length; i += 2) m = Math.max(m, Math.hypot(psi[i], psi[i + 1]));
  return m;
}

function notAntisymmetric(a: number, b: number, c: number, e: number, what = 'the state'): RangeError {
  return new RangeError(
    `${what} is not antisymmetric under the exchange of the two electrons: psi(xA = ${a}, xB = ${b}, e = ${e}, configuration ${c}) ` +
      `is not minus its partner psi(xA = ${b}, xB = ${a}, electron spins swapped); basis "antisymmetric" holds only such states ` +
      '(every initial state of MODEL.md is one); run a state without this symmetry in basis "sector" or "full"',
  );
}
