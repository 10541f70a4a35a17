/**
 * A sweep's grid: which run-config keys vary and over which values, and the
 * list of points it makes from a base config. Values come as lists
 * ("0.1,0.2,0.3", "singlet,T0") or ranges ("0.05:0.5:10": ten evenly spaced
 * values, ends included); the points are the product of the lists (first key
 * slowest, like nested loops in the order given) or, zipped, the lists read
 * side by side. Every point's config goes through parseRunConfig before
 * anything runs, and a refused point is named with its index and parameters.
 */

import { ConfigError, DEFAULT_CONFIG, EXTENDED_DEFAULTS, parseRunConfig, type RunConfig } from '../model/config.js';
import { assertInitialStateExists } from '../model/initial-state.js';

/** A swept value: numbers for numeric keys, names for the string keys (state, sdTerms, …). */
export type GridValue = number | string;

/** Swept keys in order, each with its values. JSON keeps the order of an object's (non-numeric) keys. */
export type SweepGrid = Record<string, GridValue[]>;

export type SweepMode = 'product' | 'zip';

/** What a sweep is: everything its points (and so its results) depend on. */
export interface SweepSpec {
  /** The base run config; its keys take their defaults where left out. */
  base: Partial<RunConfig>;
  grid: SweepGrid;
  /** "product" (default): every combination; "zip": the i-th value of every key together. */
  mode?: SweepMode;
  /**
   * Per point, in grid order, run-config keys the point sets besides its grid
   * parameters: what a study derives from them (the length study's spinStart,
   * x2, tEnd per L). One object per point; they override the base and the
   * grid, and are part of every point's config, so of the sweep's id.
   */
  derived?: Partial<RunConfig>[];
}

export interface SweepPoint {
  /** 0 … points - 1, in grid order; shard I of N runs the points with index mod N = I. */
  index: number;
  /** File-safe and unique within the sweep: "003-Jsd=0.15-state=T0". */
  name: string;
  /** The swept keys and their values at this point. */
  params: Record<string, GridValue>;
  /** The full run config of this point (base + params, defaults filled in, checked). */
  config: RunConfig;
}

/** Keys whose values are names, not numbers: they take lists only, never ranges. */
const STRING_KEYS = new Set<string>(['electronSpin', 'sdTerms', 'state', 'singleSpin', 'basis']);
const CONFIG_KEYS = [...Object.keys(DEFAULT_CONFIG), ...Object.keys(EXTENDED_DEFAULTS)] as (keyof RunConfig)[];
/**
 * Keys whose values are lists (one number per local spin or bond): a point
 * sets them through a sweep file's "derived" list, one list per point, not
 * through a grid axis.
 */
const LIST_KEYS = ['JsdSites', 'JexBonds'];

/** The largest sweep we accept: past this, a typo in a range (":1000000") is likelier than intent. */
export const MAX_SWEEP_POINTS = 100_000;

export function isStringKey(key: string): boolean {
  return STRING_KEYS.has(key);
}

/**
 * A sweep file: {"base": {…}, "grid": {"Jsd": [0.1, 0.2], "d": "10:60:6"},
 * "mode": "product" | "zip"} ("kind" and "sweep", which a folder's
 * sweep-spec.json adds, are informational). Throws ConfigError.
 */
export function parseSweepFile(json: unknown): SweepSpec {
  const shape = 'a sweep file is a JSON object {"base": {…}, "grid": {"KEY": [values] or "a:b:n"}, "mode": "product" or "zip"}';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError('', json, 'a JSON object', shape);
  const o = json as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['base', 'grid', 'mode', 'derived', 'kind', 'sweep', 'study'].includes(key)) {
      throw new ConfigError(key, o[key], 'base, grid, mode, derived (kind, sweep and study are informational)', 'unknown key in the sweep file');
    }
  }
  if (o.mode !== undefined && o.mode !== 'product' && o.mode !== 'zip') throw new ConfigError('mode', o.mode, '"product" or "zip"', 'the sweep mode');
  const base = o.base ?? {};
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new ConfigError('base', base, 'a run config (a JSON object)', shape);
  const mode = (o.mode ?? 'product') as SweepMode;
  const spec: SweepSpec = { base: base as SweepSpec['base'], grid: checkGrid(o.grid, mode), mode };
  if (o.derived !== undefined) spec.derived = checkDerived(o.derived, pointCount(spec.grid, mode));
  return spec;
}

/** A sweep's derived keys: one object of run-config keys per point. Throws ConfigError. */
export function checkDerived(derived: unknown, points: number): Partial<RunConfig>[] {
  const allowed = `a list of ${points} objects of run-config keys, one per point in grid order`;
  if (!Array.isArray(derived) || derived.length !== points) throw new ConfigError('derived', derived, allowed, 'derived keys');
  for (const item of derived) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ConfigError('derived', item, allowed, 'derived keys');
    for (const key of Object.keys(item)) checkKey(key, true);
  }
  return derived as Partial<RunConfig>[];
}

