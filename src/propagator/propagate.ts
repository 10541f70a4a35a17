/**
 * The step loop: from a validated config to the reductions at every output
 * time, driving any PropagationBackend. Owns the physics a backend does not:
 * the Hamiltonian terms, the spectral scale, the Chebyshev weights and the
 * global phase e^{-i center t / hbar} that the weights leave out.
 */

import type { PropagationBackend, PropagationProblem } from '../backends/backend.js';
import { assertRunsTerms, throwIfAborted } from '../backends/backend.js';
import { ConfigError, outputTimes, type ResolvedRunConfig } from '../model/config.js';
import { assertExchangeAntisymmetric } from '../model/antisymmetric.js';
import {
  chainEntropy, concurrence, entanglementPlan, largestChainBlock, MAX_CHAIN_BLOCK, szCorrelations, type EntanglementSeries,
} from '../model/entanglement.js';
import { hamiltonianTerms, scaledHamiltonian, type HamiltonianTerms } from '../model/hamiltonian.js';
import { initialProductState, initialState } from '../model/initial-state.js';
import type { StateReduction } from '../model/observables.js';
import type { PhaseTiming } from '../model/result.js';
import { spectralBounds, spectralScale } from '../model/spectral-bounds.js';
import { HBAR_EV_FS } from '../model/units.js';
import { chebyshevSeries, type ChebyshevSeries, type Precision } from './chebyshev.js';

export interface Progress {
  /** Share of the output times done, 0 … 1. */
  fraction: number;
  /** Simulated time reached, fs. */
  t: number;
  /** Output times done and in all. */
  step: number;
  steps: number;
  elapsedSeconds: number;
  /** Estimated seconds left (undefined before the first step). */
  etaSeconds?: number;
}

export interface PropagationOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /**
   * Output times produced by one Chebyshev expansion (default: the
   * backend's preferredOutputsPerExpansion). The T_k
   * vectors serve every output time of the expansion; only the weights
   * differ (docs/benchmarks.md measures whether more than one pays).
   */
  outputsPerExpansion?: number;
  /** Return the final state (with its global phase) as well. */
  keepFinalState?: boolean;
  /**
   * The initial state to use instead of the config's, in the layout of the
   * config's basis (interleaved complex); basis "antisymmetric" refuses one
   * that is not antisymmetric under the exchange of the electrons.
   */
  initialState?: Float64Array;
  /** Called once the backend holds the state, before the first step. */
  onStart?: () => void;
  /**
   * Continue a run from a snapshot its checkpoint callback took: the state is
   * loaded as it was read, the reductions so far are kept, and the snapshot's
   * outputsPerExpansion replaces the option's, so that the expansions are
   * the ones the uninterrupted run makes.
   */
  resumeFrom?: PropagationSnapshot;
  /** Snapshots at expansion boundaries, for checkpoints. */
  checkpoint?: SnapshotOptions;
  /**
   * With `entanglement`: called once the observables of t = 0 and then of
   * each expansion's outputs are recorded, before onProgress, with the series
   * so far (the run's own object, growing; read it, do not change it). The
   * dashboard draws them while the run goes.
   */
  onEntanglement?: (series: Readonly<EntanglementSeries>) => void;
}

/** Where a run stands between two expansions: enough to continue it (checkpoint.ts stores it). */
export interface PropagationSnapshot {
  /** Output index reached: the state is the state at t[step]; reductions hold 0 … step. */
  step: number;
  /** t[step], fs. */
  t: number;
  /** The state as the backend's readState() gives it (f64, its basis order, without the global phase). */
  state: Float64Array;
  reductions: StateReduction[];
  /** Output times per expansion of the run. */
  outputsPerExpansion: number;
  matvecs: number;
  /** Seconds the run has taken up to the snapshot, earlier sessions included. */
  seconds: number;
  /**
   * With `entanglement: true`: the entanglement series of outputs 0 … step
   * (without `note`, which the recorder derives from the layout).
   */
  entanglement?: EntanglementSeries;
}

/**
 * A snapshot as the step loop hands it out: its state stays on the backend
 * and is read while the snapshot is taken, whole or piece by piece.
 */
