/**
 * Reads a result JSON made by the CLI (a run or a study) back into the
 * dashboard: checks its whole shape before anything is drawn, and fills the
 * config's defaults as the engine would.
 *
 * The file may come from anyone (a lab page embeds the dashboard), so
 * nothing in it is trusted: it is refused above MAX_IMPORT_BYTES, every
 * series must be an array of numbers of the right length, every string the
 * page shows is a string (Lit and uPlot write them as text, never as HTML),
 * and what is refused says which key is wrong.
 */

import { resolvedConfig } from '../model/basis.js';
import { parseRunConfig } from '../model/config.js';
import type { EntanglementSeries } from '../model/entanglement.js';
import type { SimulationResult } from '../model/result.js';
import {
  FIG2A_STATES, FIG2B_STATES, FIG3_SD_TERMS, FIG3_STARTS, LENGTH_STATES, SPIN_STATES, STUDY_NAMES, type StudyResult,
} from '../studies/study-result.js';
import { isStudyResult, type AnyResult } from './protocol.js';
import type { SweepResult } from '../sweeps/run-sweep.js';
import { parsePointObject, parseSweepObject, POINT_KIND, SWEEP_KIND, type SweepPointFile } from './sweep-import.js';

/**
 * Largest file the dashboard imports. The paper's default run writes about
 * 0.7 MB and a 4096-angle fig4 about 15 MB; past this, parsing and drawing
 * would stall the page.
 */
export const MAX_IMPORT_BYTES = 64 * 2 ** 20;

/** A result file that cannot be shown, and why. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** Refuses a file by its size before it is read. */
export function checkImportSize(bytes: number): void {
  if (bytes > MAX_IMPORT_BYTES) {
    throw new ImportError(
      `the file is ${(bytes / 2 ** 20).toFixed(1)} MiB; the dashboard imports results up to ${MAX_IMPORT_BYTES / 2 ** 20} MiB`,
    );
  }
}

// JSON writes NaN and the infinities as null: a null entry is a number the run could not compute.
const isNumber = (x: unknown): boolean => typeof x === 'number' || x === null;

function numbers(o: Record<string, unknown>, key: string, length?: number, where = ''): number[] {
  const v = o[key];
  if (!Array.isArray(v) || !v.every(isNumber)) throw new ImportError(`"${where}${key}" must be an array of numbers`);
  if (length !== undefined && v.length !== length) throw new ImportError(`"${where}${key}" has ${v.length} entries, "t" has ${length}`);
  return v as number[];
}

function rows(o: Record<string, unknown>, key: string, count: number, width: number, where = ''): number[][] {
  const v = o[key];
  if (!Array.isArray(v) || v.length !== count) throw new ImportError(`"${where}${key}" must hold one row per output time (${count})`);
  v.forEach((row, k) => {
    if (!Array.isArray(row) || row.length !== width || !row.every(isNumber)) {
      throw new ImportError(`"${where}${key}[${k}]" must be an array of ${width} numbers`);
    }
  });
  return v as number[][];
}

/**
 * The entanglement observables (README, "The result"), checked as every
 * other series: the concurrence one number per output time (where given),
 * the chain entropy one number per entry of chainEntropyTimes, each of them
 * an output time of "t", one row of L − 1 correlations per output time, the
 * note a string. Only these fields are kept.
 */
function entanglementOf(o: Record<string, unknown>, t: number[], L: number): EntanglementSeries | undefined {
  if (o.entanglement === undefined) return undefined;
  const e = object(o, 'entanglement');
  const where = 'entanglement.';
  const n = t.length;
  const out: EntanglementSeries = {
    ...(e.concurrence !== undefined ? { concurrence: numbers(e, 'concurrence', n, where) } : {}),
    chainEntropy: numbers(e, 'chainEntropy', undefined, where),
    chainEntropyTimes: numbers(e, 'chainEntropyTimes', undefined, where),
    szCorrelations: rows(e, 'szCorrelations', n, Math.max(0, L - 1), where),
  };
  if (out.chainEntropy.length !== out.chainEntropyTimes.length) {
    throw new ImportError(`"entanglement.chainEntropy" has ${out.chainEntropy.length} entries, "entanglement.chainEntropyTimes" has ${out.chainEntropyTimes.length}`);
  }
  const times = new Set(t.map((v) => Math.round(v * 1e9)));
  out.chainEntropyTimes.forEach((v, i) => {
    if (typeof v !== 'number' || !times.has(Math.round(v * 1e9))) {
      throw new ImportError(`"entanglement.chainEntropyTimes[${i}]" = ${JSON.stringify(v)} is not an output time of "t"`);
    }
  });
  if (e.note !== undefined) {
    if (typeof e.note !== 'string') throw new ImportError('"entanglement.note" must be a string');
    out.note = e.note.slice(0, 300);
  }
  return out;
}

