/**
 * Reads a sweep's files back into the dashboard: `sweep.json` (the table the
 * CLI, merge or a cluster wrote) and `points/NAME.json` (one point with its
 * full result). These files may come from anyone: every field is checked
 * before anything is drawn, the table is rebuilt from the checked fields
 * only (nothing else of the file is kept), and a file that does not hold
 * together (rows off the grid, parameters that are not the grid's, counts
 * that disagree) is refused with a message naming what is wrong. Strings
 * (names, values, errors) are kept as they are: the page shows them as text.
 */

import { ConfigError, parseRunConfig } from '../model/config.js';
import type { SimulationResult } from '../model/result.js';
import { checkGrid, gridParams, pointCount, pointName, MAX_SWEEP_POINTS, type GridValue, type SweepMode } from '../sweeps/grid.js';
import type { Probabilities, SweepResult, SweepRow } from '../sweeps/run-sweep.js';

export const SWEEP_KIND = 'spin-transfer sweep';
export const POINT_KIND = 'spin-transfer sweep point';
/** Longest string taken from a file (a name, an error, an id): longer is not something our tools write. */
const MAX_TEXT = 4000;

/** One point's file, as the CLI writes it under DIR/points/. */
export interface SweepPointFile {
  sweep: string;
  index: number;
  name: string;
  params: Record<string, GridValue>;
  row: SweepRow;
  /** The full run result (a failed point has none). */
  result?: SimulationResult;
}

class ShapeError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown, what: string, max = MAX_TEXT): string {
  if (typeof v !== 'string') throw new ShapeError(`${what} must be a string`);
  if (v.length > max) throw new ShapeError(`${what} is ${v.length} characters long (at most ${max})`);
  return v;
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ShapeError(`${what} must be a finite number`);
  return v;
}

/** A number the table may lack: absent or null (JSON's NaN) gives undefined. */
function optionalNumber(v: unknown, what: string): number | undefined {
  return v === undefined || v === null ? undefined : finite(v, what);
}

function index(v: unknown, what: string, points: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= points) throw new ShapeError(`${what} must be an integer 0 … ${points - 1}`);
  return v;
}

function sameValue(a: unknown, b: GridValue): boolean {
  return a === b;
}

/** A row's params must be exactly the grid's at that index (same keys, same values). */
function checkParams(v: unknown, expected: Record<string, GridValue>, what: string): Record<string, GridValue> {
  if (!isObject(v)) throw new ShapeError(`${what}.params must be an object`);
  const keys = Object.keys(expected);
  const got = Object.keys(v);
  if (got.length !== keys.length || keys.some((k) => !Object.hasOwn(v, k) || !sameValue(v[k], expected[k]))) {
    throw new ShapeError(`${what}.params ${JSON.stringify(v).slice(0, 200)} are not the grid's parameters at that index (${JSON.stringify(expected)})`);
  }
  return { ...expected };
}

/** Parameters of a point file read alone (no grid to hold them against yet): keys to numbers or strings. */
function looseParams(v: unknown, what: string): Record<string, GridValue> {
  if (!isObject(v)) throw new ShapeError(`${what} must be an object`);
  const out: Record<string, GridValue> = {};
  for (const [k, x] of Object.entries(v)) {
    text(k, `a key of ${what}`, 100);
    if (typeof x === 'number') out[k] = finite(x, `${what}.${k}`);
    else out[k] = text(x, `${what}.${k}`, 200);
  }
  return out;
}

function probabilities(v: unknown, what: string): Probabilities | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new ShapeError(`${what} must be an object {S, T0, T+, T-}`);
  return { S: finite(v.S, `${what}.S`), T0: finite(v.T0, `${what}.T0`), 'T+': finite(v['T+'], `${what}.T+`), 'T-': finite(v['T-'], `${what}.T-`) };
}

