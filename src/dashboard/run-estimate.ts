/**
 * What the run the Run button would start costs here, before it starts: its
 * predicted wall time (a single run, or every run of a study that is a sweep
 * of points: Fig. 2b and the chain length) and its largest run's memory, in
 * the basis it will use (run-basis.ts; the state size and memory under the
 * form use the same). Pure functions: tested in Node.
 */

import { presumedBasis, withPresumedBasis } from '../model/basis.js';
import { parseRunConfig, type Basis, type RunConfig } from '../model/config.js';
import { memoryEstimate } from '../simulate.js';
import { planStudy } from '../studies/run-study.js';
import { describeParams } from '../sweeps/grid.js';
import type { StudyName } from '../studies/study-result.js';
import { isSweepStudy } from '../studies/study-sweep.js';
import { predictRuns, type Calibration, type RunsCost } from './sweep-form.js';

export interface RunEstimate extends RunsCost {
  /** Runs counted. */
  runs: number;
  /** The basis of the runs. */
  runBasis: Basis;
  /** The run that needs the most memory (memoryEstimate): its bytes and, in a study, its parameters ("L=64, state=T-"). */
  largest: { bytes: number; label?: string };
}

/**
 * The predicted time of one run of `input`, or of the study `study` on it
 * as its base (sweep studies only: their points are known before they run;
 * undefined for the others). `input` must already carry the run's basis
 * (withRunBasis). Throws the ConfigError of an invalid config or study.
 */
export function estimateRun(input: Record<string, unknown>, study: StudyName | undefined, options: { d?: number[]; L?: number[] }, calibration?: Calibration): RunEstimate | undefined {
  let runs: { config: RunConfig; label?: string }[];
  if (!study) runs = [{ config: parseRunConfig(input) }];
  else if (isSweepStudy(study)) {
    const plan = planStudy(study, input, study === 'length' ? { L: options.L } : { d: options.d });
    runs = 'sweep' in plan ? plan.sweep.points.map((p) => ({ config: p.config, label: describeParams(p.params) })) : [];
  } else return undefined;
  if (!runs.length) return undefined;
  let largest: RunEstimate['largest'] = { bytes: 0 };
  for (const r of runs) {
    const bytes = memoryEstimate(withPresumedBasis(r.config));
    if (bytes > largest.bytes) largest = { bytes, label: r.label };
  }
  return { ...predictRuns(runs.map((r) => r.config), calibration), runs: runs.length, runBasis: presumedBasis(runs[0].config), largest };
}