function object(o: Record<string, unknown>, key: string, where = ''): Record<string, unknown> {
  const v = o[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ImportError(`"${where}${key}" must be an object`);
  return v as Record<string, unknown>;
}

function intervals(o: Record<string, unknown>): [number, number][] {
  const v = o.chainIntervals;
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number'))) {
    throw new ImportError('"chainIntervals" must be a list of [start, end] pairs of numbers');
  }
  return v as [number, number][];
}

/** backend, precision, timing, warnings: shown as text, so only their types matter; absent ones get neutral values. */
function header(o: Record<string, unknown>) {
  const str = (key: string, fallback: string) => {
    if (o[key] === undefined) return fallback;
    if (typeof o[key] !== 'string') throw new ImportError(`"${key}" must be a string`);
    return (o[key] as string).slice(0, 200);
  };
  const timing = o.timing === undefined ? { seconds: 0, matvecs: 0 } : object(o, 'timing');
  const seconds = timing.seconds ?? 0, matvecs = timing.matvecs ?? 0;
  if (typeof seconds !== 'number' || typeof matvecs !== 'number') throw new ImportError('"timing" must hold the numbers seconds and matvecs');
  const precision = str('precision', 'f64');
  if (precision !== 'f64' && precision !== 'f32') throw new ImportError('"precision" must be "f64" or "f32"');
  return { backend: str('backend', 'unknown'), precision: precision as 'f64' | 'f32', timing: { seconds, matvecs } };
}

function warningsOf(o: Record<string, unknown>): string[] {
  const v = o.warnings;
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((w) => typeof w === 'string')) throw new ImportError('"warnings" must be a list of strings');
  return v as string[];
}

function checkStudy(o: Record<string, unknown>, study: StudyResult['study']): void {
  if (!Array.isArray(o.runs) || !o.runs.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    throw new ImportError(`a ${study} result needs "runs", a list of run records`);
  }
  switch (study) {
    case 'fig2a': {
      const n = numbers(o, 't').length;
      const series = object(o, 'series');
      for (const s of FIG2A_STATES) numbers(series, s, n, 'series.');
      intervals(o);
      break;
    }
    case 'fig2b': {
      const n = numbers(o, 'd').length;
      const final = object(o, 'final');
      for (const s of FIG2B_STATES) {
        const v = numbers(final, s, undefined, 'final.');
        if (v.length !== n) throw new ImportError(`"final.${s}" has ${v.length} entries, "d" has ${n}`);
      }
      break;
    }
    case 'fig3': {
      const n = numbers(o, 't').length;
      const panels = object(o, 'panels');
      for (const sd of FIG3_SD_TERMS) {
        const panel = object(panels, sd, 'panels.');
        for (const start of FIG3_STARTS) {
          const p = object(panel, start, `panels.${sd}.`);
          for (const chi of ['S', 'T0', 'T+', 'T-']) numbers(p, chi, n, `panels.${sd}.${start}.`);
        }
      }
      break;
    }
    case 'fig4': {
      const n = numbers(o, 't').length;
      const k = numbers(o, 'theta').length;
      if (numbers(o, 'final').length !== k) throw new ImportError('"final" must hold one number per theta');
      numbers(o, 'average', n);
      numbers(o, 'single', n);
      rows(o, 'series', k, n);
      const fit = object(o, 'fit');
      for (const key of ['C', 'D', 'phi0', 'rms']) if (!isNumber(fit[key])) throw new ImportError(`"fit.${key}" must be a number`);
      break;
    }
    case 'length': {
      const n = numbers(o, 'L').length;
      const final = object(o, 'final');
      for (const s of LENGTH_STATES) {
        const v = numbers(final, s, undefined, 'final.');
        if (v.length !== n) throw new ImportError(`"final.${s}" has ${v.length} entries, "L" has ${n}`);
      }
      const geometry = o.geometry;
      const keys = ['L', 'spinStart', 'x2', 'tEnd', 'tLeave', 'tReturn'];
      if (!Array.isArray(geometry) || geometry.length !== n || !geometry.every((g) => typeof g === 'object' && g !== null && keys.every((k) => isNumber((g as Record<string, unknown>)[k])))) {
        throw new ImportError(`"geometry" must hold one {${keys.join(', ')}} of numbers per L`);
      }
      break;
    }
    case 'spin': {
      const n = numbers(o, 'S').length;
      const final = object(o, 'final');
      for (const s of SPIN_STATES) {
        const v = numbers(final, s, undefined, 'final.');
        if (v.length !== n) throw new ImportError(`"final.${s}" has ${v.length} entries, "S" has ${n}`);
      }
      numbers(o, 'Jsd', n);
      numbers(o, 'Jex', n);
      if (o.scaling !== 'fixed' && o.scaling !== 'classical') throw new ImportError('"scaling" must be "fixed" or "classical"');
      break;
    }
  }
}

