/**
 * Paper Fig. 3: the singlet and triplet probabilities against time, from a
 * singlet and from a T0 start, with only the zz part of the sd exchange, only
 * its flip part, and the full term (MODEL.md, Studies).
 */

import { outputTimes, type RunConfig } from '../model/config.js';
import { assertInitialStateExists } from '../model/initial-state.js';
import type { StudyPlan } from './plan.js';
import { simulateJob, type BackendRequest, type SeriesOutcome } from './simulate-job.js';
import {
  FIG3_SD_TERMS, FIG3_STARTS, studyHeader, type Fig3Result, type Fig3SdTerms, type Fig3Start, type ProbabilitySeries,
} from './study-result.js';

export function planFig3(base: RunConfig, request: BackendRequest): StudyPlan<Fig3Result> {
  const configs = FIG3_SD_TERMS.flatMap((sdTerms) => FIG3_STARTS.map((state) => ({ ...base, sdTerms, state })));
  for (const c of configs) assertInitialStateExists(c);
  return {
    jobs: configs.map((config) => simulateJob('fig3', `${config.sdTerms} ${config.state}`, config, request)),
    assemble(outcomes) {
      const runs = outcomes as SeriesOutcome[];
      const panels = {} as Record<Fig3SdTerms, Record<Fig3Start, ProbabilitySeries>>;
      FIG3_SD_TERMS.forEach((sd, i) => {
        panels[sd] = {} as Record<Fig3Start, ProbabilitySeries>;
        FIG3_STARTS.forEach((start, j) => (panels[sd][start] = runs[i * FIG3_STARTS.length + j].probabilities!));
      });
      return { ...studyHeader('fig3', base, runs.map((r) => r.record)), t: Array.from(outputTimes(base)), panels };
    },
  };
}
