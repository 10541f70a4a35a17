/**
 * A sweep on disk. DIR/sweep-spec.json names the sweep (its id, base, grid,
 * mode: itself a sweep file); DIR/points/NAME.json holds one point, written
 * atomically the moment it finishes: its row, its config and, when done, its
 * full result (a failed point keeps its error). Shards of one sweep may write
 * into one shared DIR; a file of another sweep (another id) is never taken.
 */

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulationResult } from '../model/result.js';
import type { SweepPoint } from '../sweeps/grid.js';
import type { SweepPlan, SweepRow, SweepStore } from '../sweeps/run-sweep.js';
import { InputError } from './errors.js';
import { writeFileAtomic } from './write-result.js';

export const SPEC_FILE = 'sweep-spec.json';
export const POINTS_DIR = 'points';

export interface PointFile {
  kind: 'spin-transfer sweep point';
  sweep: string;
  index: number;
  name: string;
  params: SweepPoint['params'];
  config: SweepPoint['config'];
  row: SweepRow;
  result?: SimulationResult;
}

export interface SpecFile {
  kind: 'spin-transfer sweep file';
  sweep: string;
  base: SweepPlan['spec']['base'];
  grid: SweepPlan['spec']['grid'];
  mode: SweepPlan['spec']['mode'];
  /** Per point, the keys it derives besides its grid parameters (a study's geometry). */
  derived?: SweepPlan['spec']['derived'];
  /** The study this sweep is (fig2b, length): merge then writes the study's files too, into the folder above. */
  study?: string;
}

export function pointPath(dir: string, point: Pick<SweepPoint, 'name'>): string {
  return join(dir, POINTS_DIR, `${point.name}.json`);
}

export function directorySweepStore(dir: string, id: string): SweepStore & { readFile(point: SweepPoint): Promise<string | undefined> } {
  let made = false;
  const read = async (point: SweepPoint): Promise<{ text: string; file: PointFile } | undefined> => {
    try {
      const text = await readFile(pointPath(dir, point), 'utf8');
      const file = JSON.parse(text) as PointFile;
      return file.sweep === id && file.index === point.index && file.row?.index === point.index ? { text, file } : undefined;
    } catch {
      // Missing, or cut short by a crash between write and rename (never: writes are atomic) or by hand: not done.
      return undefined;
    }
  };
  return {
    async get(point) {
      return (await read(point))?.file.row;
    },
    async readFile(point) {
      return (await read(point))?.text;
    },
    async put(point, row, result) {
      if (!made) await mkdir(join(dir, POINTS_DIR), { recursive: true });
      made = true;
      const file: PointFile = {
        kind: 'spin-transfer sweep point', sweep: id, index: point.index, name: point.name, params: point.params, config: point.config, row,
      };
      if (result) file.result = result;
      await writeFileAtomic(pointPath(dir, point), `${JSON.stringify(file)}\n`);
    },
  };
}

export function specFileOf(plan: SweepPlan, study?: string): SpecFile {
  const file: SpecFile = { kind: 'spin-transfer sweep file', sweep: plan.id, base: plan.spec.base, grid: plan.spec.grid, mode: plan.spec.mode };
  if (study !== undefined) file.study = study;
  if (plan.spec.derived !== undefined) file.derived = plan.spec.derived;
  return file;
}

/** Where a running point keeps its checkpoint: DIR/points/.NAME.checkpoint (hidden: not a point file). */
export function checkpointPath(dir: string, point: Pick<SweepPoint, 'name'>): string {
  return join(dir, POINTS_DIR, `.${point.name}.checkpoint`);
}

/** The sweep a folder holds, or undefined for a folder that holds none yet. */
export async function readSpecFile(dir: string): Promise<SpecFile | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, SPEC_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as SpecFile;
  } catch (e) {
    throw new InputError(`${join(dir, SPEC_FILE)} is not valid JSON (${(e as Error).message}); delete it or the folder to start fresh`, { cause: e });
  }
}

/**
 * Claims DIR for this sweep: writes its spec file, or checks that the one
 * there is the same sweep. A folder of another sweep is refused, so old and
 * new points never mix.
 */
export async function claimFolder(dir: string, plan: SweepPlan, study?: string): Promise<void> {
  const existing = await readSpecFile(dir);
  if (existing && existing.sweep !== plan.id) {
    throw new InputError(
      `${dir} holds another sweep (${existing.sweep}; this one is ${plan.id}): its grid or base config differ, and old and new points ` +
        `must not mix. To resume that sweep, run it with its own arguments (or 'spin-transfer sweep ${join(dir, SPEC_FILE)} --out ${dir}'); ` +
        `to start fresh, choose another --out or delete ${dir}`,
    );
  }
  if (!existing) await writeFileAtomic(join(dir, SPEC_FILE), `${JSON.stringify(specFileOf(plan, study), null, 2)}\n`);
}
