/**
 * Two states propagated in lockstep, with their cross terms <a|O|b> at every
 * output time: the engine of the exact theta sweep (MODEL.md, Studies). H is
 * linear, so a(t) + e^{i theta} b(t) is the propagated phase state for every
 * theta at once; two propagations and one cross reduction per output time
 * replace one propagation per angle.
 *
 * Each state runs on a backend of its own (any backend). The cross terms are
 * reduced in f64 from the output states of both: by a's backend where it
 * offers crossReductions() (the CPU backend, on its worker threads), else on
 * the calling thread. A backend with outputStates() keeps its preferred
 * number of output times per expansion; one without it advances one output
 * time per expansion and is read with readState(). Both states carry the same global phase, which cancels in
 * <a|O|b>.
 *
 * <a|H|b> is computed once, at t = 0: H commutes with the propagator, so
 * <a(t)|H|b(t)> = <a(0)|H|b(0)> exactly, and applying H again at every output
 * time would cost as much as the rest of the cross terms. The energy drift of
 * a and b themselves still shows the propagation error.
 */

import { assertRunsTerms, throwIfAborted, type PropagationBackend } from '../backends/backend.js';
import { blockOperator, crossReduceBlocks, crossSpinObservablesFromWeights, spinWeightCount, type BlockOperator } from '../backends/cpu/kernel.js';
import type { ResolvedRunConfig } from '../model/config.js';
import { emptyCrossReduction, type CrossReduction, type StateReduction } from '../model/observables.js';
import { assertStateFitsLayout, now, prepareProblem, progressAt, type Progress } from './propagate.js';

export interface PairPropagationOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Output times per expansion (default: the backends' preference where both give their output states, else 1). */
  outputsPerExpansion?: number;
}

export interface PairRun {
  t: Float64Array;
  /** Reductions of a and of b (not normalized: a and b are not). */
  aa: StateReduction[];
  bb: StateReduction[];
  /** Cross terms <a|O|b>. */
  ab: CrossReduction[];
  /** H applications on the backends: both propagations, their reductions. */
  matvecs: number;
  seconds: number;
}

/**
 * <a|O|b> for two states in the layout of op's basis, in f64 on the calling
 * thread. `energy` given: <a|H|b> is taken from it instead of applying H.
 */
export function crossReduction(op: BlockOperator, a: Float64Array, b: Float64Array, energy?: Float64Array): CrossReduction {
  const out = emptyCrossReduction(op.ns, op.L, op.N);
  const spinWeights = new Float64Array(2 * spinWeightCount(op));
  crossReduceBlocks(op, a, b, 0, op.blocks, out, spinWeights, energy ? undefined : new Float64Array(2 * op.B));
  crossSpinObservablesFromWeights(op, spinWeights, out);
  if (energy) out.energy.set(energy);
  return out;
}

export async function runPairPropagation(
  config: ResolvedRunConfig,
  backends: readonly [PropagationBackend, PropagationBackend],
  states: readonly [Float64Array, Float64Array],
  options: PairPropagationOptions = {},
): Promise<PairRun> {
  const started = now();
  const { signal } = options;
  const checkCancelled = () => throwIfAborted(signal);
  checkCancelled();
  const [A, B] = backends;
  if (A.precision !== B.precision) throw new RangeError(`pair propagation needs one precision, got ${A.precision} and ${B.precision}`);
  for (const backend of backends) assertRunsTerms(backend, config);
  const { problem, t, steps, seriesFor } = prepareProblem(config, A.precision);
  const op = blockOperator(problem.hamiltonian);
  const bothGiveOutputs = typeof A.outputStates === 'function' && typeof B.outputStates === 'function';
  const preferred = bothGiveOutputs ? Math.min(A.preferredOutputsPerExpansion, B.preferredOutputsPerExpansion) : 1;
  const requested = options.outputsPerExpansion ?? preferred;
  if (requested > 1 && !bothGiveOutputs) {
    throw new RangeError(`outputsPerExpansion ${requested} needs backends that give their output states (${A.name}, ${B.name} do not); use 1`);
  }
  const perExpansion = Math.max(1, Math.min(requested, Math.max(steps, 1)));

  assertStateFitsLayout(problem, states[0], 'the first state of the pair');
  assertStateFitsLayout(problem, states[1], 'the second state of the pair');
  await A.load(problem, states[0]);
  checkCancelled();
  await B.load(problem, states[1]);
  const aa: StateReduction[] = [await A.reduce()];
  const bb: StateReduction[] = [await B.reduce()];
  const ab: CrossReduction[] = [crossReduction(op, await A.readState(), await B.readState())];
  let matvecs = 2;

  const outputsOf = async (backend: PropagationBackend) =>
    bothGiveOutputs ? backend.outputStates!() : [await backend.readState()];

  const loopStart = now();
  while (aa.length - 1 < steps) {
    checkCancelled();
    const outputs = Math.min(perExpansion, steps - (aa.length - 1));
    const series = seriesFor(outputs);
    const ra = await A.advance(series);
    checkCancelled();
    const rb = await B.advance(series);
    const sb = await outputsOf(B);
    let crosses: CrossReduction[];
    if (bothGiveOutputs && A.crossReductions) {
      crosses = await A.crossReductions(sb);
      for (const c of crosses) c.energy.set(ab[0].energy);
    } else {
      const sa = await outputsOf(A);
      crosses = sa.map((s, q) => crossReduction(op, s, sb[q], ab[0].energy));
    }
    for (let q = 0; q < outputs; q++) {
      aa.push(ra[q]);
      bb.push(rb[q]);
      ab.push(crosses[q]);
    }
    matvecs += 2 * (series.terms - 1 + outputs);
    const done = aa.length - 1;
    options.onProgress?.(progressAt(t, done, now() - started, now() - loopStart));
  }
  checkCancelled();
  return { t, aa, bb, ab, matvecs, seconds: now() - started };
}