/**
 * Parses one `--grid KEY=VALUES`. Throws ConfigError naming the key, the
 * value and what is allowed.
 */
export function parseGridArgument(text: string): { key: string; values: GridValue[] } {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new ConfigError('', text, 'KEY=VALUES', `--grid "${text}" is not KEY=VALUES, e.g. Jsd=0.1,0.2,0.3 or Jsd=0.05:0.5:10`);
  }
  const key = text.slice(0, eq).trim();
  return { key, values: parseGridValues(key, text.slice(eq + 1)) };
}

/** The values of a key from text: a comma-separated list, or (numeric keys) a range a:b:n. */
export function parseGridValues(key: string, text: string): GridValue[] {
  checkKey(key);
  const raw = text.trim();
  if (raw.includes(':')) {
    if (isStringKey(key)) {
      throw new ConfigError(key, raw, `a comma-separated list of names (a range a:b:n is for numeric keys)`, 'a string key takes a list only');
    }
    return parseRange(key, raw);
  }
  const items = raw.split(',').map((s) => s.trim());
  if (raw === '' || items.some((s) => s === '')) throw new ConfigError(key, raw, listAllowed(key), 'an empty value in the list');
  return items.map((s) => (isStringKey(key) ? s : parseNumber(key, s)));
}

/** The values of a key as a sweep file holds them: a JSON list, or a range string "a:b:n". */
export function gridValuesFromJson(key: string, value: unknown): GridValue[] {
  checkKey(key);
  if (typeof value === 'string') return parseGridValues(key, value);
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(key, value, `a non-empty list of values${isStringKey(key) ? '' : ' or a range "a:b:n"'}`, 'grid values');
  }
  for (const v of value) {
    if (isStringKey(key) ? typeof v !== 'string' : typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ConfigError(key, v, listAllowed(key), 'grid value');
    }
  }
  return [...(value as GridValue[])];
}

/** n evenly spaced values from a to b, ends included (n = 1: just a). */
export function parseRange(key: string, text: string): number[] {
  const parts = text.split(':').map((s) => s.trim());
  const allowed = 'a range a:b:n with a, b finite numbers and n an integer >= 1 (n values from a to b, ends included)';
  if (parts.length !== 3) throw new ConfigError(key, text, allowed, 'range');
  const [a, b] = parts.slice(0, 2).map((s) => (s === '' ? NaN : Number(s)));
  const n = /^[0-9]+$/.test(parts[2]) ? Number(parts[2]) : NaN;
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new ConfigError(key, text, allowed, 'the ends of the range');
  if (!(Number.isSafeInteger(n) && n >= 1)) throw new ConfigError(key, text, allowed, `n = "${parts[2]}" is not an integer >= 1`);
  if (n > MAX_SWEEP_POINTS) throw new ConfigError(key, text, allowed, `n is at most ${MAX_SWEEP_POINTS}`);
  if (n === 1) return [a];
  // a + k (b - a) / (n - 1), the ends exact, the values between rounded to 13 significant digits of the larger
  // end, so 0.3:0.9:3 gives 0.6 (not 0.6000000000000001) in names, tables and configs.
  const scale = Math.max(Math.abs(a), Math.abs(b));
  const digits = scale === 0 ? 0 : Math.min(100, Math.max(0, 12 - Math.floor(Math.log10(scale))));
  return Array.from({ length: n }, (_, k) => (k === 0 ? a : k === n - 1 ? b : Number((a + (k * (b - a)) / (n - 1)).toFixed(digits))));
}

/** Checks a grid (from the CLI or a sweep file): known keys, non-empty lists of the right types, zip lengths. */
export function checkGrid(grid: unknown, mode: SweepMode = 'product'): SweepGrid {
  if (typeof grid !== 'object' || grid === null || Array.isArray(grid)) {
    throw new ConfigError('', grid, 'an object of KEY: [values]', 'a sweep grid is an object such as {"Jsd": [0.1, 0.2], "state": ["singlet", "T0"]}');
  }
  const out: SweepGrid = {};
  for (const [key, value] of Object.entries(grid as Record<string, unknown>)) out[key] = gridValuesFromJson(key, value);
  const keys = Object.keys(out);
  if (keys.length === 0) throw new ConfigError('', grid, 'at least one swept key', 'the grid is empty');
  if (mode === 'zip') {
    const n = out[keys[0]].length;
    for (const key of keys) {
      if (out[key].length !== n) {
        throw new ConfigError(key, out[key], `${n} values (as many as ${keys[0]}: --zip pairs the lists)`, `${out[key].length} values`);
      }
    }
  }
  const count = pointCount(out, mode);
  if (count > MAX_SWEEP_POINTS) throw new ConfigError('', count, `at most ${MAX_SWEEP_POINTS} points`, `the grid has ${count} points`);
  return out;
}

