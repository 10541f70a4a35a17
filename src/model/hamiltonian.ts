/**
 * The Hamiltonian of MODEL.md (paper Eqs. 2 and 7) as the handful of numbers
 * every backend's kernel needs. This is the only place where t_h, J_ex, J_sd,
 * electronSpin and sdTerms become matrix elements; the CPU loop, the WGSL
 * shaders and the gpu.js kernels all read a HamiltonianTerms.
 *
 *   H = -t_h sum_i (|i><i+1| + h.c.)  for A and for B                 (periodic ring)
 *       -J_ex sum_{j<L-1} S_j . S_{j+1}                                 (open chain)
 *       -J_sd sum_j [P_A(n_j) sigma_A . S_j + P_B(n_j) sigma_B . S_j]
 *   sigma . S = sigma_z S_z + (1/2)(sigma_+ S_- + sigma_- S_+)
 *
 * All matrix elements are real, so H is real symmetric: it acts on the real and
 * imaginary parts of a state separately.
 */

import type { ResolvedRunConfig, RunConfig } from './config.js';
import { holdsSectorBlocks, layoutForConfig, type Layout } from './layout.js';
import { sectorTables, type SectorTables } from './sector.js';

export interface HamiltonianTerms {
  readonly layout: Layout;
  /** Matrix element between neighbouring sites of one electron: -t_h. */
  readonly hop: number;
  /**
   * Diagonal of the J_ex term, -J_ex sum_j S_z,j S_z,j+1 (-J_ex/4 per aligned
   * bond, +J_ex/4 per anti-aligned one): for each local-spin configuration m
   * (2^L entries) in basis "full", for each configuration c of the block in a
   * sector.
   */
  readonly exchangeDiagonal: Float64Array;
  /** Element between m and m ^ (3 << j) when bits j and j+1 differ: -J_ex/2. */
  readonly exchangeFlip: number;
  /** The sector's enumeration and flip tables (bases "sector" and "antisymmetric", whose blocks hold the same configurations). */
  readonly sector?: SectorTables;
  /**
   * sd diagonal for an electron on the site of local spin j: +sdZz when the
   * electron spin and local spin j are parallel, -sdZz when antiparallel.
   * sdZz = -J_sd s/4 with s = 1 for "half", 2 for "pauli"; 0 for sdTerms "flip".
   */
  readonly sdZz: number;
  /**
   * sd flip element between (electron down, local spin j up) and (electron up,
   * local spin j down): -J_sd s/2 (-J_sd/2 for "half", -J_sd for "pauli"); 0 for sdTerms "zz".
   */
  readonly sdFlip: number;
  /** Added to every diagonal element (nonzero only for a shifted, scaled H~). */
  readonly shift: number;
  /** For each site, the local spin j sitting on it, or -1. */
  readonly spinAtSite: Int32Array;
  /** Site of each local spin. */
  readonly spinSites: Int32Array;
}

/** Eigenvalue scale of the electron spin operator: sigma = s * Pauli / 2. */
export function electronSpinScale(electronSpin: RunConfig['electronSpin']): number {
  return electronSpin === 'pauli' ? 2 : 1;
}

export function hamiltonianTerms(config: ResolvedRunConfig): HamiltonianTerms {
  const layout = layoutForConfig(config);
  const { N, L } = config;
  const s = electronSpinScale(config.electronSpin);

  let exchangeDiagonal: Float64Array;
  let sector: SectorTables | undefined;
  if (holdsSectorBlocks(layout)) {
    sector = sectorTables(L, layout.downSpins, layout.electrons);
    exchangeDiagonal = new Float64Array(sector.configs);
    for (let c = 0; c < sector.configs; c++) exchangeDiagonal[c] = exchangeDiagonalOf(config.Jex, L, antiAlignedBonds(sector, c));
  } else {
    exchangeDiagonal = new Float64Array(2 ** L);
    for (let m = 0; m < exchangeDiagonal.length; m++) {
      let e = 0;
      for (let j = 0; j < L - 1; j++) {
        const parallel = ((m >> j) & 1) === ((m >> (j + 1)) & 1);
        e += parallel ? -config.Jex / 4 : config.Jex / 4;
      }
      exchangeDiagonal[m] = e;
    }
  }

  const spinSites = new Int32Array(L);
  const spinAtSite = new Int32Array(N).fill(-1);
  for (let j = 0; j < L; j++) {
    spinSites[j] = config.spinStart + j;
    spinAtSite[config.spinStart + j] = j;
  }

  return {
    layout,
    hop: -config.th,
    exchangeDiagonal,
    exchangeFlip: -config.Jex / 2,
    sdZz: config.sdTerms === 'flip' ? 0 : (-config.Jsd * s) / 4,
    sdFlip: config.sdTerms === 'zz' ? 0 : (-config.Jsd * s) / 2,
    shift: 0,
    spinAtSite,
    spinSites,
    ...(sector ? { sector } : {}),
  };
}

/** -J_ex sum_j S_z,j S_z,j+1 over the L - 1 bonds of an open chain with `walls` anti-aligned bonds. */
function exchangeDiagonalOf(Jex: number, L: number, walls: number): number {
  return (-Jex / 4) * (L - 1 - walls) + (Jex / 4) * walls;
}

/** Bonds (j, j+1) of configuration c of a sector whose two spins differ. */
export function antiAlignedBonds(sector: SectorTables, c: number): number {
  const { K, L, downSites } = sector;
  const downs = new Set<number>();
  for (let i = 0; i < K; i++) if (downSites[c * K + i] >= 0) downs.add(downSites[c * K + i]);
  let walls = 0;
  for (const d of downs) {
    if (d > 0 && !downs.has(d - 1)) walls++;
    if (d < L - 1 && !downs.has(d + 1)) walls++;
  }
  return walls;
}

/**
 * The shifted and scaled Hamiltonian H~ = (H - center) / halfWidth that the
 * Chebyshev recurrence applies: same structure, every element divided by
 * halfWidth, and -center/halfWidth added to the diagonal.
 */
export function scaledHamiltonian(h: HamiltonianTerms, center: number, halfWidth: number): HamiltonianTerms {
  const k = 1 / halfWidth;
  return {
    ...h,
    hop: h.hop * k,
    exchangeDiagonal: h.exchangeDiagonal.map((v) => v * k),
    exchangeFlip: h.exchangeFlip * k,
    sdZz: h.sdZz * k,
    sdFlip: h.sdFlip * k,
    shift: (h.shift - center) * k,
  };
}
