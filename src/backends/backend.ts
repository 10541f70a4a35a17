/**
 * The contract between the propagator and a compute backend. A backend owns
 * the state and its work buffers; the propagator owns the physics (the
 * Hamiltonian terms, the spectral scale, the Chebyshev weights) and never
 * touches amplitudes between output times, so a GPU backend encodes a whole
 * expansion at once and reads back only the reductions.
 */

import { backendBases, namesOf } from '../model/basis.js';
import { ConfigError, EXTENDED_DEFAULTS, extendedKeysSet, type Basis, type RunConfig } from '../model/config.js';
import type { HamiltonianTerms } from '../model/hamiltonian.js';
import type { CrossReduction, StateReduction } from '../model/observables.js';
import type { PhaseTiming } from '../model/result.js';
import type { ProductTerm } from '../model/initial-state.js';

/** A state as product terms and the factor that normalizes their sum (initialProductState). */
export interface ProductState {
  readonly terms: readonly ProductTerm[];
  readonly scale: number;
}
import type { ChebyshevSeries, Precision } from '../propagator/chebyshev.js';

export interface PropagationProblem {
  /** H itself: used for <H> in the reductions. */
  readonly hamiltonian: HamiltonianTerms;
  /** H~ = (H - center)/halfWidth: the operator of the Chebyshev recurrence. */
  readonly scaled: HamiltonianTerms;
}

