/**
 * The run config of INTERFACE.md: its type, its defaults and its validation.
 * Every entry point (library, CLI, dashboard, studies) goes through parseRunConfig,
 * so a config that passes here is one the engine can run.
 */

import { formatBytes } from '../backends/memory.js';
import { fullLayoutTooLarge, MAX_FULL_SPIN_CONFIGS, MAX_L } from './layout.js';
import { chebyshevArgument, LIMITS, outputCount, resultSize } from './limits.js';

export type ElectronSpin = 'half' | 'pauli';
export type SdTerms = 'full' | 'zz' | 'flip';
export type InitialStateName = 'singlet' | 'T0' | 'T+' | 'T-' | 'theta' | 'single';
export type SpinDirection = 'up' | 'down';
/**
 * A basis a state is stored in. "full": MODEL.md's canonical layout;
 * "sector": the fixed-S_z sector of the initial state (MODEL.md, Symmetry);
 * "antisymmetric": the sector with one amplitude per exchange pair of two
 * electrons (MODEL.md, Exchange antisymmetry; model/antisymmetric.ts), the
 * sector itself for one electron.
 */
export type Basis = 'full' | 'sector' | 'antisymmetric';
/** The config key `basis`: a basis, or "auto" (the fastest the backend runs for the state: model/basis.ts). */
export type BasisSetting = Basis | 'auto';

export const ELECTRON_SPINS: readonly ElectronSpin[] = ['half', 'pauli'];
export const SD_TERMS: readonly SdTerms[] = ['full', 'zz', 'flip'];
export const INITIAL_STATES: readonly InitialStateName[] = ['singlet', 'T0', 'T+', 'T-', 'theta', 'single'];
export const SPIN_DIRECTIONS: readonly SpinDirection[] = ['up', 'down'];
export const BASES: readonly Basis[] = ['full', 'sector', 'antisymmetric'];
export const BASIS_SETTINGS: readonly BasisSetting[] = ['auto', ...BASES];

/** A run config with every key present (INTERFACE.md). */
export interface RunConfig {
  /** Sites on the periodic ring. */
  N: number;
  /** Number of local spins. */
  L: number;
  /** Site of local spin 0 (sites count from 0). */
  spinStart: number;
  /** Hopping t_h, eV. */
  th: number;
  /** Exchange between neighbouring local spins J_ex, eV. */
  Jex: number;
  /** sd exchange between conduction and local spins J_sd, eV. */
  Jsd: number;
  /** Electron spin operator: "half" (sigma = Pauli/2) or "pauli". */
  electronSpin: ElectronSpin;
  /** Which part of the sd exchange is kept (paper Fig. 3). */
  sdTerms: SdTerms;
  /** Initial electron state. */
  state: InitialStateName;
  /** Relative phase of state "theta", radians. */
  theta: number;
  /** Spin of the electron for state "single". */
  singleSpin: SpinDirection;
  /** Packet wave vector k_e, 1/a. */
  ke: number;
  /** Packet width sigma_d, a. */
  sigma: number;
  /** Centre of the leading packet phi_2, site. */
  x2: number;
  /** Distance x2 - x1 between the packets, a. */
  d: number;
  /** Last output time, fs. */
  tEnd: number;
  /** Output interval, fs. */
  dt: number;
  /**
   * Basis of the state vector: "full" (N^2 4 2^L amplitudes, the canonical
   * layout), "sector" (only the configurations with the initial state's
   * number of down spins; the same results from far fewer amplitudes),
   * "antisymmetric" (the sector's configurations, one amplitude of each pair
   * the exchange of the two electrons relates: about half the sector; one
   * electron runs the sector) or "auto" (the first basis the backend runs
   * that holds the state, fastest first: model/basis.ts). A run resolves
   * "auto" before it starts; its result records the basis it used.
   */
  basis: BasisSetting;
  // Beyond the paper (MODEL.md). Present in a parsed config only where they
  // differ from their defaults, so a config, result, checkpoint or sweep id
  // of the paper's model is the same as before these keys existed.
  /** Zeeman field on the electrons, eV: -fieldElectron sum_alpha sigma_z(alpha) (electronSpin convention). Default 0. */
  fieldElectron?: number;
  /** Zeeman field on the local spins, eV: -fieldLocal sum_j S_z(j). Default 0. */
  fieldLocal?: number;
  /** Single-ion anisotropy D, eV: -D sum_j S_z(j)^2 (easy axis for D > 0). Default 0. */
  anisotropy?: number;
  /** J_sd of each local spin (L numbers, eV), replacing Jsd. */
  JsdSites?: number[];
  /** J_ex of each bond (j, j+1) (L - 1 numbers, eV), replacing Jex. */
  JexBonds?: number[];
  /** Entanglement observables at every output time (model/entanglement.ts). Default false. */
  entanglement?: boolean;
  /** Spin S of every local spin: 0.5, 1, …, 3.5 (default 0.5); above 1/2 in basis "sector" only. */
  localSpin?: number;
}

