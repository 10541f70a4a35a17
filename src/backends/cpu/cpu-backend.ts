/**
 * The f64 CPU backend: the reference every other backend is tested against.
 * Small states run on the calling thread; larger ones are split by orbital
 * blocks across worker threads that share the state through
 * SharedArrayBuffer, one barrier per Chebyshev term, so a whole expansion runs
 * without the calling thread. Without SharedArrayBuffer (a browser page that
 * is not cross-origin isolated) it runs on one thread.
 */

import { addReduction, emptyCrossReduction, emptyReduction, type CrossReduction, type StateReduction } from '../../model/observables.js';
import type { ChebyshevSeries } from '../../propagator/chebyshev.js';
import { CancelledError, type PropagationBackend, type PropagationProblem } from '../backend.js';
import { BARRIER_INTS } from './barrier.js';
import {
  crossReduceRange, reduceRange, repeatHamiltonianApplication, runExpansion,
  type BlockRange, type ExpansionCommand, type PartialCrossReduction, type PartialReduction,
} from './expansion.js';
import { blockOperator, crossSpinObservablesFromWeights, spinObservablesFromWeights, spinWeightCount, type BlockOperator } from './kernel.js';
import { hostCores, sharedMemoryAvailable, spawnCpuWorker, type ThreadHandle } from './threads.js';

export interface CpuBackendOptions {
  /** Worker threads: a number, or "auto" (every core, when the state is large enough to gain). */
  threads?: number | 'auto';
}

/** Below this many amplitudes a term takes well under a millisecond and threads cost more than they save. */
export const MIN_PARALLEL_DIM = 1 << 15;

type WorkerReply = { ok: true; partials?: PartialReduction[]; crosses?: PartialCrossReduction[]; seconds?: number } | { ok: false; error: string };

/** The CPU backend, with one diagnostic beyond the PropagationBackend contract. */
export interface CpuBackend extends PropagationBackend {
  /** Threads the loaded problem runs on. */
  readonly threads: number;
  /**
   * Applies H~ to the loaded state `repetitions` times (y = H~ x, no
   * recurrence, no accumulation) on every thread, and returns the seconds per
   * application: the matrix-free counterpart of a sparse matrix-vector
   * product, for benchmarks. Leaves the state as it was.
   */
  timeHamiltonianApplication(repetitions: number): Promise<number>;
}

export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  return new CpuBackendImpl(options);
}

/**
 * How the CPU backend runs a state of `dim` amplitudes in `blocks` orbital
 * blocks: on how many threads, and whether in workers. Large states always run
 * in workers, even on one thread, so the calling thread stays free to take a
 * cancel (or to paint a page); small ones run in place, where an expansion
 * takes milliseconds.
 */
export function cpuThreadPlan(requested: number | 'auto' | undefined, dim: number, blocks: number): { threads: number; workers: boolean } {
  if (requested !== undefined && requested !== 'auto' && (!Number.isInteger(requested) || requested < 1)) {
    throw new RangeError(`threads must be an integer >= 1 or "auto", got ${requested}`);
  }
  if (!sharedMemoryAvailable()) return { threads: 1, workers: false };
  const auto = requested === undefined || requested === 'auto';
  if (auto && dim < MIN_PARALLEL_DIM) return { threads: 1, workers: false };
  const threads = Math.max(1, Math.min(auto ? hostCores() : requested, blocks));
  return { threads, workers: threads > 1 || dim >= MIN_PARALLEL_DIM };
}

class CpuBackendImpl implements CpuBackend {
  readonly name = 'cpu';
  readonly precision = 'f64' as const;
  /**
   * At dt = 0.5 fs one expansion per output time needs ~17 terms; four output
   * times share ~33, and the three extra accumulators cost less than the
   * terms saved (docs/benchmarks.md).
   */
  readonly preferredOutputsPerExpansion = 4;
  /**
   * Fastest first ("auto" takes the first that holds the state): the
   * antisymmetric basis holds two electrons' states in half the sector's
   * amplitudes, the sector every state in far fewer than the full basis.
   */
  readonly bases = ['antisymmetric', 'sector', 'full'] as const;
  /** Every term beyond the paper (fields, anisotropy, per-site and per-bond couplings), in every basis. */
  readonly extendedTerms = true;
  description = 'cpu f64';
  threads = 1;
  private useWorkers = false;

  private scaled!: BlockOperator;
  private hamiltonian!: BlockOperator;
  private buffers: Float64Array[] = [];
  /** Buffer roles: which index holds psi, the work vector, the accumulators. */
  private psi = 0;
  private work = 1;
  private accs: number[] = [2];
  private workers: ThreadHandle[] = [];
  private ranges: BlockRange[] = [];
  private scratch!: Float64Array;
  private disposed = false;
  /** Whether the accumulators hold the outputs of an advance of the loaded state. */
  private advanced = false;