export interface LiveSnapshot extends Omit<PropagationSnapshot, 'state'> {
  /** The state as the backend's readState() gives it. */
  readState(): Promise<Float64Array>;
  /**
   * The same state in order, in pieces of at most `maxDoubles` doubles: the
   * backend's readStateChunks() where it has one, else slices of readState()
   * (which holds the whole state once). Each piece is valid until the next
   * is asked for.
   */
  stateChunks(maxDoubles: number): AsyncIterable<Float64Array>;
}

export interface SnapshotOptions {
  /** Seconds between snapshots: one is taken at the first expansion boundary at least this long after the last (0: after every expansion). */
  everySeconds: number;
  /**
   * Receives each snapshot; the run waits for it, so a write is complete
   * before the run goes on. Its state can be read only until then.
   */
  take(snapshot: LiveSnapshot): void | Promise<void>;
}

export interface PropagationRun {
  t: Float64Array;
  reductions: StateReduction[];
  /** H applications: Chebyshev terms plus one per reduction (for <H>). */
  matvecs: number;
  seconds: number;
  /** Where a device backend's time went (backend.phaseTiming()), when it says. */
  phases?: PhaseTiming;
  finalState?: Float64Array;
  /** The entanglement observables (config key `entanglement`). */
  entanglement?: EntanglementSeries;
}

export const now = (): number => (globalThis.performance ?? Date).now() / 1000;

/** What every propagation of a config shares: H, its Chebyshev scaling, the output times and the series. */
export interface PreparedProblem {
  problem: PropagationProblem;
  /** Centre of the spectrum, eV: the global phase e^{-i center t / hbar} the weights leave out. */
  center: number;
  t: Float64Array;
  /** Output intervals: t.length - 1. */
  steps: number;
  /** The Chebyshev series of `outputs` output times (cached). */
  seriesFor(outputs: number): ChebyshevSeries;
}

export function prepareProblem(config: ResolvedRunConfig, precision: Precision): PreparedProblem {
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  const scaled = scaledHamiltonian(hamiltonian, center, halfWidth);
  const t = outputTimes(config);
  const cache = new Map<number, ChebyshevSeries>();
  const seriesFor = (outputs: number) => {
    let s = cache.get(outputs);
    if (!s) cache.set(outputs, (s = chebyshevSeries(halfWidth, config.dt, HBAR_EV_FS, outputs, precision)));
    return s;
  };
  return { problem: { hamiltonian, scaled }, center, t, steps: t.length - 1, seriesFor };
}

/**
 * Progress after `done` of the output intervals; `loopSeconds` is the time
 * spent stepping since output `from` (where a resumed run started), for the ETA.
 */
export function progressAt(t: Float64Array, done: number, elapsedSeconds: number, loopSeconds: number, from = 0): Progress {
  const steps = t.length - 1;
  return {
    fraction: steps > 0 ? done / steps : 1,
    t: t[done],
    step: done,
    steps,
    elapsedSeconds,
    etaSeconds: done > from ? (loopSeconds / (done - from)) * (steps - done) : undefined,
  };
}

/**
 * Refuses a state its layout cannot stand for: in basis "antisymmetric" one
 * that is not antisymmetric under the exchange of the electrons (a
 * user-supplied initial state, a resumed checkpoint's state). `what` names
 * it in the message.
 */
export function assertStateFitsLayout(problem: PropagationProblem, psi: Float64Array, what: string): void {
  const { layout, sector } = problem.hamiltonian;
  if (layout.basis === 'antisymmetric' && sector) assertExchangeAntisymmetric(sector, layout.N, psi, what);
}

