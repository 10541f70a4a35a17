/**
 * Rigorous bounds on the spectrum of H (MODEL.md, Propagator): the sum of the
 * exact spectral ranges of each term. The Chebyshev expansion diverges if an
 * eigenvalue of H~ falls outside [-1, 1], so the bounds must never be too tight.
 *
 * - hopping of one electron on the ring: -2 t_h cos k, inside [-2|t_h|, 2|t_h|];
 * - each J_ex bond: -J_ex S.S has eigenvalues -J_ex/4 (triplet) and 3 J_ex/4 (singlet);
 *   in basis "sector" (and wherever H has sector tables: the full basis of
 *   local spins S > 1/2) the whole J_ex term instead, by Gershgorin's theorem on
 *   its rows in the sector (diagonal +- |J_ex|/2 per flip): a bound that does
 *   not grow with L (one magnon band, 2 |J_ex| wide, for K = 1), where the sum
 *   over bonds grows as (L - 1) |J_ex|;
 * - sd term of one electron: the projectors P(n_j) are orthogonal, so its
 *   spectrum is {0} together with the eigenvalues of one 4x4 block
 *   (electron spin x local spin j): sdZz twice (parallel spins) and
 *   -sdZz +- |sdFlip| (the antiparallel pair mixed by the flip); with J_sd per
 *   site (JsdSites) the union of every site's block;
 * - beyond the paper: J_ex per bond (JexBonds) sums each bond's range (the
 *   sector's Gershgorin rows take each flip's own element); the electrons'
 *   Zeeman term adds its exact range (the extremes of electronDiagonal); the
 *   local spins' field and anisotropy, diagonal in the chain, add
 *   [-|fieldLocal|/2 - D/4, |fieldLocal|/2 - D/4] per spin in basis "full"
 *   and ride on the diagonal of the sector's Gershgorin rows.
 */

import type { HamiltonianTerms } from './hamiltonian.js';

export interface SpectralBounds {
  readonly min: number;
  readonly max: number;
}

/** Relative widening of the bounds so that rounding in f32 kernels cannot push an eigenvalue of H~ past +-1. */
export const BOUNDS_SAFETY = 1e-3;

export function spectralBounds(h: HamiltonianTerms): SpectralBounds {
  const { electrons, L } = h.layout;
  const hop = 2 * Math.abs(h.hop);
  let min = -hop * electrons;
  let max = hop * electrons;

  if (h.sector) {
    const { exchangeStart, exchangeBonds } = h.sector;
    const w = h.exchangeBondWeights;
    const factors = h.sector.cap !== 1 ? h.sector.exchangeFactors : undefined;
    let lo = Infinity, hi = -Infinity;
    for (let c = 0; c < h.sector.configs; c++) {
      let radius: number;
      if (w || factors) {
        radius = 0;
        for (let n = exchangeStart[c]; n < exchangeStart[c + 1]; n++) {
          radius += Math.abs(h.exchangeFlip * (w ? w[exchangeBonds[n]] : 1) * (factors ? factors[n] : 1));
        }
      } else {
        radius = Math.abs(h.exchangeFlip) * (exchangeStart[c + 1] - exchangeStart[c]);
      }
      lo = Math.min(lo, h.exchangeDiagonal[c] - radius);
      hi = Math.max(hi, h.exchangeDiagonal[c] + radius);
    }
    min += lo;
    max += hi;
  } else {
    // J_ex: exchangeFlip = -J_ex/2, so J_ex = -2 exchangeFlip.
    const w = h.exchangeBondWeights;
    if (w) {
      for (let j = 0; j < L - 1; j++) {
        const J = -2 * h.exchangeFlip * w[j];
        min += Math.min(-J / 4, (3 * J) / 4);
        max += Math.max(-J / 4, (3 * J) / 4);
      }
    } else {
      const Jex = -2 * h.exchangeFlip;
      const bond = [-Jex / 4, (3 * Jex) / 4];
      min += (L - 1) * Math.min(...bond);
      max += (L - 1) * Math.max(...bond);
    }
    if (h.localField) {
      const { fieldLocal, anisotropy: D } = h.localField;
      min += L * (-Math.abs(fieldLocal) / 2 - D / 4);
      max += L * (Math.abs(fieldLocal) / 2 - D / 4);
    }
  }

  if (h.electronDiagonal) {
    min += Math.min(...h.electronDiagonal);
    max += Math.max(...h.electronDiagonal);
  }

  const cap = h.layout.siteDeviations ?? 1;
  if (cap !== 1) {
    // Spin S: the zz diagonal sdZz 2 sigma m lies in +-|sdZz| 2S, and each row has at most one
    // flip of element at most |sdFlip| (S + 1/2) (Gershgorin); 0 with the electron off the chain.
    let lo = 0, hi = 0;
    for (let j = 0; j < L; j++) {
      const weight = h.sdSiteWeights ? Math.abs(h.sdSiteWeights[j]) : 1;
      const r = weight * (Math.abs(h.sdZz) * cap + Math.abs(h.sdFlip) * (cap / 2 + 0.5));
      lo = Math.min(lo, -r);
      hi = Math.max(hi, r);
    }
    min += electrons * lo;
    max += electrons * hi;
  } else if (h.sdSiteWeights) {
    let lo = 0, hi = 0;
    for (const w of h.sdSiteWeights) {
      const zz = h.sdZz * w, flip = Math.abs(h.sdFlip * w);
      lo = Math.min(lo, zz, -zz - flip);
      hi = Math.max(hi, zz, -zz + flip);
    }
    min += electrons * lo;
    max += electrons * hi;
  } else {
    const sd = [0, h.sdZz, -h.sdZz + Math.abs(h.sdFlip), -h.sdZz - Math.abs(h.sdFlip)];
    min += electrons * Math.min(...sd);
    max += electrons * Math.max(...sd);
  }

  min += h.shift;
  max += h.shift;
  const pad = BOUNDS_SAFETY * (max - min) + 1e-12;
  return { min: min - pad, max: max + pad };
}

/** Centre and half-width of the bounds: H~ = (H - center) / halfWidth. */
export function spectralScale(bounds: SpectralBounds): { center: number; halfWidth: number } {
  return { center: (bounds.max + bounds.min) / 2, halfWidth: (bounds.max - bounds.min) / 2 };
}
