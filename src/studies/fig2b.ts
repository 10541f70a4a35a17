/**
 * Paper Fig. 2b: the final spin transfer against the packet distance d, from
 * a singlet, a T0 and a T- start (MODEL.md, Studies). Only d changes: the
 * leading packet stays at x2, the trailing one moves to x2 - d.
 */

import { ConfigError, parseRunConfig, type RunConfig } from '../model/config.js';
import { assertInitialStateExists } from '../model/initial-state.js';
import type { StudyPlan } from './plan.js';
import { simulateJob, type BackendRequest, type SeriesOutcome } from './simulate-job.js';
import { FIG2B_STATES, studyHeader, type Fig2bResult, type Fig2bState } from './study-result.js';

/** Three runs per distance: a thousand distances is already a day of runs at the paper's size. */
export const FIG2B_MAX_DISTANCES = 1000;

export function planFig2b(base: RunConfig, distances: readonly number[], request: BackendRequest): StudyPlan<Fig2bResult> {
  if (!Array.isArray(distances) || distances.length === 0 || distances.length > FIG2B_MAX_DISTANCES) {
    throw new ConfigError('d', distances, `a list of 1 … ${FIG2B_MAX_DISTANCES} distances, each a number >= 0`, undefined, 'fig2b option');
  }
  // Every config is checked before the first run: a bad d fails now, not an hour in.
  const configs = distances.flatMap((d) =>
    FIG2B_STATES.map((state) => {
      const config = parseRunConfig({ ...base, d, state });
      assertInitialStateExists(config);
      return config;
    }),
  );
  return {
    jobs: configs.map((config) => simulateJob('fig2b', `d=${config.d} ${config.state}`, config, request)),
    assemble(outcomes) {
      const runs = outcomes as SeriesOutcome[];
      const final = {} as Record<Fig2bState, number[]>;
      FIG2B_STATES.forEach((state, s) => {
        final[state] = distances.map((_, i) => runs[i * FIG2B_STATES.length + s].deltaSigmaZ.at(-1)!);
      });
      return { ...studyHeader('fig2b', base, runs.map((r) => r.record)), d: [...distances], final };
    },
  };
}