export async function runPropagation(
  config: ResolvedRunConfig,
  backend: PropagationBackend,
  options: PropagationOptions = {},
): Promise<PropagationRun> {
  const started = now();
  const { signal } = options;
  const checkCancelled = () => throwIfAborted(signal);
  checkCancelled();
  assertRunsTerms(backend, config);
  const { problem, center, t, steps, seriesFor } = prepareProblem(config, backend.precision);
  const resume = options.resumeFrom;
  const perExpansion = resume
    ? resume.outputsPerExpansion
    : Math.max(1, Math.min(options.outputsPerExpansion ?? backend.preferredOutputsPerExpansion, Math.max(steps, 1)));
  if (resume && !(resume.step <= steps && resume.reductions.length === resume.step + 1 && (resume.step % perExpansion === 0 || resume.step === steps))) {
    throw new RangeError(`cannot resume at output ${resume.step} of ${steps} with ${perExpansion} outputs per expansion`);
  }
  const before = resume?.seconds ?? 0;
  const entanglement = config.entanglement ? entanglementRecorder(problem.hamiltonian, backend, t, resume) : undefined;

  if (resume || options.initialState || !backend.loadProduct) {
    const start = resume ? resume.state : (options.initialState ?? initialState(config));
    assertStateFitsLayout(problem, start, resume ? 'the resumed state' : options.initialState ? 'the given initial state' : 'the initial state');
    await backend.load(problem, start);
  } else {
    // The backend builds the initial state from its product terms where it keeps it (no host copy).
    await backend.loadProduct(problem, initialProductState(config));
  }
  options.onStart?.();
  const reductions: StateReduction[] = resume ? resume.reductions.slice() : [await backend.reduce()];
  if (entanglement) {
    if (!resume) entanglement.record(0, [await backend.readState()], reductions);
    options.onEntanglement?.(entanglement.series);
  }
  let matvecs = resume ? resume.matvecs : 1;
  const from = reductions.length - 1;
  if (resume) options.onProgress?.(progressAt(t, from, before + now() - started, 0, from));

  const loopStart = now();
  let lastSnapshot = loopStart;
  while (reductions.length - 1 < steps) {
    checkCancelled();
    const outputs = Math.min(perExpansion, steps - (reductions.length - 1));
    const series = seriesFor(outputs);
    // Whole expansions that need nothing in between go to the device together (advanceSeveral);
    // a checkpoint asked for after every expansion (everySeconds 0) keeps them one by one.
    // The entanglement observables read each expansion's output states, so they keep them one by one too.
    const cap = options.checkpoint?.everySeconds === 0 || entanglement ? 1 : (backend.expansionsInFlight ?? 1);
    const inFlight = Math.min(cap, Math.floor((steps - (reductions.length - 1)) / outputs));
    if (inFlight > 1 && backend.advanceSeveral) {
      reductions.push(...(await backend.advanceSeveral(series, inFlight)));
      matvecs += inFlight * (series.terms - 1 + outputs);
    } else {
      reductions.push(...(await backend.advance(series)));
      matvecs += series.terms - 1 + outputs;
      if (entanglement) {
        entanglement.record(reductions.length - outputs, await backend.outputStates!(), reductions);
        options.onEntanglement?.(entanglement.series);
      }
    }
    const done = reductions.length - 1;
    const elapsed = now() - loopStart;
    options.onProgress?.(progressAt(t, done, before + now() - started, elapsed, from));
    if (options.checkpoint && done < steps && now() - lastSnapshot >= options.checkpoint.everySeconds) {
      // Between expansions: the state and the reductions so far are all a resumed run needs.
      checkCancelled();
      let live = true;
      const whileTaken = (what: string) => {
        if (!live) throw new Error(`a snapshot's state can be read only while it is taken (${what} after take() returned)`);
      };
      try {
        await options.checkpoint.take({
          step: done, t: t[done], reductions: reductions.slice(), outputsPerExpansion: perExpansion, matvecs, seconds: before + now() - started,
          ...(entanglement ? { entanglement: entanglement.soFar() } : {}),
          readState: () => (whileTaken('readState'), backend.readState()),
          stateChunks: (maxDoubles) => (whileTaken('stateChunks'), stateChunks(backend, maxDoubles)),
        });
      } finally {
        live = false;
      }
      lastSnapshot = now();
    }
  }
  checkCancelled();

  const run: PropagationRun = { t, reductions, matvecs, seconds: before + now() - started };
  const phases = backend.phaseTiming?.();
  if (phases) run.phases = phases;
  if (entanglement) run.entanglement = entanglement.series;
  if (options.keepFinalState) {
    // Restore the global phase e^{-i center t_end / hbar} the weights leave out.
    const state = await backend.readState();
    const phase = (-center * t[t.length - 1]) / HBAR_EV_FS;
    const c = Math.cos(phase), s = Math.sin(phase);
    for (let i = 0; i < state.length; i += 2) {
      const x = state[i], y = state[i + 1];
      state[i] = c * x - s * y;
      state[i + 1] = c * y + s * x;
    }
    run.finalState = state;
  }
  return run;
}