  constructor(private readonly options: CpuBackendOptions) {}

  async load(problem: PropagationProblem, psi: Float64Array): Promise<void> {
    const layout = problem.hamiltonian.layout;
    if (psi.length !== 2 * layout.dim) throw new RangeError(`state has ${psi.length / 2} amplitudes, the layout ${layout.dim}`);
    // A second load replaces the first problem: its workers go with it.
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.scaled = blockOperator(problem.scaled);
    this.hamiltonian = blockOperator(problem.hamiltonian);
    this.scratch = new Float64Array(2 * layout.blockSize);
    const plan = cpuThreadPlan(this.options.threads, layout.dim, layout.blocks);
    this.threads = plan.threads;
    this.useWorkers = plan.workers;
    this.description = plan.workers
      ? `cpu f64, ${this.threads} worker thread${this.threads > 1 ? 's' : ''}`
      : 'cpu f64, 1 thread (in place)';
    this.ranges = splitBlocks(layout.blocks, this.threads);
    this.buffers = [];
    this.psi = 0;
    this.work = 1;
    this.accs = [2];
    this.ensureBuffers(3);
    this.buffers[this.psi].set(psi);
    this.advanced = false;
    if (plan.workers) await this.startWorkers(problem);
  }

  private ensureBuffers(count: number): void {
    const doubles = 2 * this.hamiltonian.blocks * this.hamiltonian.B;
    while (this.buffers.length < count) {
      this.buffers.push(
        this.useWorkers ? new Float64Array(new SharedArrayBuffer(doubles * 8)) : new Float64Array(doubles),
      );
    }
  }

  private async startWorkers(problem: PropagationProblem): Promise<void> {
    const control = new SharedArrayBuffer(BARRIER_INTS * 4);
    this.workers = this.ranges.map(() => spawnCpuWorker());
    await this.broadcast((i) => ({
      type: 'init', scaled: problem.scaled, hamiltonian: problem.hamiltonian, range: this.ranges[i], control, parties: this.threads,
    }));
    await this.shareBuffers();
  }

  private async shareBuffers(): Promise<void> {
    const shared = this.buffers.map((b) => b.buffer as SharedArrayBuffer);
    await this.broadcast(() => ({ type: 'buffers', buffers: shared }));
  }

  /** Sends one message to every worker and waits for all replies; any failure fails the call. */
  private async ask(message: (i: number) => unknown): Promise<{ partials?: PartialReduction[]; crosses?: PartialCrossReduction[]; seconds?: number }[]> {
    this.workers.forEach((w, i) => w.post(message(i)));
    const replies = await Promise.all(this.workers.map((w) => w.next<WorkerReply>()));
    const failed = replies.find((r): r is { ok: false; error: string } => !r.ok);
    if (failed) throw new Error(`CPU worker failed: ${failed.error}`);
    return replies as { partials?: PartialReduction[]; crosses?: PartialCrossReduction[]; seconds?: number }[];
  }

  /** ask() for the partial reductions of every worker. */
  private async broadcast(message: (i: number) => unknown): Promise<PartialReduction[][]> {
    return (await this.ask(message)).map((r) => r.partials ?? []);
  }

  async reduce(): Promise<StateReduction> {
    this.assertLive();
    if (this.workers.length) {
      const parts = await this.broadcast(() => ({ type: 'reduce', buffer: this.psi }));
      return this.combine(parts.map((p) => p[0]));
    }
    return this.combine([reduceRange(this.hamiltonian, this.buffers[this.psi], this.ranges[0], this.scratch)]);
  }

  async advance(series: ChebyshevSeries): Promise<StateReduction[]> {
    this.assertLive();
    const outputs = series.weights.length;
    if (this.accs.length !== outputs) {
      const before = this.buffers.length;
      this.ensureBuffers(2 + outputs);
      this.accs = [...Array(this.buffers.length).keys()].filter((i) => i !== this.psi && i !== this.work).slice(0, outputs);
      if (this.workers.length && this.buffers.length !== before) await this.shareBuffers();
    }
    const cmd: ExpansionCommand = { weights: series.weights, terms: series.terms, psi: this.psi, work: this.work, accs: this.accs };
    let perOutput: PartialReduction[][];
    if (this.workers.length) {
      const parts = await this.broadcast(() => ({ type: 'advance', cmd }));
      perOutput = this.accs.map((_, q) => parts.map((p) => p[q]));
    } else {
      const range = this.ranges[0];
      runExpansion(this.scaled, this.buffers, cmd, range, this.scratch, () => {});
      perOutput = this.accs.map((i) => [reduceRange(this.hamiltonian, this.buffers[i], range, this.scratch)]);
    }
    // The last accumulator is the new psi; the old psi buffer (now T_k garbage) becomes an accumulator.
    const last = this.accs.length - 1;
    const newPsi = this.accs[last];
    this.accs[last] = this.psi;
    this.psi = newPsi;
    this.advanced = true;
    return perOutput.map((parts) => this.combine(parts));
  }

