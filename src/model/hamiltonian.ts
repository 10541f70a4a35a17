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
 * and, beyond the paper (MODEL.md; each term only where its key is set):
 *       -fieldElectron sum_alpha sigma_z(alpha) - fieldLocal sum_j S_z,j - D sum_j S_z,j^2
 * with J_ex per bond (JexBonds) and J_sd per local spin (JsdSites). The
 * diagonal terms join the diagonal tables the kernels already read; the
 * per-bond and per-site couplings are relative weights on exchangeFlip and
 * sdZz / sdFlip (exactly 1 where a key is not set, so the paper's model
 * gives the same numbers to the last bit).
 *
 * All matrix elements are real, so H is real symmetric: it acts on the real and
 * imaginary parts of a state separately.
 */

import { extendedKeysSet, type ExtendedKey, type ResolvedRunConfig, type RunConfig } from './config.js';
import { holdsSectorBlocks, layoutForConfig, type Layout } from './layout.js';
import { fullBasisTables, sectorTables, type SectorTables } from './sector.js';

export interface HamiltonianTerms {
  readonly layout: Layout;
  /** Matrix element between neighbouring sites of one electron: -t_h. */
  readonly hop: number;
  /**
   * Diagonal of the J_ex term, -J_ex sum_j S_z,j S_z,j+1 (-J_ex/4 per aligned
   * bond, +J_ex/4 per anti-aligned one): for each local-spin configuration m
   * (2^L entries) in basis "full", for each configuration c of the block in a
   * sector or wherever `sector` tables are given (basis "full" of spin S > 1/2).
   */
  readonly exchangeDiagonal: Float64Array;
  /** Element between m and m ^ (3 << j) when bits j and j+1 differ: -J_ex/2 (times exchangeBondWeights[j] where given). */
  readonly exchangeFlip: number;
  /**
   * JexBonds only: J_ex of bond (j, j+1) over the reference coupling of
   * exchangeFlip (the largest |J_ex| of the bonds), L - 1 numbers. The
   * diagonal (exchangeDiagonal) already holds each bond's own J_ex.
   */
  readonly exchangeBondWeights?: Float64Array;
  /**
   * fieldElectron only: -fieldElectron (sigma_z(A) + sigma_z(B)) of each
   * electron spin configuration e (4, or 2 for one electron), added to the
   * diagonal of every configuration with that e.
   */
  readonly electronDiagonal?: Float64Array;
  /**
   * JsdSites only: J_sd of local spin j over the reference coupling of sdZz
   * and sdFlip (the largest |J_sd| of the sites), L numbers.
   */
  readonly sdSiteWeights?: Float64Array;
  /** fieldLocal and anisotropy D (eV, unscaled), for the spectral bounds: their diagonal is in exchangeDiagonal. */
  readonly localField?: { readonly fieldLocal: number; readonly anisotropy: number };
  /** The keys beyond the paper this H has (config.ts EXTENDED_KEYS): backends without them refuse it. */
  readonly extendedKeys: readonly ExtendedKey[];
  /**
   * The sector's enumeration and flip tables (bases "sector" and "antisymmetric", whose blocks hold the same
   * configurations), or for local spins S > 1/2 in basis "full" the tables of every configuration in its
   * mixed-radix order (model/sector.ts, fullBasisTables): the CPU backend runs both with the sector kernel.
   */
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
  const bonds = config.JexBonds;

  // -fieldLocal sum_j S_z,j - D sum_j S_z,j^2 of a configuration with `downs` local spins down (S = 1/2: S_z^2 = 1/4).
  const hL = config.fieldLocal ?? 0, D = config.anisotropy ?? 0;
  const localDiagonal = hL !== 0 || D !== 0 ? (downs: number) => -hL * (L / 2 - downs) - (D * L) / 4 : undefined;

  let exchangeDiagonal: Float64Array;
  let sector: SectorTables | undefined;
  const cap = layout.siteDeviations ?? 1;
  if (cap !== 1) {
    // Spin S > 1/2, in a sector or the full basis (whose tables list every configuration in its
    // mixed-radix order, model/layout.ts): m_j = S - (deviations on j); -J_ex m_j m_j+1 per bond,
    // -fieldLocal m_j - D m_j^2 per site.
    if (layout.basis === 'antisymmetric') throw new RangeError('hamiltonianTerms: basis "antisymmetric" holds local spins S = 1/2 only');
    sector = layout.basis === 'full' ? fullBasisTables(L, layout.electrons, cap) : sectorTables(L, layout.downSpins, layout.electrons, cap);
    exchangeDiagonal = new Float64Array(sector.configs);
    const S = cap / 2;
    const stride = sector.downStride;
    const m = new Array<number>(L);
    for (let c = 0; c < sector.configs; c++) {
      m.fill(S);
      for (let q = 0; q < stride; q++) {
        const site = sector.downSites[c * stride + q];
        if (site >= 0) m[site] -= 1;
      }
      let e = 0;
      for (let j = 0; j < L - 1; j++) e -= (bonds ? bonds[j] : config.Jex) * m[j] * m[j + 1];
      for (let j = 0; j < L; j++) e -= hL * m[j] + D * m[j] * m[j];
      exchangeDiagonal[c] = e;
    }
  } else if (holdsSectorBlocks(layout)) {
    sector = sectorTables(L, layout.downSpins, layout.electrons);
    exchangeDiagonal = new Float64Array(sector.configs);
    for (let c = 0; c < sector.configs; c++) {
      exchangeDiagonal[c] = bonds ? bondDiagonal(bonds, L, sectorDownMask(sector, c)) : exchangeDiagonalOf(config.Jex, L, antiAlignedBonds(sector, c));
      if (localDiagonal) exchangeDiagonal[c] += localDiagonal(sectorDownMask(sector, c).filter(Boolean).length);
    }
  } else {
    exchangeDiagonal = new Float64Array(2 ** L);
    for (let m = 0; m < exchangeDiagonal.length; m++) {
      let e = 0;
      for (let j = 0; j < L - 1; j++) {
        const J = bonds ? bonds[j] : config.Jex;
        const parallel = ((m >> j) & 1) === ((m >> (j + 1)) & 1);
        e += parallel ? -J / 4 : J / 4;
      }
      if (localDiagonal) e += localDiagonal(popcount(m));
      exchangeDiagonal[m] = e;
    }
  }

