/**
 * The JSON of each study (INTERFACE.md, Studies), and the header every study
 * adds to it: the base config, the backend, the total timing and one record per
 * run, so a figure can be traced to the runs that made it.
 */

import type { RunConfig } from '../model/config.js';
import type { CosineFit } from './cosine-fit.js';
import type { JobRecord } from './jobs.js';

export const STUDY_NAMES = ['fig2a', 'fig2b', 'fig3', 'fig4', 'length', 'spin'] as const;
export type StudyName = (typeof STUDY_NAMES)[number];

/** Spin-state probability series of a run (paper Fig. 3). */
export interface ProbabilitySeries {
  S: number[];
  T0: number[];
  'T+': number[];
  'T-': number[];
}

export interface StudyHeader {
  study: StudyName;
  /** The base run config, every default filled in. */
  config: RunConfig;
  /** Backend of the runs ("cpu", "webgpu", …; "mixed" if they differ) and its precision. */
  backend: string;
  precision: 'f64' | 'f32';
  /** All runs together (resumed runs count their original time). */
  timing: { seconds: number; matvecs: number };
  runs: JobRecord[];
}

export const FIG2A_STATES = ['singlet', 'T0', 'T-', 'T+', 'single'] as const;
export type Fig2aState = (typeof FIG2A_STATES)[number];

export interface Fig2aResult extends StudyHeader {
  study: 'fig2a';
  t: number[];
  /** Delta sigma_z(t) per initial state ("single": one spin-down electron). */
  series: Record<Fig2aState, number[]>;
  chainIntervals: [number, number][];
}

export const FIG2B_STATES = ['singlet', 'T0', 'T-'] as const;
export type Fig2bState = (typeof FIG2B_STATES)[number];
export const DEFAULT_FIG2B_DISTANCES = [10, 20, 30, 40, 50, 60];

export interface Fig2bResult extends StudyHeader {
  study: 'fig2b';
  d: number[];
  /** Delta sigma_z at tEnd, one per d. */
  final: Record<Fig2bState, number[]>;
}

export const FIG3_SD_TERMS = ['zz', 'flip', 'full'] as const;
export const FIG3_STARTS = ['singlet', 'T0'] as const;
export type Fig3SdTerms = (typeof FIG3_SD_TERMS)[number];
export type Fig3Start = (typeof FIG3_STARTS)[number];

export interface Fig3Result extends StudyHeader {
  study: 'fig3';
  t: number[];
  panels: Record<Fig3SdTerms, Record<Fig3Start, ProbabilitySeries>>;
}

export const DEFAULT_FIG4_POINTS = 16;

export interface Fig4Result extends StudyHeader {
  study: 'fig4';
  theta: number[];
  /** Delta sigma_z at tEnd, one per theta. */
  final: number[];
  t: number[];
  /** Delta sigma_z(t), one series per theta. */
  series: number[][];
  /** The theta mean of Delta sigma_z(t) (the incoherent state, paper Fig. 4b). */
  average: number[];
  /** One electron, spin down: the reference of Fig. 4b. */
  single: number[];
  /** final = C + D cos(theta + phi0), D >= 0, phi0 in (-pi, pi]. */
  fit: CosineFit;
}

export const LENGTH_STATES = ['singlet', 'T0', 'T-', 'single'] as const;
export type LengthState = (typeof LENGTH_STATES)[number];
export const DEFAULT_LENGTHS = [2, 4, 8, 16, 32, 64];

/** Where the length study put the chain and the packets for one L, and its time window (fs). */
export interface LengthGeometry {
  L: number;
  spinStart: number;
  x2: number;
  /** The run's tEnd: chosen (or checked) in [tLeave, tReturn). */
  tEnd: number;
  /** When the trailing packet's centre leaves the chain region [n_0 - 2 sigma, n_{L-1} + 2 sigma]. */
  tLeave: number;
  /** When the leading packet's centre, going round the ring, reaches that region again. */
  tReturn: number;
}

export interface LengthResult extends StudyHeader {
  study: 'length';
  L: number[];
  /** Delta sigma_z at each run's tEnd, one per L ("single": one spin-down electron). */
  final: Record<LengthState, number[]>;
  geometry: LengthGeometry[];
}

export const SPIN_STATES = ['singlet', 'T0', 'T-', 'single'] as const;
export type SpinState = (typeof SPIN_STATES)[number];
export const DEFAULT_SPINS = [0.5, 1, 1.5, 2, 2.5];
export type SpinScaling = 'fixed' | 'classical';

export interface SpinResult extends StudyHeader {
  study: 'spin';
  /** The local spins S, and the scaling of the couplings with S. */
  S: number[];
  scaling: SpinScaling;
  /** Delta sigma_z at tEnd, one per S ("single": one spin-down electron). */
  final: Record<SpinState, number[]>;
  /** The couplings each S ran with (eV). */
  Jsd: number[];
  Jex: number[];
}

export type StudyResult = Fig2aResult | Fig2bResult | Fig3Result | Fig4Result | LengthResult | SpinResult;

/** The header from the runs' records. */
export function studyHeader<S extends StudyName>(study: S, config: RunConfig, runs: JobRecord[]): StudyHeader & { study: S } {
  const backends = [...new Set(runs.map((r) => r.backend))];
  return {
    study,
    config,
    backend: backends.length === 1 ? backends[0] : 'mixed',
    precision: runs.some((r) => r.precision === 'f32') ? 'f32' : 'f64',
    timing: {
      seconds: runs.reduce((s, r) => s + r.seconds, 0),
      matvecs: runs.reduce((s, r) => s + r.matvecs, 0),
    },
    runs,
  };
}