/** The keys beyond the paper (MODEL.md): absent from a parsed config where at their defaults. */
export const EXTENDED_KEYS = ['localSpin', 'fieldElectron', 'fieldLocal', 'anisotropy', 'JsdSites', 'JexBonds', 'entanglement'] as const satisfies readonly (keyof RunConfig)[];
export type ExtendedKey = (typeof EXTENDED_KEYS)[number];

/** Defaults of the scalar keys beyond the paper. */
export const EXTENDED_DEFAULTS = Object.freeze({ localSpin: 0.5, fieldElectron: 0, fieldLocal: 0, anisotropy: 0 });

/** The spins a local moment may have (MODEL.md, "Beyond the paper"). */
export const LOCAL_SPINS: readonly number[] = [0.5, 1, 1.5, 2, 2.5, 3, 3.5];

/** The keys beyond the paper a config sets (not at their defaults), in EXTENDED_KEYS order. */
export function extendedKeysSet(config: Partial<RunConfig>): ExtendedKey[] {
  return EXTENDED_KEYS.filter((k) => config[k] !== undefined);
}

/** A run config whose basis is resolved (model/basis.ts): what a run, its checkpoints and its result hold. */
export type ResolvedRunConfig = Omit<RunConfig, 'basis'> & { basis: Basis };

/** What a user may write: any subset of the keys. */
export type RunConfigInput = Partial<RunConfig>;

/** A config that cannot be run. `key` names the offending key (or '' for the whole object). */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly allowed: string,
    detail?: string,
    /** What holds the key: the run config, or a study's options. */
    subject = 'run config',
  ) {
    super(
      key === ''
        ? `invalid ${subject}: ${detail ?? allowed}`
        : `invalid ${subject}: "${key}" = ${show(value)} is not allowed; allowed: ${allowed}` +
            (detail ? ` (${detail})` : ''),
    );
    this.name = 'ConfigError';
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The keys in INTERFACE.md order, with how each one is checked. */
const KEYS = [
  'N', 'L', 'spinStart', 'th', 'Jex', 'Jsd', 'electronSpin', 'sdTerms', 'state', 'theta',
  'singleSpin', 'ke', 'sigma', 'x2', 'd', 'tEnd', 'dt', 'basis', ...EXTENDED_KEYS,
] as const satisfies readonly (keyof RunConfig)[];

/** Paper defaults (Fig. 2a singlet run). spinStart and x2 depend on N and L: see defaultSpinStart. */
export const DEFAULT_CONFIG: Readonly<RunConfig> = Object.freeze({
  N: 200, L: 4, spinStart: 98,
  th: 0.5, Jex: 0.2, Jsd: 0.3,
  electronSpin: 'half', sdTerms: 'full',
  state: 'singlet', theta: 0, singleSpin: 'down',
  ke: 1, sigma: 5, x2: 78, d: 30,
  tEnd: 80, dt: 0.5,
  basis: 'auto',
});

export function defaultSpinStart(N: number, L: number): number {
  return Math.floor(N / 2) - Math.floor(L / 2);
}

/** The allowed range of each key, as the error messages and the docs state it. */
export const ALLOWED: Readonly<Record<keyof RunConfig, string>> = {
  N: `integer >= 4 and <= ${LIMITS.maxN}`,
  L: `integer 1 … N; at most ${MAX_L} in basis "full"`,
  spinStart: 'integer >= 0 with spinStart + L <= N',
  th: `number in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV)`,
  Jex: `number in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV)`,
  Jsd: `number in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV)`,
  electronSpin: '"half" or "pauli"',
  sdTerms: '"full", "zz" or "flip"',
  state: '"singlet", "T0", "T+", "T-", "theta" or "single"',
  theta: 'finite number (radians)',
  singleSpin: '"up" or "down"',
  ke: `number in [-${LIMITS.maxKe}, ${LIMITS.maxKe}] (1/a)`,
  sigma: `number in [${LIMITS.minSigma}, ${LIMITS.maxSigma}] (a)`,
  x2: `number in [-${LIMITS.maxPosition}, ${LIMITS.maxPosition}] (site)`,
  d: `number in [0, ${LIMITS.maxPosition}] (a)`,
  tEnd: `number > 0 and <= ${LIMITS.maxTEnd} (fs)`,
  dt: `number in [${LIMITS.minDt}, tEnd] (fs), at most ${LIMITS.maxOutputTimes} output times`,
  basis: '"auto", "full", "sector" or "antisymmetric"',
  fieldElectron: `number in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV)`,
  fieldLocal: `number in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV)`,
  anisotropy: `number in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV)`,
  JsdSites: `a list of L numbers in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV), one per local spin`,
  JexBonds: `a list of L - 1 numbers in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV), one per bond (j, j+1)`,
  entanglement: 'true or false',
  localSpin: '0.5, 1, 1.5, 2, 2.5, 3 or 3.5; above 0.5 in basis "sector", "full" or "auto" (which takes the sector), not "antisymmetric"',
};

function finiteNumber(key: keyof RunConfig, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(key, value, ALLOWED[key]);
  }
  return value;
}

