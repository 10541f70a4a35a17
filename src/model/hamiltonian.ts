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

import type { RunConfig } from './config.js';
import { layoutForConfig, type Layout } from './layout.js';

export interface HamiltonianTerms {
  readonly layout: Layout;
  /** Matrix element between neighbouring sites of one electron: -t_h. */
  readonly hop: number;
  /**
   * Diagonal of the J_ex term for each local-spin configuration m:
   * -J_ex sum_j S_z,j S_z,j+1, i.e. -J_ex/4 per aligned bond and +J_ex/4 per anti-aligned one.
   */
  readonly exchangeDiagonal: Float64Array;
  /** Element between m and m ^ (3 << j) when bits j and j+1 differ: -J_ex/2. */
  readonly exchangeFlip: number;
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

export function hamiltonianTerms(config: RunConfig): HamiltonianTerms {
  const layout = layoutForConfig(config);
  const { N, L } = config;
  const s = electronSpinScale(config.electronSpin);

  const exchangeDiagonal = new Float64Array(2 ** L);
  for (let m = 0; m < exchangeDiagonal.length; m++) {
    let e = 0;
    for (let j = 0; j < L - 1; j++) {
      const parallel = ((m >> j) & 1) === ((m >> (j + 1)) & 1);
      e += parallel ? -config.Jex / 4 : config.Jex / 4;
    }
    exchangeDiagonal[m] = e;
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
  };
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
