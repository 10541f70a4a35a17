/**
 * The studies that are sweeps: fig2b (d x state) and the chain-length study
 * (L x state, with the chain's place, the packets' and tEnd derived per L).
 * Their points run through the sweep machinery (runSweep: the same store,
 * resume, shards, Slurm and checkpoints as `spin-transfer sweep`), and the
 * study's JSON is assembled from the sweep's table, whose rows hold every
 * number a study of final values needs.
 */

import type { SweepPlan, SweepResult, SweepRow } from '../sweeps/run-sweep.js';
import type { JobRecord } from './jobs.js';

/** A study as a sweep plan and the function that turns the complete table into the study's JSON. */
export interface SweepStudyPlan<R> {
  study: 'fig2b' | 'length' | 'spin';
  sweep: SweepPlan;
  /** A point's name in the study's run records and progress: "d=20 T0", "L=8 single down". */
  label(params: SweepRow['params']): string;
  /**
   * The study's JSON from a complete table (throws if a point is missing or
   * failed). `resumed`: indices of the points taken from an earlier attempt,
   * marked so in the study's run records.
   */
  assemble(table: SweepResult, resumed?: ReadonlySet<number>): R;
}

/** The names of the studies that run as sweeps. */
export const SWEEP_STUDIES = ['fig2b', 'length', 'spin'] as const;
export type SweepStudyName = (typeof SWEEP_STUDIES)[number];

export function isSweepStudy(name: string): name is SweepStudyName {
  return (SWEEP_STUDIES as readonly string[]).includes(name);
}

/** The rows of a complete table, in point order; throws naming what is missing or failed. */
export function completeRows(table: SweepResult): SweepRow[] {
  if (!table.complete) {
    const missing = [...table.failed.map((f) => `${f.name} (failed: ${f.error})`), ...table.missing.map((m) => `${m.name} (missing)`)];
    throw new Error(`the study's sweep is incomplete: ${missing.join(', ')}`);
  }
  return table.rows;
}

/** A study's run record from a point's row (seconds: the point's wall time). */
export function recordOfRow(label: string, row: SweepRow, resumed: boolean): JobRecord {
  const record: JobRecord = {
    label,
    backend: row.backend ?? 'none',
    precision: row.precision ?? 'f64',
    seconds: row.wallSeconds,
    matvecs: row.matvecs ?? 0,
    normDrift: row.normDrift ?? NaN,
    energyDrift: row.energyDrift ?? NaN,
    totalSzDrift: row.totalSzDrift ?? NaN,
  };
  if (resumed) record.resumed = true;
  return record;
}
