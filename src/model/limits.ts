/**
 * Numeric limits of the run config (issue 14): the ranges that keep every
 * quantity the engine derives from a config finite and its work bounded
 * before anything runs. A config inside them has finite spectral bounds, a
 * Bessel series of bounded length, a bounded number of Chebyshev terms per
 * output interval and a bounded number of output times; the memory check
 * (simulate.ts) then bounds the bytes.
 *
 * The limits sit far outside the physics of the paper (couplings of a few
 * tenths of an eV, widths of a few sites, tens of fs), so no sensible run
 * meets them; they exist so that a typo (1e308, 1e-9) is refused with a
 * message instead of failing deep inside the propagator.
 */

import { HBAR_EV_FS } from './units.js';

/** The limits, as docs/model.md and the README's config table state them. */
export const LIMITS = Object.freeze({
  /** Sites on the ring: the packets and every per-site series are O(N). */
  maxN: 1_000_000,
  /** |th|, |Jex|, |Jsd| in eV: two orders above any band or exchange in a metal. */
  maxCoupling: 100,
  /** |ke| in 1/a: the lattice only sees ke modulo 2 pi; the bound keeps ke (x - x_j) exact. */
  maxKe: 1000,
  /**
   * sigma in a. Below 0.1 a a packet centred between two sites underflows to
   * zero on every site (exp(-0.25 / (2 sigma^2)) < 1e-308 below sigma ≈ 0.013)
   * and cannot be normalized; at 0.1 it is a one-site packet.
   */
  minSigma: 0.1,
  maxSigma: 1e6,
  /** |x2| and d in sites: the minimum-image distance stays exact to 1e-6 site. */
  maxPosition: 1e9,
  /** tEnd in fs (1 ns). */
  maxTEnd: 1e6,
  /** dt in fs (1 zs): keeps the Bessel recurrence's ratio 2k/x inside f64. */
  minDt: 1e-6,
  /** Output times t = 0, dt, … <= tEnd: each stores N + L + 16 numbers in the result. */
  maxOutputTimes: 100_000,
  /**
   * The Chebyshev argument a dt / hbar of one output interval (a the spectral
   * half-width): about that many terms per output time. 20000 terms is
   * 20000 applications of H per output time; past it, dt is far too coarse
   * for the spectrum and should be shorter.
   */
  maxChebyshevArgument: 20_000,
  /** Output times per Chebyshev expansion (simulate's outputsPerExpansion option). */
  maxOutputsPerExpansion: 16,
});

/** Number of output times t_k = k dt, k = 0 … floor(tEnd/dt + 1e-9), without allocating them (MODEL.md, Observables). */
export function outputCount(config: { tEnd: number; dt: number }): number {
  return Math.floor(config.tEnd / config.dt + 1e-9) + 1;
}

/**
 * An upper bound of the spectral half-width of H, eV, from the config alone
 * (no Hamiltonian built): the same sum of per-term ranges as
 * spectral-bounds.ts, with every term at its widest. Used to bound the
 * Chebyshev argument before anything of the state's size exists.
 */
export function spectralHalfWidthBound(config: {
  th: number; Jex: number; Jsd: number; L: number; state: string; electronSpin: string; sdTerms: string;
  fieldElectron?: number; fieldLocal?: number; anisotropy?: number; JsdSites?: readonly number[]; JexBonds?: readonly number[];
  localSpin?: number;
}): number {
  // Spin S: a bond's range grows as S^2 (2 S^2 + S), the sd block's as S + 1/2 (taken as 2S), a site's field as 2S, its anisotropy as S^2.
  const S = config.localSpin ?? 0.5;
  const bondScale = S === 0.5 ? 1 : 2 * S * S + S, siteScale = 2 * S;
  const electrons = config.state === 'single' ? 1 : 2;
  const s = config.electronSpin === 'pauli' ? 2 : 1;
  // The strongest sd coupling of any site, and the sum of the bonds' |J_ex|.
  const Jsd = config.JsdSites ? Math.max(0, ...config.JsdSites.map(Math.abs)) : Math.abs(config.Jsd);
  const bonds = config.JexBonds ? config.JexBonds.reduce((a, J) => a + Math.abs(J), 0) : (config.L - 1) * Math.abs(config.Jex);
  const zz = config.sdTerms === 'flip' ? 0 : (siteScale * Jsd * s) / 4;
  const flip = config.sdTerms === 'zz' ? 0 : (siteScale * Jsd * s) / 2;
  // Ranges: hopping 4|th| per electron, a J_ex bond |Jex|, the sd block of one electron at most 2 (zz + flip),
  // a field on an electron s |fieldElectron|, on a local spin |fieldLocal|, the anisotropy of a spin 1/2 |D| / 4 (taken whole).
  const fields = electrons * s * Math.abs(config.fieldElectron ?? 0) + config.L * (siteScale * Math.abs(config.fieldLocal ?? 0) + 4 * S * S * Math.abs(config.anisotropy ?? 0) / 4);
  const width = electrons * 4 * Math.abs(config.th) + bondScale * bonds + electrons * 2 * (zz + flip) + fields;
  // spectral-bounds.ts widens by 1e-3 of the width plus 1e-12 eV; take a little more.
  return (width * 1.002) / 2 + 1e-12;
}

/** The Chebyshev argument of one output interval, a dt / hbar (about the number of terms per output time). */
export function chebyshevArgument(config: Parameters<typeof spectralHalfWidthBound>[0] & { dt: number }): number {
  return (spectralHalfWidthBound(config) * config.dt) / HBAR_EV_FS;
}

/** Numbers each output time stores in the result: density (N), S_z per spin (L), and t, norm, energy, sigma_z, … */
export function numbersPerOutput(config: { N: number; L: number }): number {
  return config.N + config.L + 16;
}

/** Characters JSON.stringify writes per number at most ("-1.2345678901234567e-123,"). */
export const JSON_CHARS_PER_NUMBER = 26;

/**
 * The longest string a JavaScript engine holds (V8: 2^29 - 24 characters);
 * the result's JSON text is one string, so it must stay below this.
 */
export const MAX_JSON_TEXT = 2 ** 29 - 24;

/** Bytes of a result's series (f64 numbers) and the length of its JSON text, for the memory check. */
export function resultSize(config: { N: number; L: number; tEnd: number; dt: number }): { seriesBytes: number; jsonChars: number } {
  const numbers = outputCount(config) * numbersPerOutput(config);
  return { seriesBytes: numbers * 8, jsonChars: numbers * JSON_CHARS_PER_NUMBER };
}