export function parseResultJson(text: string): AnyResult {
  checkImportSize(text.length);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ImportError(`not JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ImportError('a result must be a JSON object');
  const o = data as Record<string, unknown>;
  const config = parseRunConfig(o.config ?? {});
  if (o.study !== undefined) {
    if (typeof o.study !== 'string' || !(STUDY_NAMES as readonly string[]).includes(o.study)) {
      throw new ImportError(`unknown study ${JSON.stringify(o.study).slice(0, 80)}; known: ${STUDY_NAMES.join(', ')}`);
    }
    const study = o.study as StudyResult['study'];
    checkStudy(o, study);
    return { ...(o as unknown as StudyResult), ...header(o), config };
  }
  if (!Array.isArray(o.t)) throw new ImportError('neither a run result nor a study result: "t" must be an array of numbers');
  const t = numbers(o, 't');
  const n = t.length;
  if (n === 0) throw new ImportError('"t" is empty: a result has at least the output time 0');
  for (const key of ['norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz']) numbers(o, key, n);
  rows(o, 'SzSites', n, config.L);
  rows(o, 'density', n, config.N);
  if (o.probabilities !== undefined) {
    const p = object(o, 'probabilities');
    for (const chi of ['S', 'T0', 'T+', 'T-']) numbers(p, chi, n, 'probabilities.');
  }
  if (o.dim !== undefined && typeof o.dim !== 'number') throw new ImportError('"dim" must be a number');
  const entanglement = entanglementOf(o, t, config.L);
  return {
    ...(o as unknown as SimulationResult),
    ...(entanglement ? { entanglement } : {}),
    ...header(o),
    // A run's result records the basis it used; one written before the key existed ran in the full basis.
    config: resolvedConfig(config, 'full'),
    chainIntervals: intervals(o),
    warnings: warningsOf(o),
  };
}

/** What an imported file holds: a run's or a study's result, a sweep's table, or one point of a sweep. */
export type ImportedFile =
  | { kind: 'result'; result: AnyResult }
  | { kind: 'sweep'; sweep: SweepResult }
  | { kind: 'point'; point: SweepPointFile };

/** Reads any file the dashboard imports: a sweep's files are recognised by their "kind". */
export function parseImportJson(text: string): ImportedFile {
  checkImportSize(text.length);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ImportError(`not JSON: ${(err as Error).message}`);
  }
  const kind = typeof data === 'object' && data !== null ? (data as { kind?: unknown }).kind : undefined;
  if (kind === SWEEP_KIND) return { kind: 'sweep', sweep: parseSweepObject(data) };
  if (kind === POINT_KIND) {
    return {
      kind: 'point',
      point: parsePointObject(data, (json) => {
        const r = parseResultJson(json);
        if (isStudyResult(r)) throw new ImportError('a point holds a run result, not a study');
        return r;
      }),
    };
  }
  return { kind: 'result', result: parseResultJson(text) };
}
