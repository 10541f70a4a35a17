/**
 * Paper Fig. 2b: the final spin transfer against the packet distance d, from
 * a singlet, a T0 and a T- start (MODEL.md, Studies). Only d changes: the
 * leading packet stays at x2, the trailing one moves to x2 - d.
 *
 * A sweep: the grid {d: distances, state: [singlet, T0, T-]} over the base
 * config (d slowest), so it resumes, shards and runs on Slurm as any sweep.
 */

import { parseRunConfig, type RunConfig } from '../model/config.js';
import { planSweep, type SweepRow } from '../sweeps/run-sweep.js';
import { completeRows, recordOfRow, type SweepStudyPlan } from './study-sweep.js';
import { FIG2B_STATES, studyHeader, type Fig2bResult, type Fig2bState } from './study-result.js';

/** `baseInput`: the base config as written (keys left out follow each point's d and state as in any sweep). */
export function planFig2b(baseInput: Partial<RunConfig>, distances: readonly number[]): SweepStudyPlan<Fig2bResult> {
  if (distances.length === 0) throw new RangeError('fig2b needs at least one distance d');
  const base = parseRunConfig(baseInput);
  // Every point is checked here, before the first run: a bad d fails now, not an hour in.
  const sweep = planSweep({ base: baseInput, grid: { d: [...distances], state: [...FIG2B_STATES] }, mode: 'product' });
  const label = (params: SweepRow['params']): string => `d=${params.d} ${params.state}`;
  return {
    study: 'fig2b',
    sweep,
    label,
    assemble(table, resumed) {
      const rows = completeRows(table);
      const final = {} as Record<Fig2bState, number[]>;
      FIG2B_STATES.forEach((state, s) => {
        final[state] = distances.map((_, i) => rows[i * FIG2B_STATES.length + s].finalDeltaSigmaZ!);
      });
      const runs = rows.map((r) => recordOfRow(label(r.params), r, resumed?.has(r.index) ?? false));
      return { ...studyHeader('fig2b', base, runs), d: [...distances], final };
    },
  };
}
