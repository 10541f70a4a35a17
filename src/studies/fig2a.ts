/**
 * Paper Fig. 2a: Delta sigma_z(t) from each two-electron spin state and from
 * one spin-down electron, all with the base config's packets and chain
 * (MODEL.md, Studies). T+ is included: it must give 0 (total S_z is already maximal).
 */

import type { RunConfig } from '../model/config.js';
import { chainIntervals } from '../model/observables.js';
import { outputTimes } from '../model/config.js';
import type { StudyPlan } from './plan.js';
import { simulateJob, type BackendRequest, type SeriesOutcome } from './simulate-job.js';
import { FIG2A_STATES, studyHeader, type Fig2aResult, type Fig2aState } from './study-result.js';

export function planFig2a(base: RunConfig, request: BackendRequest): StudyPlan<Fig2aResult> {
  // MODEL.md: the one-electron curve is the single spin-down, whatever the base says.
  const configs = FIG2A_STATES.map((state) => ({ ...base, state, ...(state === 'single' ? { singleSpin: 'down' as const } : {}) }));
  return {
    jobs: configs.map((config) => simulateJob('fig2a', config.state, config, request)),
    assemble(outcomes) {
      const runs = outcomes as SeriesOutcome[];
      const series = {} as Record<Fig2aState, number[]>;
      FIG2A_STATES.forEach((state, i) => (series[state] = runs[i].deltaSigmaZ));
      return {
        ...studyHeader('fig2a', base, runs.map((r) => r.record)),
        t: Array.from(outputTimes(base)),
        series,
        // The paper shades the two packets of the pair.
        chainIntervals: chainIntervals({ ...base, state: 'singlet' }),
      };
    },
  };
}
