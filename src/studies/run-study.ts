/**
 * runStudy(): the paper's studies from the library, the CLI and the
 * dashboard. The base config is validated, every derived config is checked,
 * then the jobs run one after another with one progress callback; a cache
 * (the CLI's is a folder) lets an interrupted study resume.
 */

import { parseRunConfig, type RunConfig } from '../model/config.js';
import { planFig2a } from './fig2a.js';
import { planFig2b } from './fig2b.js';
import { planFig3 } from './fig3.js';
import { FIG4_POINTS_RANGE, planFig4 } from './fig4.js';
import { planLength } from './length.js';
import { runJobs, type JobOutcome, type RunCache, type StudyProgress } from './jobs.js';
import type { StudyPlan } from './plan.js';
import {
  DEFAULT_FIG2B_DISTANCES, DEFAULT_FIG4_POINTS, DEFAULT_LENGTHS, STUDY_NAMES,
  type Fig2aResult, type Fig2bResult, type Fig3Result, type Fig4Result, type LengthResult, type StudyName, type StudyResult,
} from './study-result.js';

export interface StudyOptions {
  /** Backend name for every run (default "auto"). */
  backend?: string;
  threads?: number | 'auto';
  signal?: AbortSignal;
  onProgress?: (p: StudyProgress) => void;
  /** Told which backend runs and why, when the first run starts. */
  onBackend?: (name: string, description: string, reason: string) => void;
  /** fig2b: the packet distances (default 10, 20, … 60). */
  d?: readonly number[];
  /** fig4: the number of equally spaced angles in [0, 2 pi) (default 16). */
  points?: number;
  /**
   * length: the chain lengths (default 2, 4, 8, 16, 32, 64). The study places
   * the chain and the packets for each L and sets tEnd; a tEnd key in the base
   * config is checked instead.
   */
  L?: readonly number[];
  /** Finished runs are kept here and reused by a later call with the same arguments. */
  cache?: RunCache;
  /**
   * Each run's outcome as soon as it is done: its record (label, backend, time,
   * drifts) and the series it contributes (deltaSigmaZ; probabilities for
   * fig3; series, one per angle, for fig4's sweep).
   */
  onRunDone?: (label: string, outcome: JobOutcome) => void;
}

export interface StudyResults {
  fig2a: Fig2aResult;
  fig2b: Fig2bResult;
  fig3: Fig3Result;
  fig4: Fig4Result;
  length: LengthResult;
}

export function isStudyName(name: string): name is StudyName {
  return (STUDY_NAMES as readonly string[]).includes(name);
}

/** The jobs of a study, every config checked: fails before anything runs. */
export function planStudy<N extends StudyName>(name: N, baseInput: unknown, options: StudyOptions = {}): StudyPlan<StudyResults[N]> {
  if (!isStudyName(name)) throw new RangeError(`unknown study "${name}"; the studies are ${STUDY_NAMES.join(', ')}`);
  const base: RunConfig = parseRunConfig(baseInput);
  const request = { backend: options.backend, threads: options.threads };
  if (options.d !== undefined && name !== 'fig2b') throw new RangeError(`option d belongs to fig2b, not ${name}`);
  if (options.points !== undefined && name !== 'fig4') throw new RangeError(`option points belongs to fig4, not ${name}`);
  if (options.L !== undefined && name !== 'length') throw new RangeError(`option L belongs to the length study, not ${name}`);
  // The length study sets tEnd per L unless the base config names one.
  const givenTEnd = typeof baseInput === 'object' && baseInput !== null && (baseInput as { tEnd?: unknown }).tEnd !== undefined ? base.tEnd : undefined;
  const plans: { [K in StudyName]: () => StudyPlan<StudyResults[K]> } = {
    fig2a: () => planFig2a(base, request),
    fig2b: () => planFig2b(base, options.d ?? DEFAULT_FIG2B_DISTANCES, request),
    fig3: () => planFig3(base, request),
    fig4: () => planFig4(base, options.points ?? DEFAULT_FIG4_POINTS, request),
    length: () => planLength(base, options.L ?? DEFAULT_LENGTHS, request, givenTEnd),
  };
  return plans[name]();
}

export async function runStudy<N extends StudyName>(name: N, baseInput: unknown, options: StudyOptions = {}): Promise<StudyResults[N]> {
  const plan = planStudy(name, baseInput, options);
  const outcomes = await runJobs(plan.jobs, { ...options, onJobDone: options.onRunDone });
  return plan.assemble(outcomes);
}

export { FIG4_POINTS_RANGE };
export type { StudyResult };
