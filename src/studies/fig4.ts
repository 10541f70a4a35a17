/**
 * Paper Fig. 4: the final spin transfer of the phase state against theta
 * (4a), and its theta average, the incoherent state, against one spin-down
 * electron (4b). All K angles come from one theta sweep: two propagations
 * and their cross terms (MODEL.md, Studies), whatever K is.
 */

import { ConfigError, outputTimes, type RunConfig } from '../model/config.js';
import { assertInitialStateExists } from '../model/initial-state.js';
import { fitCosine } from './cosine-fit.js';
import { jobCost, jobKey, recordOf, type Job, type JobOutcome, type JobRecord } from './jobs.js';
import type { StudyPlan } from './plan.js';
import { simulateJob, type BackendRequest, type SeriesOutcome } from './simulate-job.js';
import { studyHeader, type Fig4Result } from './study-result.js';
import { equallySpacedAngles, thetaSweep } from './theta-sweep.js';

/** The fit needs three angles; beyond a few thousand the figure gains nothing. */
export const FIG4_POINTS_RANGE = { min: 3, max: 4096 } as const;

interface SweepOutcome extends JobOutcome {
  series: number[][];
}

export function planFig4(base: RunConfig, points: number, request: BackendRequest): StudyPlan<Fig4Result> {
  if (!Number.isInteger(points) || points < FIG4_POINTS_RANGE.min || points > FIG4_POINTS_RANGE.max) {
    throw new ConfigError('points', points, `an integer ${FIG4_POINTS_RANGE.min} … ${FIG4_POINTS_RANGE.max}`, undefined, 'fig4 option');
  }
  const theta = equallySpacedAngles(points);
  const pairConfig: RunConfig = { ...base, state: 'theta', theta: 0 };
  // Before any run: the phase state vanishes where it is T0 and the packets coincide (d = 0).
  assertInitialStateExists({ ...pairConfig, theta: theta.reduce((a, b) => (Math.cos(b) < Math.cos(a) ? b : a)) });
  const sweep: Job<SweepOutcome> = {
    label: `theta x${points}`,
    cost: jobCost(pairConfig, 2),
    key: jobKey('fig4', 'theta', { config: pairConfig, points, backend: request.backend ?? 'auto' }),
    async run(context) {
      const s = await thetaSweep(pairConfig, theta, { ...request, ...context });
      // The sweep's record: the worst drift over the angles.
      const records = s.results.map((r) => recordOf('theta', r, s.timing));
      const worst = (key: 'normDrift' | 'energyDrift' | 'totalSzDrift') => Math.max(...records.map((r) => r[key]));
      const record: JobRecord = {
        ...records[0],
        label: `theta x${points} (two propagations)`,
        normDrift: worst('normDrift'),
        energyDrift: worst('energyDrift'),
        totalSzDrift: worst('totalSzDrift'),
      };
      return { record, series: s.results.map((r) => r.deltaSigmaZ) };
    },
  };
  const single = simulateJob('fig4', 'single', { ...base, state: 'single', singleSpin: 'down' }, request);
  return {
    jobs: [sweep, single],
    assemble(outcomes) {
      const [s, one] = outcomes as [SweepOutcome, SeriesOutcome];
      const t = Array.from(outputTimes(base));
      const final = s.series.map((series) => series.at(-1)!);
      const average = t.map((_, k) => s.series.reduce((sum, series) => sum + series[k], 0) / points);
      return {
        ...studyHeader('fig4', base, [s.record, one.record]),
        theta,
        final,
        t,
        series: s.series,
        average,
        single: one.deltaSigmaZ,
        fit: fitCosine(theta, final),
      };
    },
  };
}
