/**
 * One Chebyshev expansion and the reductions, on one range of orbital blocks.
 * Every CPU thread runs this same code on its own range; `barrier` separates
 * the terms (a term reads the neighbours of T_k written by other threads).
 * With one thread the barrier does nothing.
 */

import { emptyCrossReduction, emptyReduction, type CrossReduction, type StateReduction } from '../../model/observables.js';
import { termPhase } from '../../propagator/chebyshev.js';
import { chebyshevTermBlocks, crossReduceBlocks, reduceBlocks, scaleBlocks, spinWeightCount, type BlockOperator } from './kernel.js';

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
  for (let q = 0; q < nAcc; q++) scaleBlocks(op, buffers[cmd.psi], accs[q], cmd.weights[q][0], range.start, range.end);
  const cr = new Float64Array(nAcc);
  const ci = new Float64Array(nAcc);
  // Reductions after the expansion read neighbouring blocks of the accumulators.
  if (cmd.terms === 1) barrier();
  let cur = buffers[cmd.psi];
  let other = buffers[cmd.work];
  for (let k = 1; k < cmd.terms; k++) {
    const [pr, pi] = termPhase(k);
    for (let q = 0; q < nAcc; q++) {
      cr[q] = pr * cmd.weights[q][k];
      ci[q] = pi * cmd.weights[q][k];
    }
    // k = 1: T_1 = H~ T_0 into the work buffer; k >= 2: T_k = 2 H~ T_{k-1} - T_{k-2} in place of T_{k-2}.
    chebyshevTermBlocks(op, cur, other, k === 1 ? 1 : 2, k === 1 ? 0 : 1, accs, cr, ci, range.start, range.end, scratch);
    barrier();
    const t = cur;
    cur = other;
    other = t;
  }
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
  const none = new Float64Array(0);
  barrier();
  const t0 = performance.now();
  for (let r = 0; r < repetitions; r++) {
    chebyshevTermBlocks(op, x, y, 1, 0, [], none, none, range.start, range.end, scratch);
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