/** The backend's state in pieces: its readStateChunks(), or slices of readState(). */
async function* stateChunks(backend: PropagationBackend, maxDoubles: number): AsyncGenerator<Float64Array> {
  if (backend.readStateChunks) {
    yield* backend.readStateChunks(maxDoubles);
    return;
  }
  const state = await backend.readState();
  const n = Math.max(2, 2 * Math.floor(maxDoubles / 2));
  for (let o = 0; o < state.length; o += n) yield state.subarray(o, Math.min(o + n, state.length));
}

/**
 * Collects the entanglement observables (model/entanglement.ts) output by
 * output: the concurrence from each reduction's rho, the chain entropy and
 * the S_z correlations from each output state (at the final time only for
 * an entropy costlier than about ten H applications); a resumed run goes
 * on from the series its snapshot holds. Refuses what it cannot give whole:
 * a backend without its output states, a chain block too large to
 * diagonalize, a snapshot without the series of its outputs.
 */
function entanglementRecorder(h: HamiltonianTerms, backend: PropagationBackend, t: Float64Array, resume: PropagationSnapshot | undefined) {
  if (typeof backend.outputStates !== 'function') {
    throw new ConfigError('entanglement', true, `false on backend ${backend.name}`, `backend ${backend.name} does not give its output states; the cpu backend computes the entanglement observables`);
  }
  const plan = entanglementPlan(h);
  const largest = largestChainBlock(plan);
  if (largest > MAX_CHAIN_BLOCK) {
    throw new ConfigError(
      'entanglement', true, `false for this chain (its reduced density matrix has a block of ${largest} configurations; at most ${MAX_CHAIN_BLOCK})`,
      'the chain entropy needs the spectrum of each block of the chain\'s reduced density matrix; use fewer local spins or a smaller sector',
    );
  }
  const last = t.length - 1;
  const series: EntanglementSeries = {
    ...(plan.electrons === 2 ? { concurrence: [] as number[] } : {}),
    chainEntropy: [],
    chainEntropyTimes: [],
    szCorrelations: [],
  };
  if (!plan.entropyEveryOutput) {
    series.note = `chain entropy at the final time only: one costs about ${Math.round(plan.entropyCost)} H applications (more than 10 per output time)`;
  }
  if (resume) {
    const from = resume.entanglement;
    const count = resume.step + 1;
    const entropies = plan.entropyEveryOutput ? count : 0;
    if (
      !from || !!from.concurrence !== !!series.concurrence || (from.concurrence && from.concurrence.length !== count) ||
      from.szCorrelations.length !== count || from.szCorrelations.some((row) => row.length !== Math.max(0, h.layout.L - 1)) ||
      from.chainEntropy.length !== entropies || from.chainEntropyTimes.some((time, k) => time !== t[k]) || from.chainEntropyTimes.length !== entropies
    ) {
      throw new RangeError(
        `cannot resume at output ${resume.step} with "entanglement": true: the snapshot ${from ? 'does not hold the entanglement series of its outputs' : 'holds no entanglement series'}`,
      );
    }
    // Copies (a long run's series would overflow push(...spread)).
    if (series.concurrence) series.concurrence = from.concurrence!.slice();
    series.szCorrelations = from.szCorrelations.map((row) => row.slice());
    series.chainEntropy = from.chainEntropy.slice();
    series.chainEntropyTimes = from.chainEntropyTimes.slice();
  }
  return {
    series,
    /** The series so far, numbers only (no note), copied: what a snapshot holds. */
    soFar(): EntanglementSeries {
      return {
        ...(series.concurrence ? { concurrence: series.concurrence.slice() } : {}),
        chainEntropy: series.chainEntropy.slice(),
        chainEntropyTimes: series.chainEntropyTimes.slice(),
        szCorrelations: series.szCorrelations.slice(),
      };
    },
    /** Outputs first … first + states.length - 1, whose reductions are in `reductions`. */
    record(first: number, states: readonly Float64Array[], reductions: readonly StateReduction[]): void {
      states.forEach((psi, q) => {
        const k = first + q;
        series.concurrence?.push(concurrence(reductions[k].rho));
        series.szCorrelations.push(szCorrelations(plan, psi));
        if (plan.entropyEveryOutput || k === last) {
          series.chainEntropy.push(chainEntropy(plan, psi));
          series.chainEntropyTimes.push(t[k]);
        }
      });
    },
  };
}
