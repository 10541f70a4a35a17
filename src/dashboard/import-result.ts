/**
 * Reads a result JSON made by the CLI (a run or a study) back into the
 * dashboard: checks its shape before anything is drawn, and fills the
 * config's defaults as the engine would.
 */

import { parseRunConfig } from '../model/config.js';
import type { SimulationResult } from '../model/result.js';
import { STUDY_NAMES, type StudyResult } from '../studies/study-result.js';
import { isStudyResult, type AnyResult } from './protocol.js';
import type { SweepResult } from '../sweeps/run-sweep.js';
import { parsePointObject, parseSweepObject, POINT_KIND, SWEEP_KIND, type SweepPointFile } from './sweep-import.js';

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null);

/** What each study's JSON must hold (INTERFACE.md, Studies). */
const STUDY_KEYS: Record<StudyResult['study'], string[]> = {
  fig2a: ['t', 'series', 'chainIntervals'],
  fig2b: ['d', 'final'],
  fig3: ['t', 'panels'],
  fig4: ['theta', 'final', 't', 'series', 'average', 'single', 'fit'],
  length: ['L', 'final', 'geometry'],
};

export function parseResultJson(text: string): AnyResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('a result must be a JSON object');
  const o = data as Record<string, unknown>;
  const config = parseRunConfig(o.config ?? {});
  if (typeof o.study === 'string') {
    if (!(STUDY_NAMES as readonly string[]).includes(o.study)) throw new Error(`unknown study "${o.study}"; known: ${STUDY_NAMES.join(', ')}`);
    const missing = STUDY_KEYS[o.study as StudyResult['study']].filter((k) => o[k] === undefined);
    if (missing.length) throw new Error(`a ${o.study} result needs ${missing.join(', ')}`);
    return { ...(o as unknown as StudyResult), config };
  }
  const needed = ['t', 'norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz'];
  const bad = needed.filter((k) => !isNumbers(o[k]));
  if (bad.length) throw new Error(`neither a run result nor a study result: ${bad.join(', ')} must be arrays of numbers`);
  const t = o.t as number[];
  for (const k of needed) if ((o[k] as number[]).length !== t.length) throw new Error(`"${k}" has ${(o[k] as number[]).length} entries, "t" has ${t.length}`);
  if (!Array.isArray(o.SzSites) || !Array.isArray(o.density)) throw new Error('a run result needs SzSites and density');
  return {
    ...(o as unknown as SimulationResult),
    config,
    chainIntervals: Array.isArray(o.chainIntervals) ? (o.chainIntervals as [number, number][]) : [],
    backend: typeof o.backend === 'string' ? o.backend : 'unknown',
  };
}

/** What an imported file holds: a run's or a study's result, a sweep's table, or one point of a sweep. */
export type ImportedFile =
  | { kind: 'result'; result: AnyResult }
  | { kind: 'sweep'; sweep: SweepResult }
  | { kind: 'point'; point: SweepPointFile };

/** Reads any file the dashboard imports: a sweep's files are recognised by their "kind". */
export function parseImportJson(text: string): ImportedFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`);
  }
  const kind = typeof data === 'object' && data !== null ? (data as { kind?: unknown }).kind : undefined;
  if (kind === SWEEP_KIND) return { kind: 'sweep', sweep: parseSweepObject(data) };
  if (kind === POINT_KIND) {
    return {
      kind: 'point',
      point: parsePointObject(data, (json) => {
        const r = parseResultJson(json);
        if (isStudyResult(r)) throw new Error('a point holds a run result, not a study');
        return r;
      }),
    };
  }
  return { kind: 'result', result: parseResultJson(text) };
}
