/**
 * What basis "antisymmetric" puts on the device beside the sector's tables,
 * and how its reductions come back (antisymmetric-layout.ts: the folded
 * triangle; shaders/antisymmetric-*.wgsl):
 *
 * - binding 9: [sigma (C) | the sector's table buffer (sectorTableData)],
 *   sigma the exchange permutation of the configurations (the partner
 *   table: the electron spins swapped, the chain kept), its offsets moved
 *   by C;
 * - binding 8: [seam (4 N C floats) | the diagonal table (diagonalTable)],
 *   the seam being what a state in several chunks gathers of row 0 and the
 *   last column before each term and reduction (shaders/antisymmetric-seam.wgsl);
 *   the chunk uniform's diagonalOffset skips it;
 * - a reduction comes back as the sector's share (w_c, the pair of c, the
 *   <H> part of c, n(x)) summed over the kept blocks with the diagonal at
 *   weight 1/2; the backend counts both partners as the CPU does
 *   (antisymmetricSpinObservables).
 */

import type { HamiltonianTerms } from '../../model/hamiltonian.js';
import type { Layout } from '../../model/layout.js';
import { exchangePartner } from '../../model/antisymmetric.js';
import type { SectorTables } from '../../model/sector.js';
import { seamFloats } from './antisymmetric-layout.js';
import { diagonalTable, sectorTableData, type SectorTableData } from './kernels.js';

/** The table buffer of basis "antisymmetric": sigma, then the sector's, every offset after sigma's C entries. */
export function antisymmetricTableData(tables: SectorTables, spinAtSite: Int32Array): SectorTableData {
  const sector = sectorTableData(tables, spinAtSite);
  const C = tables.configs;
  const data = new Int32Array(C + sector.data.length);
  data.set(exchangePartner(tables), 0);
  data.set(sector.data, C);
  return {
    data,
    neighboursOffset: C + sector.neighboursOffset,
    partnersOffset: C + sector.partnersOffset,
    pairsOffset: C + sector.pairsOffset,
    pairOf: sector.pairOf,
  };
}

/** Binding 8 as written at load: the seam's room (zeros; basis "antisymmetric" only), then diagonalTable. */
export function diagonalWithSeam(layout: Layout, scaled: HamiltonianTerms, unscaled: HamiltonianTerms): Float32Array {
  const diagonal = diagonalTable(scaled, unscaled);
  const seam = seamFloats(layout);
  if (seam === 0) return diagonal;
  const out = new Float32Array(seam + diagonal.length);
  out.set(diagonal, seam);
  return out;
}