function integer(key: keyof RunConfig, value: unknown): number {
  const v = finiteNumber(key, value);
  if (!Number.isInteger(v)) throw new ConfigError(key, value, ALLOWED[key]);
  return v;
}

/** A finite number in [min, max]; NaN and the infinities fail the comparison. */
function inRange(key: keyof RunConfig, value: unknown, min: number, max: number, detail?: string): number {
  const v = finiteNumber(key, value);
  if (!(v >= min && v <= max)) throw new ConfigError(key, value, ALLOWED[key], detail);
  return v;
}

function oneOf<T extends string>(key: keyof RunConfig, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new ConfigError(key, value, ALLOWED[key]);
  }
  return value as T;
}

/**
 * Fill in defaults and validate. Throws ConfigError naming the first bad key,
 * its value and the allowed range; never returns a config that cannot run.
 */
export function parseRunConfig(input: unknown): RunConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError('', input, 'a JSON object', 'a run config must be a JSON object of the keys in INTERFACE.md');
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      // key '' would read as an error of the whole object: say what it is.
      if (key === '') throw new ConfigError('', raw[key], '', `unknown key "" (an empty key); the keys are ${KEYS.join(', ')}`);
      const hint = key === 'config' && 'density' in raw ? '; this looks like a result file: its run config is the object under "config"' : '';
      throw new ConfigError(key, raw[key], `one of the keys ${KEYS.join(', ')}`, `unknown key${hint}`);
    }
  }
  const pick = (key: keyof RunConfig, fallback: unknown): unknown => (raw[key] === undefined ? fallback : raw[key]);

  const N = integer('N', pick('N', DEFAULT_CONFIG.N));
  if (N < 4 || N > LIMITS.maxN) throw new ConfigError('N', N, ALLOWED.N);
  const basis = oneOf('basis', pick('basis', DEFAULT_CONFIG.basis), BASIS_SETTINGS);
  const L = integer('L', pick('L', DEFAULT_CONFIG.L));
  if (L < 1 || L > N) throw new ConfigError('L', L, `integer 1 … ${N} (N)`);
  if (basis === 'full' && L > MAX_L) {
    throw new ConfigError(
      'L', L, `integer 1 … ${Math.min(N, MAX_L)} in basis "full"`,
      `the full basis holds 2^L local-spin configurations per orbital block and stops at ${MAX_L} spins; "basis": "sector" or "auto" has no such limit`,
    );
  }
  const spinStart = integer('spinStart', pick('spinStart', defaultSpinStart(N, L)));
  if (spinStart < 0 || spinStart + L > N) {
    throw new ConfigError('spinStart', spinStart, `integer 0 … ${N - L} (N - L, so that spinStart + L <= N)`);
  }
  const coupling = (key: 'th' | 'Jex' | 'Jsd') =>
    inRange(key, pick(key, DEFAULT_CONFIG[key]), -LIMITS.maxCoupling, LIMITS.maxCoupling,
      'larger couplings make the spectrum, and the Chebyshev terms per output time, grow without bound');
  const th = coupling('th');
  const Jex = coupling('Jex');
  const Jsd = coupling('Jsd');
  const extended = parseExtended(raw, L);
  // "auto" resolves to the sector for S > 1/2 (model/basis.ts, basisCannotHold); "full" holds it in its mixed-radix layout.
  if (extended.localSpin !== undefined && basis === 'antisymmetric') {
    throw new ConfigError(
      'localSpin', extended.localSpin, `0.5 in basis "${basis}"; 0.5 … 3.5 in basis "sector", "full" or "auto"`,
      `the ${basis} basis's tables hold two states per local spin; "basis": "sector" (or "auto", which takes it) and "full" run every spin S`,
    );
  }
  if (extended.localSpin !== undefined && basis === 'full') {
    const tooLarge = fullLayoutTooLarge(L, 2 * extended.localSpin);
    if (tooLarge) {
      const d = 2 * extended.localSpin + 1;
      const largest = Math.floor(Math.log(MAX_FULL_SPIN_CONFIGS) / Math.log(d) + 1e-9);
      throw new ConfigError('L', L, `integer 1 … ${Math.min(N, largest)} in basis "full" with localSpin = ${extended.localSpin}`, tooLarge);
    }
  }
  const electronSpin = oneOf('electronSpin', pick('electronSpin', DEFAULT_CONFIG.electronSpin), ELECTRON_SPINS);
  const sdTerms = oneOf('sdTerms', pick('sdTerms', DEFAULT_CONFIG.sdTerms), SD_TERMS);
  const state = oneOf('state', pick('state', DEFAULT_CONFIG.state), INITIAL_STATES);
  const theta = finiteNumber('theta', pick('theta', DEFAULT_CONFIG.theta));
  const singleSpin = oneOf('singleSpin', pick('singleSpin', DEFAULT_CONFIG.singleSpin), SPIN_DIRECTIONS);
  const ke = inRange('ke', pick('ke', DEFAULT_CONFIG.ke), -LIMITS.maxKe, LIMITS.maxKe,
    'the lattice sees ke only modulo 2π; write it in [-π, π]');
  const sigma = inRange('sigma', pick('sigma', DEFAULT_CONFIG.sigma), LIMITS.minSigma, LIMITS.maxSigma,
    `a packet narrower than ${LIMITS.minSigma} lattice spacing underflows to zero between the sites and cannot be normalized`);
  const x2 = inRange('x2', pick('x2', spinStart - 20), -LIMITS.maxPosition, LIMITS.maxPosition,
    `positions are taken modulo N = ${N}; write x2 as a site of the ring`);
  const d = inRange('d', pick('d', DEFAULT_CONFIG.d), 0, LIMITS.maxPosition);
  const tEnd = finiteNumber('tEnd', pick('tEnd', DEFAULT_CONFIG.tEnd));
  if (!(tEnd > 0 && tEnd <= LIMITS.maxTEnd)) throw new ConfigError('tEnd', tEnd, ALLOWED.tEnd);
  const dt = finiteNumber('dt', pick('dt', DEFAULT_CONFIG.dt));
  const dtRange = `number >= ${LIMITS.minDt} and <= tEnd (${tEnd} fs)`;
  if (!(dt > 0) || dt > tEnd) throw new ConfigError('dt', dt, dtRange);
  // The number of output times first: for a tiny dt it is what the user needs to hear.
  checkTimeGrid({ N, L, th, Jex, Jsd, state, electronSpin, sdTerms, tEnd, dt, ...extended });
  if (dt < LIMITS.minDt) throw new ConfigError('dt', dt, dtRange, 'shorter output intervals take the Bessel recurrence out of the f64 range');

  return { N, L, spinStart, th, Jex, Jsd, electronSpin, sdTerms, state, theta, singleSpin, ke, sigma, x2, d, tEnd, dt, basis, ...extended };
}