  const spinSites = new Int32Array(L);
  const spinAtSite = new Int32Array(N).fill(-1);
  for (let j = 0; j < L; j++) {
    spinSites[j] = config.spinStart + j;
    spinAtSite[config.spinStart + j] = j;
  }

  // Per-bond and per-site couplings: a reference coupling (the largest in size) and weights relative to it.
  const Jex = bonds ? reference(bonds) : config.Jex;
  const Jsd = config.JsdSites ? reference(config.JsdSites) : config.Jsd;
  const hE = config.fieldElectron ?? 0;

  return {
    layout,
    hop: -config.th,
    exchangeDiagonal,
    exchangeFlip: -Jex / 2,
    sdZz: config.sdTerms === 'flip' ? 0 : (-Jsd * s) / 4,
    sdFlip: config.sdTerms === 'zz' ? 0 : (-Jsd * s) / 2,
    shift: 0,
    spinAtSite,
    spinSites,
    extendedKeys: extendedKeysSet(config),
    ...(sector ? { sector } : {}),
    ...(bonds ? { exchangeBondWeights: weights(bonds, Jex) } : {}),
    ...(config.JsdSites ? { sdSiteWeights: weights(config.JsdSites, Jsd) } : {}),
    ...(localDiagonal || cap !== 1 ? { localField: { fieldLocal: hL, anisotropy: D } } : {}),
    ...(hE !== 0 ? { electronDiagonal: electronZeeman(hE, s, layout.electrons) } : {}),
  };
}

/** The coupling of largest size in a list (its sign kept), 1 when every entry is 0: what the weights are relative to. */
function reference(list: readonly number[]): number {
  let r = 0;
  for (const J of list) if (Math.abs(J) > Math.abs(r)) r = J;
  return r === 0 ? 1 : r;
}

function weights(list: readonly number[], ref: number): Float64Array {
  return Float64Array.from(list, (J) => J / ref);
}

/** -h (sigma_z(A) + sigma_z(B)) for e = 2 bA + bB (or -h sigma_z for e = b), sigma_z = s (1/2 - b). */
function electronZeeman(h: number, s: number, electrons: 1 | 2): Float64Array {
  const out = new Float64Array(2 * electrons);
  for (let e = 0; e < out.length; e++) {
    const downs = electrons === 2 ? (e >> 1) + (e & 1) : e;
    out[e] = -h * s * (electrons / 2 - downs);
  }
  return out;
}

function popcount(m: number): number {
  let c = 0;
  for (let x = m; x; x &= x - 1) c++;
  return c;
}

/** Which local spins are down in configuration c of a sector. */
export function sectorDownMask(sector: SectorTables, c: number): boolean[] {
  const down = new Array<boolean>(sector.L).fill(false);
  for (let i = 0; i < sector.downStride; i++) {
    const d = sector.downSites[c * sector.downStride + i];
    if (d >= 0) down[d] = true;
  }
  return down;
}

/** -sum_j J_j S_z,j S_z,j+1 with a J_ex per bond, from which spins are down. */
function bondDiagonal(bonds: readonly number[], L: number, down: readonly boolean[]): number {
  let e = 0;
  for (let j = 0; j < L - 1; j++) e += down[j] === down[j + 1] ? -bonds[j] / 4 : bonds[j] / 4;
  return e;
}

/** -J_ex sum_j S_z,j S_z,j+1 over the L - 1 bonds of an open chain with `walls` anti-aligned bonds. */
function exchangeDiagonalOf(Jex: number, L: number, walls: number): number {
  return (-Jex / 4) * (L - 1 - walls) + (Jex / 4) * walls;
}

/** Bonds (j, j+1) of configuration c of a sector whose two spins differ. */
export function antiAlignedBonds(sector: SectorTables, c: number): number {
  const { downStride: K, L, downSites } = sector;
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
    ...(h.electronDiagonal ? { electronDiagonal: h.electronDiagonal.map((v) => v * k) } : {}),
    exchangeFlip: h.exchangeFlip * k,
    sdZz: h.sdZz * k,
    sdFlip: h.sdFlip * k,
    shift: (h.shift - center) * k,
  };
}
