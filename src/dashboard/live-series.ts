/**
 * Partial results while a single run goes: the backend is wrapped so that
 * every reduction it returns is kept, and the kept ones are assembled into
 * the result shape of INTERFACE.md (model/result.ts) for the charts. The
 * physics is untouched: the wrapper only watches what runPropagation gets.
 */

import type { PropagationBackend } from '../backends/backend.js';
import { outputTimes, type RunConfig } from '../model/config.js';
import { layoutForConfig } from '../model/layout.js';
import type { StateReduction } from '../model/observables.js';
import { assembleResult, type SimulationResult } from '../model/result.js';

export interface WatchedBackend {
  backend: PropagationBackend;
  /** The series of every output time reached so far. */
  partial(seconds: number): SimulationResult;
}

export function watchReductions(config: RunConfig, inner: PropagationBackend): WatchedBackend {
  const kept: StateReduction[] = [];
  const t = outputTimes(config);
  const backend: PropagationBackend = {
    get name() {
      return inner.name;
    },
    get precision() {
      return inner.precision;
    },
    get description() {
      return inner.description;
    },
    get preferredOutputsPerExpansion() {
      return inner.preferredOutputsPerExpansion;
    },
    // Without it the wrapper looked like a full-basis-only backend: a sector run was refused on every backend in the tab.
    get bases() {
      return inner.bases;
    },
    load: (problem, psi) => {
      kept.length = 0;
      return inner.load(problem, psi);
    },
    reduce: async () => {
      const r = await inner.reduce();
      kept.push(r);
      return r;
    },
    advance: async (series) => {
      const rs = await inner.advance(series);
      kept.push(...rs);
      return rs;
    },
    readState: () => inner.readState(),
    dispose: () => inner.dispose(),
  };
  if (inner.outputStates) backend.outputStates = () => inner.outputStates!();
  return {
    backend,
    partial: (seconds) =>
      assembleResult(config, layoutForConfig(config).dim, inner, t.subarray(0, kept.length), kept, { seconds, matvecs: 0 }),
  };
}