/**
 * The keys beyond the paper (MODEL.md), checked, with the ones at their
 * defaults left out (see RunConfig). The lists are checked against L.
 */
function parseExtended(raw: Record<string, unknown>, L: number): Pick<RunConfig, ExtendedKey> {
  const out: Pick<RunConfig, ExtendedKey> = {};
  const why = 'larger couplings make the spectrum, and the Chebyshev terms per output time, grow without bound';
  if (raw.localSpin !== undefined) {
    if (typeof raw.localSpin !== 'number' || !LOCAL_SPINS.includes(raw.localSpin)) throw new ConfigError('localSpin', raw.localSpin, ALLOWED.localSpin);
    if (raw.localSpin !== EXTENDED_DEFAULTS.localSpin) out.localSpin = raw.localSpin;
  }
  for (const key of ['fieldElectron', 'fieldLocal', 'anisotropy'] as const) {
    if (raw[key] === undefined) continue;
    const v = inRange(key, raw[key], -LIMITS.maxCoupling, LIMITS.maxCoupling, why);
    if (v !== EXTENDED_DEFAULTS[key]) out[key] = v;
  }
  const list = (key: 'JsdSites' | 'JexBonds', length: number, what: string): number[] | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    const allowed = `a list of ${length} numbers (${what}) in [-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}] (eV)`;
    if (!Array.isArray(value)) throw new ConfigError(key, value, allowed);
    if (value.length !== length) throw new ConfigError(key, value, allowed, `${value.length} numbers given for L = ${L}`);
    value.forEach((v, i) => {
      if (typeof v !== 'number' || !(v >= -LIMITS.maxCoupling && v <= LIMITS.maxCoupling)) {
        throw new ConfigError(key, value, allowed, `entry ${i} = ${show(v)} is not a number in range`);
      }
    });
    return [...(value as number[])];
  };
  const JsdSites = list('JsdSites', L, 'L, one per local spin');
  const JexBonds = list('JexBonds', L - 1, 'L - 1, one per bond (j, j+1)');
  if (JsdSites) out.JsdSites = JsdSites;
  if (JexBonds) out.JexBonds = JexBonds;
  if (raw.entanglement !== undefined) {
    if (typeof raw.entanglement !== 'boolean') throw new ConfigError('entanglement', raw.entanglement, ALLOWED.entanglement);
    if (raw.entanglement) out.entanglement = true;
  }
  return out;
}

