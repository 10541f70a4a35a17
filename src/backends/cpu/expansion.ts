/**
 * One Chebyshev expansion and the reductions, on one range of orbital blocks.
 * Every CPU thread runs this same code on its own range; `barrier` separates
 * the terms (a term reads the neighbours of T_k written by other threads).
 * With one thread the barrier does nothing.
 */

import { emptyCrossReduction, emptyReduction, type CrossReduction, type StateReduction } from '../../model/observables.js';
import { termPhase } from '../../propagator/chebyshev.js';
import {
  chebyshevTermBlocks, crossReduceBlocks, NO_ACCUMULATION, reduceBlocks, scaleBlocks, spinWeightCount, type BlockOperator, type TermAccumulation,
} from './kernel.js';

/** What an expansion does, with buffers named by their index in the thread's buffer list. */
export interface ExpansionCommand {
  /** Rows of weights, one per output state (ChebyshevSeries.weights), all of length `terms`. */
  readonly weights: readonly Float64Array[];
  readonly terms: number;
  /** Buffer holding psi on entry; overwritten (it serves as T_{k-2}). */
  readonly psi: number;
  /** Work buffer for the other T_k. */
  readonly work: number;
  /** One accumulator buffer per row of weights. */
  readonly accs: readonly number[];
}

export interface BlockRange {
  readonly start: number;
  readonly end: number;
}

export function runExpansion(
  op: BlockOperator,
  buffers: readonly Float64Array[],
  cmd: ExpansionCommand,
  range: BlockRange,
  scratch: Float64Array,
  barrier: () => void,
): void {
  const accs = cmd.accs.map((i) => buffers[i]);
  const nAcc = accs.length;
  if (cmd.terms === 1) {
    for (let q = 0; q < nAcc; q++) scaleBlocks(op, buffers[cmd.psi], accs[q], cmd.weights[q][0], range.start, range.end);
    // Reductions after the expansion read neighbouring blocks of the accumulators.
    barrier();
    return;
  }
  let cur = buffers[cmd.psi];
  let other = buffers[cmd.work];
  for (let k = 1; k < cmd.terms; k++) {
    // k = 1: T_1 = H~ T_0 into the work buffer; k >= 2: T_k = 2 H~ T_{k-1} - T_{k-2} in place of T_{k-2}.
    chebyshevTermBlocks(op, cur, other, k === 1 ? 1 : 2, k === 1 ? 0 : 1, termAccumulation(accs, cmd.weights, cmd.terms, k), range.start, range.end, scratch);
    barrier();
    const t = cur;
    cur = other;
    other = t;
  }
}

/**
 * The pass that computes T_k adds term j when k = accumulationPass(j): the
 * terms go into the accumulators in groups of three, (T_0, T_1, T_2),
 * (T_3, T_4, T_5), …, each on the pass of its last member, and what is left
 * at the end on the last pass. So the accumulators are streamed once every
 * three terms instead of once per term, and never scaled by T_0 alone.
 */
export function accumulationPass(j: number, terms: number): number {
  return Math.min(3 * Math.floor(j / 3) + 2, terms - 1);
}

/** What the pass computing T_k (1 <= k < terms) adds: weights (-i)^j w_q[j] of the terms j = k-2, k-1, k it owns. */
export function termAccumulation(accs: readonly Float64Array[], weights: readonly Float64Array[], terms: number, k: number): TermAccumulation {
  const owns = (j: number) => j >= 0 && accumulationPass(j, terms) === k;
  const w = new Float64Array(6 * accs.length);
  for (let slot = 0; slot < 3; slot++) {
    const j = k - 2 + slot;
    if (!owns(j)) continue;
    const [pr, pi] = termPhase(j);
    for (let q = 0; q < accs.length; q++) {
      w[6 * q + 2 * slot] = pr * weights[q][j];
      w[6 * q + 2 * slot + 1] = pi * weights[q][j];
    }
  }
  return { accs, weights: w, previous: owns(k - 2), current: owns(k - 1), next: owns(k), first: owns(0) };
}

/**
 * y = H~ x, `repetitions` times, on a block range: the bare matrix-free H
 * application (no recurrence, no accumulation), the operation a sparse
 * matrix-vector product does. For benchmarks: returns the seconds it took.
 */
export function repeatHamiltonianApplication(
  op: BlockOperator,
  x: Float64Array,
  y: Float64Array,
  repetitions: number,
  range: BlockRange,
  scratch: Float64Array,
  barrier: () => void,
): number {
  barrier();
  const t0 = performance.now();
  for (let r = 0; r < repetitions; r++) {
    chebyshevTermBlocks(op, x, y, 1, 0, NO_ACCUMULATION, range.start, range.end, scratch);
    barrier();
  }
  return (performance.now() - t0) / 1000;
}

/** Partial reduction of buffer `psi` over a block range; spinWeights has spinWeightCount(op) entries. */
export interface PartialReduction {
  readonly reduction: StateReduction;
  readonly spinWeights: Float64Array;
}

export function reduceRange(op: BlockOperator, psi: Float64Array, range: BlockRange, scratch: Float64Array): PartialReduction {
  const reduction = emptyReduction(op.ns, op.L, op.N);
  const spinWeights = new Float64Array(spinWeightCount(op));
  reduceBlocks(op, psi, range.start, range.end, reduction, spinWeights, scratch);
  return { reduction, spinWeights };
}

/** Partial cross terms <a|O|b> over a block range, without <a|H|b>; spinWeights has 2 spinWeightCount(op) entries (complex). */
export interface PartialCrossReduction {
  readonly cross: CrossReduction;
  readonly spinWeights: Float64Array;
}

export function crossReduceRange(op: BlockOperator, a: Float64Array, b: Float64Array, range: BlockRange): PartialCrossReduction {
  const cross = emptyCrossReduction(op.ns, op.L, op.N);
  const spinWeights = new Float64Array(2 * spinWeightCount(op));
  crossReduceBlocks(op, a, b, range.start, range.end, cross, spinWeights, undefined);
  return { cross, spinWeights };
}