export interface PropagationBackend {
  /** Name as it appears in results: "cpu", "webgpu", "gpujs-webasm", … */
  readonly name: string;
  readonly precision: Precision;
  /** One line for people: what runs where (threads, adapter). */
  readonly description: string;
  /**
   * Output times one Chebyshev expansion should produce when the caller does
   * not say (docs/benchmarks.md measures what pays on each backend).
   */
  readonly preferredOutputsPerExpansion: number;
  /**
   * The bases (config key `basis`) it runs, fastest first: "auto" takes the
   * first that holds the state (model/basis.ts). Without it, "full" only.
   */
  readonly bases?: readonly Basis[];
  /**
   * Whether it runs the keys beyond the paper (config.ts EXTENDED_KEYS:
   * fields, anisotropy, per-site and per-bond couplings, local spins S > 1/2,
   * entanglement observables); without it, only the paper's model, and a
   * config that sets one of them is refused.
   */
  readonly extendedTerms?: boolean;
  /**
   * With extendedTerms: the bases in which it runs local spins S > 1/2
   * (localSpin), where that is not every basis it runs; a run of another
   * basis with localSpin above 1/2 is refused naming these.
   */
  readonly localSpinBases?: readonly Basis[];
  /** The bases in which it runs the keys beyond the paper; absent: every basis it runs (model/basis.ts, resolveBasis). */
  readonly extendedTermsBases?: readonly Basis[];
  /** Allocate for the problem and take psi (its basis's layout, interleaved complex). */
  load(problem: PropagationProblem, psi: Float64Array): Promise<void>;
  /**
   * As load(), with the state given as product terms (model/initial-state.ts:
   * initialProductState), built where the backend keeps it. Optional: a
   * device backend (WebGPU) builds it on the device, so no state-sized f64
   * array is made on the host.
   */
  loadProduct?(problem: PropagationProblem, state: ProductState): Promise<void>;
  /** Reductions of the current state. */
  reduce(): Promise<StateReduction>;
  /**
   * One Chebyshev expansion: for each row m of series.weights,
   *   psi_m = sum_k (-i)^k w_k^(m) T_k(H~) psi,
   * returns the reductions of every psi_m, and leaves the state at the last one.
   */
  advance(series: ChebyshevSeries): Promise<StateReduction[]>;
  /**
   * `count` expansions of the same series one after another, as `count`
   * advance() calls would do them, returning every output's reductions in
   * order. Optional: a backend whose device runs asynchronously (WebGPU)
   * encodes them in one submit, so the device does not wait for the host
   * between them. The caller uses it only where it needs nothing between the
   * expansions (no readState, no output states).
   */
  advanceSeveral?(series: ChebyshevSeries, count: number): Promise<StateReduction[]>;
  /** How many expansions advanceSeveral() should be given at once (1 or absent: advance() one by one). */
  readonly expansionsInFlight?: number;
  /** Seconds per phase since load() (a device backend: WebGPU). Optional. */
  phaseTiming?(): PhaseTiming;
  /**
   * The current state (interleaved complex, f64), without the global phase,
   * in its basis's layout: canonical (basis "full"; for local spins S > 1/2
   * its mixed-radix order, model/layout.ts), the sector's order, or
   * the antisymmetric layout's (model/antisymmetric.ts: antisymmetricToSector
   * and antisymmetricStateToCanonical write it out in the others). load()
   * takes the same order, so a checkpoint holds what this returns. A caller
   * that needs the canonical layout runs basis "full" (basis "auto" takes a
   * smaller basis where the backend runs one).
   */
  readState(): Promise<Float64Array>;
  /**
   * The state readState() gives, in order, in pieces of at most `maxDoubles`
   * doubles (whole amplitudes), so that a caller that only passes it on (a
   * checkpoint written to a file) never holds it whole. Each piece may be a
   * view of the backend's memory or a reused buffer: valid until the next
   * piece is asked for, and not to be written. No other call on the backend
   * until the iteration ends. Optional: where it is missing, the caller
   * slices readState().
   */
  readStateChunks?(maxDoubles: number): AsyncIterable<Float64Array>;
  /**
   * The states of every output time of the last advance(), in order (the
   * last is the current state), canonical layout, without the global phase.
   * They may be views of the backend's own buffers: valid until its next
   * advance(), load() or dispose(), and not to be written. Optional: a
   * caller that needs the states of a backend without it advances one output
   * time per expansion and calls readState().
   */
  outputStates?(): Promise<Float64Array[]>;
  /**
   * Cross terms <psi_q|O|others[q]> between the states of every output time
   * of the last advance (as outputStates() gives them) and `others`, one per
   * output, canonical layout; the energy is left at 0. Optional: where it is
   * missing, the caller reduces the output states itself. The CPU backend
   * runs it on its worker threads when the others lie in SharedArrayBuffers.
   */
  crossReductions?(others: readonly Float64Array[]): Promise<CrossReduction[]>;
  /** Free every buffer, worker or device resource. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Whether a backend runs states of this basis. */
export function runsBasis(backend: Pick<PropagationBackend, 'bases'>, basis: Basis): boolean {
  return backendBases(backend).includes(basis);
}

/**
 * Refuses, before anything is allocated, a basis the backend does not run: a
 * ConfigError naming `basis` and what this backend runs (its own list, so the
 * message cannot contradict it), and that "auto" picks among them.
 */
export function assertRunsBasis(backend: Pick<PropagationBackend, 'bases' | 'name'>, basis: Basis): void {
  if (runsBasis(backend, basis)) return;
  const bases = backendBases(backend);
  throw new ConfigError(
    'basis', basis, `"auto" or ${namesOf(bases)} on backend ${backend.name}`,
    `backend ${backend.name} runs ${bases.length === 1 ? 'only ' : ''}${namesOf(bases)}, not "${basis}"`,
  );
}

/**
 * Refuses, before anything is allocated, a config with terms beyond the
 * paper on a backend that does not run them: a ConfigError naming the key,
 * what the backend runs, and the backend that runs it.
 */
export function assertRunsTerms(backend: Pick<PropagationBackend, 'extendedTerms' | 'localSpinBases' | 'name'>, config: Partial<RunConfig>): void {
  const keys = extendedKeysSet(config);
  if (backend.extendedTerms) {
    if (config.basis !== undefined && config.basis !== 'auto') assertRunsLocalSpin(backend, config.basis, config.localSpin ?? 0.5);
    return;
  }
  if (keys.length === 0) return;
  const key = keys[0];
  const allowed = key in EXTENDED_DEFAULTS ? `${EXTENDED_DEFAULTS[key as keyof typeof EXTENDED_DEFAULTS]} (the default) on backend ${backend.name}`
    : key === 'entanglement' ? `false (the default) on backend ${backend.name}` : `left out on backend ${backend.name}`;
  throw new ConfigError(
    key, config[key], allowed,
    `backend ${backend.name} runs the paper's model only (its Hamiltonian: th, Jex, Jsd, electronSpin, sdTerms; and its observables); ` +
      `${keys.join(', ')} ${keys.length > 1 ? 'run' : 'runs'} on the cpu backend (--backend cpu, "backend": "cpu")`,
  );
}

/** A run that was stopped through its AbortSignal. */
export class CancelledError extends Error {
  constructor(message = 'run cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Throws CancelledError once `signal` is aborted: the check every step loop makes between expansions. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** A state that cannot be allocated: says what it needs and what is allowed. */
export class ResourceError extends Error {
  constructor(
    message: string,
    readonly bytesNeeded: number,
    readonly bytesAllowed: number,
  ) {
    super(message);
    this.name = 'ResourceError';
  }
}

/**
 * assertRunsTerms for a backend handed a problem directly (its load()): a
 * Hamiltonian built with terms beyond the paper is refused before anything
 * is allocated, naming the keys, where the caller skipped runPropagation's
 * check (which names their values).
 */
export function assertRunsHamiltonianTerms(
  backend: Pick<PropagationBackend, 'extendedTerms' | 'localSpinBases' | 'name'>,
  h: Pick<HamiltonianTerms, 'extendedKeys'> & { readonly layout?: Pick<HamiltonianTerms['layout'], 'basis' | 'siteDeviations'> },
): void {
  const keys = h.extendedKeys;
  if (backend.extendedTerms) {
    if (h.layout) assertRunsLocalSpin(backend, h.layout.basis, (h.layout.siteDeviations ?? 1) / 2);
    return;
  }
  if (keys.length === 0) return;
  throw new ConfigError(
    keys[0], 'not its default', `its default on backend ${backend.name}`,
    `backend ${backend.name} runs the paper's model only; this Hamiltonian sets ${keys.join(', ')}, which ${keys.length > 1 ? 'run' : 'runs'} on the cpu backend (--backend cpu, "backend": "cpu")`,
  );
}

/** Why `backend` (which runs the keys beyond the paper) does not run local spin S in `basis`; undefined when it does. */
export function localSpinRefusal(backend: Pick<PropagationBackend, 'localSpinBases' | 'name'>, basis: Basis, S: number): string | undefined {
  const bases = backend.localSpinBases;
  if (S === 0.5 || !bases || bases.includes(basis)) return undefined;
  return `backend ${backend.name} runs local spins S > 1/2 in basis ${namesOf(bases)} only (basis "auto" takes it); ` +
    `basis "${basis}" of localSpin = ${S} runs on the cpu backend (--backend cpu, "backend": "cpu")`;
}

/** localSpinRefusal as a ConfigError naming `basis`, before anything is allocated. */
function assertRunsLocalSpin(backend: Pick<PropagationBackend, 'localSpinBases' | 'name'>, basis: Basis, S: number): void {
  const why = localSpinRefusal(backend, basis, S);
  if (why === undefined) return;
  const allowed = `"auto" or ${namesOf(backend.localSpinBases!)} for localSpin = ${S} on backend ${backend.name}`;
  throw new ConfigError('basis', basis, allowed, why);
}