/**
 * The work a time grid implies: the number of output times (each stores a
 * row of every series) and the Chebyshev terms of one output interval (about
 * a dt / hbar, a the spectral half-width). Both are refused naming dt, the
 * key that brings them back in range, with what they would cost.
 */
function checkTimeGrid(c: Pick<RunConfig, 'N' | 'L' | 'th' | 'Jex' | 'Jsd' | 'state' | 'electronSpin' | 'sdTerms' | 'tEnd' | 'dt' | ExtendedKey>): void {
  const count = outputCount(c);
  if (count > LIMITS.maxOutputTimes) {
    const { seriesBytes, jsonChars } = resultSize(c);
    throw new ConfigError(
      'dt', c.dt, `number >= tEnd / ${LIMITS.maxOutputTimes - 1} = ${roundUp(c.tEnd / (LIMITS.maxOutputTimes - 1))} fs (at most ${LIMITS.maxOutputTimes} output times)`,
      `tEnd / dt gives ${count.toExponential(2)} output times, whose series would need ${formatBytes(seriesBytes)} ` +
        `and their JSON text ${formatBytes(jsonChars)}; raise dt or lower tEnd`,
    );
  }
  const argument = chebyshevArgument(c);
  if (argument > LIMITS.maxChebyshevArgument) {
    const dtMax = (c.dt * LIMITS.maxChebyshevArgument) / argument;
    throw new ConfigError(
      'dt', c.dt, `number <= ${roundDown(dtMax)} fs for these couplings and L`,
      `one output interval would need about ${Math.round(argument)} Chebyshev terms (limit ${LIMITS.maxChebyshevArgument}): ` +
        'the spectral width of H times dt is too large; lower dt, or the couplings and L',
    );
  }
}

/** x to 4 significant digits, rounded away from the refused side so that the bound printed is safe to use. */
function roundUp(x: number): number {
  const scale = 10 ** (Math.floor(Math.log10(x)) - 3);
  return Number((Math.ceil(x / scale) * scale).toPrecision(4));
}

function roundDown(x: number): number {
  const scale = 10 ** (Math.floor(Math.log10(x)) - 3);
  return Number((Math.floor(x / scale) * scale).toPrecision(4));
}

/** Output times t_k = k dt, k = 0 … floor(tEnd/dt + 1e-9) (MODEL.md, Observables). */
export function outputTimes(config: Pick<RunConfig, 'tEnd' | 'dt'>): Float64Array {
  const count = outputCount(config);
  const t = new Float64Array(count);
  for (let k = 0; k < count; k++) t[k] = k * config.dt;
  return t;
}