/** A row from the file, its numbers checked; `params` already checked by the caller. */
function row(v: unknown, what: string, idx: number, params: Record<string, GridValue>): SweepRow {
  if (!isObject(v)) throw new ShapeError(`${what} must be an object`);
  const status = v.status;
  if (status !== 'done' && status !== 'failed') throw new ShapeError(`${what}.status must be "done" or "failed"`);
  const out: SweepRow = {
    index: idx,
    name: text(v.name, `${what}.name`),
    params,
    status,
    wallSeconds: optionalNumber(v.wallSeconds, `${what}.wallSeconds`) ?? 0,
  };
  if (status === 'failed') {
    out.error = v.error === undefined ? 'unknown error' : text(v.error, `${what}.error`);
    return out;
  }
  out.finalDeltaSigmaZ = finite(v.finalDeltaSigmaZ, `${what}.finalDeltaSigmaZ`);
  const numbers = ['maxDeltaSigmaZ', 'normDrift', 'energyDrift', 'totalSzDrift', 'matvecs'] as const;
  for (const k of numbers) {
    const x = optionalNumber(v[k], `${what}.${k}`);
    if (x !== undefined) out[k] = x;
  }
  const p = probabilities(v.finalProbabilities, `${what}.finalProbabilities`);
  if (p) out.finalProbabilities = p;
  if (v.backend !== undefined) out.backend = text(v.backend, `${what}.backend`, 100);
  if (v.precision !== undefined) {
    if (v.precision !== 'f64' && v.precision !== 'f32') throw new ShapeError(`${what}.precision must be "f64" or "f32"`);
    out.precision = v.precision;
  }
  return out;
}