export function pointCount(grid: SweepGrid, mode: SweepMode = 'product'): number {
  const lengths = Object.values(grid).map((v) => v.length);
  return mode === 'zip' ? (lengths[0] ?? 0) : lengths.reduce((p, n) => p * n, 1);
}

/** The parameters of every point, in order: the product (first key slowest) or the zip. */
export function gridParams(grid: SweepGrid, mode: SweepMode = 'product'): Record<string, GridValue>[] {
  const keys = Object.keys(grid);
  const n = pointCount(grid, mode);
  return Array.from({ length: n }, (_, index) => {
    const params: Record<string, GridValue> = {};
    if (mode === 'zip') {
      for (const key of keys) params[key] = grid[key][index];
    } else {
      let rest = index;
      for (let k = keys.length - 1; k >= 0; k--) {
        const values = grid[keys[k]];
        params[keys[k]] = values[rest % values.length];
        rest = Math.floor(rest / values.length);
      }
    }
    return Object.fromEntries(keys.map((key) => [key, params[key]]));
  });
}

/**
 * Every point of a sweep, each config checked (a vanishing triplet state too):
 * throws ConfigError naming the point, the key, the value and the allowed
 * range, before anything runs.
 */
export function sweepPoints(spec: SweepSpec): SweepPoint[] {
  const mode = spec.mode ?? 'product';
  const grid = checkGrid(spec.grid, mode);
  const base = spec.base ?? {};
  const all = gridParams(grid, mode);
  const derived = spec.derived === undefined ? undefined : checkDerived(spec.derived, all.length);
  // The base alone must be a valid config (less the keys the grid or the derived keys set).
  const sweptKeys = new Set([...Object.keys(grid), ...(derived ?? []).flatMap((d) => Object.keys(d))]);
  const baseOnly = Object.fromEntries(Object.entries(base).filter(([k]) => !sweptKeys.has(k)));
  parseRunConfig(baseOnly);
  const width = String(Math.max(0, all.length - 1)).length;
  return all.map((params, index) => {
    let config: RunConfig;
    try {
      config = parseRunConfig({ ...base, ...params, ...derived?.[index] });
      assertInitialStateExists(config);
    } catch (e) {
      if (e instanceof ConfigError) throw pointError(index, params, e);
      throw e;
    }
    return { index, name: pointName(index, params, width), params, config };
  });
}

/** "point 4 of 12 (Jsd=0.1, d=0): …" wrapped around the config's own message, key, value and allowed range kept. */
function pointError(index: number, params: Record<string, GridValue>, e: ConfigError): ConfigError {
  const err = new ConfigError(e.key, e.value, e.allowed);
  err.message = `point ${index} (${describeParams(params)}): ${e.message}`;
  return err;
}

export function describeParams(params: Record<string, GridValue>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ');
}

/** "007-Jsd=0.15-state=T0": index first so names sort in grid order; characters a file system might refuse become "_". */
export function pointName(index: number, params: Record<string, GridValue>, width = 1): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${String(v)}`.replace(/[^A-Za-z0-9.=+_-]/g, '_'));
  const name = [String(index).padStart(width, '0'), ...parts].join('-');
  return name.length > 120 ? name.slice(0, 120) : name;
}

function checkKey(key: string, listsAllowed = false): void {
  if (key === 'entanglement') {
    if (listsAllowed) return;
    throw new ConfigError(key, key, `a grid key with one number or name per value: ${CONFIG_KEYS.join(', ')}`, 'entanglement is on or off for a whole sweep: set it in the base config (-c BASE.json)');
  }
  if (LIST_KEYS.includes(key)) {
    if (listsAllowed) return;
    throw new ConfigError(
      key, key, `a grid key with one number or name per value: ${CONFIG_KEYS.join(', ')}`,
      `${key} is a list (one number per ${key === 'JsdSites' ? 'local spin' : 'bond'}); sweep it with a sweep file's "derived" list, one ${key} list per point`,
    );
  }
  if (!(CONFIG_KEYS as string[]).includes(key)) {
    throw new ConfigError(key, key, `a run-config key: ${CONFIG_KEYS.join(', ')}`, 'unknown key in the grid');
  }
}

function listAllowed(key: string): string {
  return isStringKey(key) ? 'a comma-separated list of names' : 'a comma-separated list of finite numbers, or a range a:b:n';
}

function parseNumber(key: string, s: string): number {
  const v = Number(s);
  if (!Number.isFinite(v)) throw new ConfigError(key, s, listAllowed(key), 'not a finite number');
  return v;
}