  private combine(parts: PartialReduction[]): StateReduction {
    const op = this.hamiltonian;
    const total = emptyReduction(op.ns, op.L, op.N);
    const spinWeights = new Float64Array(spinWeightCount(op));
    for (const p of parts) {
      addReduction(total, p.reduction);
      for (let m = 0; m < spinWeights.length; m++) spinWeights[m] += p.spinWeights[m];
    }
    spinObservablesFromWeights(op, spinWeights, total);
    return total;
  }

  async timeHamiltonianApplication(repetitions: number): Promise<number> {
    this.assertLive();
    let seconds: number;
    if (this.workers.length) {
      const replies = await this.ask(() => ({ type: 'apply', x: this.psi, y: this.work, repetitions }));
      seconds = Math.max(...replies.map((r) => r.seconds ?? 0));
    } else {
      seconds = repeatHamiltonianApplication(this.scaled, this.buffers[this.psi], this.buffers[this.work], repetitions, this.ranges[0], this.scratch, () => {});
    }
    return seconds / repetitions;
  }

  async readState(): Promise<Float64Array> {
    this.assertLive();
    return Float64Array.from(this.buffers[this.psi]);
  }

  /** Views of the state itself, no copy (see PropagationBackend): a checkpoint adds no state-sized array on the CPU. */
  async *readStateChunks(maxDoubles: number): AsyncGenerator<Float64Array> {
    this.assertLive();
    const psi = this.buffers[this.psi];
    const n = Math.max(2, 2 * Math.floor(maxDoubles / 2));
    for (let o = 0; o < psi.length; o += n) yield psi.subarray(o, Math.min(o + n, psi.length));
  }

  /** Views of the accumulators of the last advance (the last output is psi); see PropagationBackend. */
  async outputStates(): Promise<Float64Array[]> {
    return this.outputBuffers().map((i) => this.buffers[i]);
  }

  /**
   * <psi_q|O|others[q]> for the outputs of the last advance (see
   * PropagationBackend): on the worker threads, each over its blocks, when
   * every other state lies in a SharedArrayBuffer; on the calling thread
   * otherwise.
   */
  async crossReductions(others: readonly Float64Array[]): Promise<CrossReduction[]> {
    const mine = this.outputBuffers();
    if (others.length !== mine.length) throw new RangeError(`crossReductions: ${others.length} states for ${mine.length} outputs`);
    const op = this.hamiltonian;
    const whole = 2 * op.blocks * op.B;
    for (const o of others) if (o.length !== whole) throw new RangeError(`crossReductions: a state of ${o.length / 2} amplitudes, the layout has ${whole / 2}`);
    const shared = others.every((o) => o.buffer instanceof SharedArrayBuffer && o.byteOffset === 0 && o.byteLength === o.buffer.byteLength);
    let parts: PartialCrossReduction[][];
    if (this.workers.length && shared) {
      const replies = await this.ask(() => ({ type: 'cross', mine, others: others.map((o) => o.buffer as SharedArrayBuffer) }));
      parts = mine.map((_, q) => replies.map((r) => r.crosses![q]));
    } else {
      const all = { start: 0, end: op.blocks };
      parts = mine.map((i, q) => [crossReduceRange(op, this.buffers[i], others[q], all)]);
    }
    return parts.map((p) => {
      const total = emptyCrossReduction(op.ns, op.L, op.N);
      const spinWeights = new Float64Array(2 * spinWeightCount(op));
      for (const { cross, spinWeights: w } of p) {
        for (let i = 0; i < total.rho.length; i++) total.rho[i] += cross.rho[i];
        for (let i = 0; i < total.density.length; i++) total.density[i] += cross.density[i];
        for (let i = 0; i < w.length; i++) spinWeights[i] += w[i];
      }
      crossSpinObservablesFromWeights(op, spinWeights, total);
      return total;
    });
  }

  /** Buffer indices of the outputs of the last advance, in order (the last is psi). */
  private outputBuffers(): number[] {
    this.assertLive();
    if (!this.advanced) throw new Error('cpu backend: output states asked for before advance()');
    return [...this.accs.slice(0, -1), this.psi];
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.buffers = [];
  }

  private assertLive(): void {
    if (this.disposed) throw new CancelledError('the CPU backend was disposed');
  }
}

/** Contiguous, nearly equal ranges of orbital blocks, one per thread. */
export function splitBlocks(blocks: number, parts: number): BlockRange[] {
  const ranges: BlockRange[] = [];
  for (let p = 0; p < parts; p++) {
    ranges.push({ start: Math.floor((p * blocks) / parts), end: Math.floor(((p + 1) * blocks) / parts) });
  }
  return ranges;
}