function parseJson(textIn: string): unknown {
  try {
    return JSON.parse(textIn);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`);
  }
}

function wrap<T>(kind: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ShapeError) throw new Error(`not a valid ${kind}: ${e.message}`);
    if (e instanceof ConfigError) throw new Error(`not a valid ${kind}: ${e.message}`);
    throw e;
  }
}

/**
 * A sweep.json (object already parsed from JSON), checked and rebuilt. Throws
 * an Error whose message says what is wrong.
 */
export function parseSweepObject(data: unknown): SweepResult {
  return wrap('sweep.json', () => {
    if (!isObject(data)) throw new ShapeError('a sweep.json is a JSON object');
    if (data.kind !== SWEEP_KIND) throw new ShapeError(`"kind" must be "${SWEEP_KIND}"`);
    const sweep = text(data.sweep, '"sweep" (the id)', 200);
    const mode = data.mode;
    if (mode !== 'product' && mode !== 'zip') throw new ShapeError('"mode" must be "product" or "zip"');
    const grid = checkGrid(data.grid, mode as SweepMode);
    if (!isObject(data.base)) throw new ShapeError('"base" must be a run config (a JSON object)');
    const swept = new Set(Object.keys(grid));
    parseRunConfig(Object.fromEntries(Object.entries(data.base).filter(([k]) => !swept.has(k))));
    const points = pointCount(grid, mode as SweepMode);
    if (data.points !== points) throw new ShapeError(`"points" is ${JSON.stringify(data.points)}, the grid has ${points}`);
    if (points > MAX_SWEEP_POINTS) throw new ShapeError(`${points} points (at most ${MAX_SWEEP_POINTS})`);
    if (!Array.isArray(data.rows)) throw new ShapeError('"rows" must be an array');
    if (!Array.isArray(data.missing)) throw new ShapeError('"missing" must be an array');
    if (!Array.isArray(data.failed)) throw new ShapeError('"failed" must be an array');
    const all = gridParams(grid, mode as SweepMode);
    const rows = new Map<number, SweepRow>();
    data.rows.forEach((r, k) => {
      const what = `rows[${k}]`;
      if (!isObject(r)) throw new ShapeError(`${what} must be an object`);
      const idx = index(r.index, `${what}.index`, points);
      if (rows.has(idx)) throw new ShapeError(`${what}: point ${idx} has two rows`);
      rows.set(idx, row(r, what, idx, checkParams(r.params, all[idx], what)));
    });
    // missing and failed follow from the rows: a file whose lists disagree was edited or cut.
    const missingIdx = data.missing.map((m, k) => index(isObject(m) ? m.index : undefined, `missing[${k}].index`, points));
    const expectMissing = all.map((_, i) => i).filter((i) => !rows.has(i));
    if (missingIdx.length !== expectMissing.length || missingIdx.some((i, k) => i !== expectMissing[k])) {
      throw new ShapeError(`"missing" lists ${missingIdx.length} points, the rows leave ${expectMissing.length} without a row`);
    }
    const failedRows = [...rows.values()].filter((r) => r.status === 'failed').sort((a, b) => a.index - b.index);
    const failedIdx = data.failed.map((m, k) => index(isObject(m) ? m.index : undefined, `failed[${k}].index`, points));
    if (failedIdx.length !== failedRows.length || failedIdx.some((i, k) => i !== failedRows[k].index)) {
      throw new ShapeError(`"failed" lists ${failedIdx.length} points, the rows have ${failedRows.length} failed`);
    }
    const width = String(Math.max(0, points - 1)).length;
    const missingNames = new Map(data.missing.map((m) => [(m as { index: number }).index, (m as { name?: unknown }).name]));
    const sorted = [...rows.values()].sort((a, b) => a.index - b.index);
    const done = sorted.filter((r) => r.status === 'done');
    if (typeof data.complete !== 'boolean' || data.complete !== (done.length === points)) {
      throw new ShapeError(`"complete" is ${JSON.stringify(data.complete)}, but ${done.length} of ${points} points are done`);
    }
    const backend = data.backend === undefined ? 'unknown' : text(data.backend, '"backend"', 100);
    if (data.precision !== undefined && data.precision !== 'f64' && data.precision !== 'f32') throw new ShapeError('"precision" must be "f64" or "f32"');
    return {
      kind: SWEEP_KIND,
      sweep,
      base: { ...(data.base as SweepResult['base']) },
      grid,
      mode: mode as SweepMode,
      points,
      complete: done.length === points,
      backend,
      precision: (data.precision as 'f64' | 'f32' | undefined) ?? (done.some((r) => r.precision === 'f32') ? 'f32' : 'f64'),
      rows: sorted,
      missing: expectMissing.map((i) => {
        const given = missingNames.get(i);
        return { index: i, name: typeof given === 'string' && given.length <= MAX_TEXT ? given : pointName(i, all[i], width), params: all[i] };
      }),
      failed: failedRows.map(({ index: i, name, params, error }) => ({ index: i, name, params, error: error ?? 'unknown error' })),
    };
  });
}

export function parseSweepJson(textIn: string): SweepResult {
  return parseSweepObject(parseJson(textIn));
}

/**
 * A points/NAME.json (object parsed from JSON), checked; its result (if any)
 * checked by `parseResult`, the import of a result JSON (import-result.ts).
 */
export function parsePointObject(data: unknown, parseResult: (json: string) => SimulationResult): SweepPointFile {
  return wrap('sweep point file', () => {
    if (!isObject(data)) throw new ShapeError('a point file is a JSON object');
    if (data.kind !== POINT_KIND) throw new ShapeError(`"kind" must be "${POINT_KIND}"`);
    const sweep = text(data.sweep, '"sweep" (the id)', 200);
    const idx = index(data.index, '"index"', MAX_SWEEP_POINTS);
    const name = text(data.name, '"name"');
    const params = looseParams(data.params, '"params"');
    if (!isObject(data.row)) throw new ShapeError('"row" must be an object');
    if (data.row.index !== idx) throw new ShapeError(`"row.index" is ${JSON.stringify(data.row.index)}, the point's index is ${idx}`);
    const r = row(data.row, '"row"', idx, checkParams(data.row.params, params, '"row"'));
    let result: SimulationResult | undefined;
    if (data.result !== undefined) {
      try {
        result = parseResult(JSON.stringify(data.result));
      } catch (e) {
        throw new ShapeError(`"result": ${(e as Error).message}`);
      }
    }
    if (r.status === 'done' && !result) throw new ShapeError('a done point needs its "result"');
    return { sweep, index: idx, name, params, row: r, result };
  });
}

/** Why a point file does not belong to `sweep`, or undefined when it does. */
export function pointMismatch(sweep: SweepResult, point: SweepPointFile): string | undefined {
  if (point.sweep !== sweep.sweep) return `it belongs to sweep ${point.sweep}, the sweep shown is ${sweep.sweep}`;
  if (point.index >= sweep.points) return `its index ${point.index} is past the sweep's ${sweep.points} points`;
  const expected = gridParams(sweep.grid, sweep.mode)[point.index];
  const keys = Object.keys(expected);
  if (Object.keys(point.params).length !== keys.length || keys.some((k) => point.params[k] !== expected[k])) {
    return `its parameters are not those of point ${point.index} of the sweep`;
  }
  return undefined;
}
