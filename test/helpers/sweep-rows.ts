/** Sweep tables compared across runs: everything but the wall time, which no two runs share. */
import type { SweepRow } from '../../src/sweeps/run-sweep.js';

export function comparable(rows: readonly SweepRow[]): Omit<SweepRow, 'wallSeconds'>[] {
  return rows.map(({ wallSeconds: _, ...rest }) => rest);
}
