/**
 * The contract between the propagator and a compute backend. A backend owns
 * the state and its work buffers; the propagator owns the physics (the
 * Hamiltonian terms, the spectral scale, the Chebyshev weights) and never
 * touches amplitudes between output times, so a GPU backend encodes a whole
 * expansion at once and reads back only the reductions.
 */

import { ConfigError, EXTENDED_DEFAULTS, extendedKeysSet, type Basis, type RunConfig } from '../model/config.js';
import type { HamiltonianTerms } from '../model/hamiltonian.js';
import type { CrossReduction, StateReduction } from '../model/observables.js';
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
  /** The bases (config key `basis`) it runs; without it, "full" only. */
  readonly bases?: readonly Basis[];
  /**
   * Whether it runs the keys beyond the paper (config.ts EXTENDED_KEYS:
   * fields, anisotropy, per-site and per-bond couplings, entanglement
   * observables); without it, only the paper's model, and a config that sets
   * one of them is refused.
   */
  readonly extendedTerms?: boolean;
  /** Allocate for the problem and take psi (its basis's layout, interleaved complex). */
  load(problem: PropagationProblem, psi: Float64Array): Promise<void>;
  /** Reductions of the current state. */
  reduce(): Promise<StateReduction>;
  /**
   * One Chebyshev expansion: for each row m of series.weights,
   *   psi_m = sum_k (-i)^k w_k^(m) T_k(H~) psi,
   * returns the reductions of every psi_m, and leaves the state at the last one.
   */
  advance(series: ChebyshevSeries): Promise<StateReduction[]>;
  /** The current state (canonical layout, interleaved complex, f64), without the global phase. */
  readState(): Promise<Float64Array>;
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
  return (backend.bases ?? ['full']).includes(basis);
}

/** Refuses, before anything is allocated, a basis the backend does not run: a ConfigError naming `basis`. */
export function assertRunsBasis(backend: Pick<PropagationBackend, 'bases' | 'name'>, basis: Basis): void {
  if (runsBasis(backend, basis)) return;
  const bases = backend.bases ?? ['full'];
  throw new ConfigError(
    'basis', basis, bases.map((b) => `"${b}"`).join(' or ') + ` on backend ${backend.name}`,
    `backend ${backend.name} does not run basis "${basis}"; the cpu backend runs both bases`,
  );
}

/**
 * Refuses, before anything is allocated, a config with terms beyond the
 * paper on a backend that does not run them: a ConfigError naming the key,
 * what the backend runs, and the backend that runs it.
 */
export function assertRunsTerms(backend: Pick<PropagationBackend, 'extendedTerms' | 'name'>, config: Partial<RunConfig>): void {
  const keys = extendedKeysSet(config);
  if (backend.extendedTerms || keys.length === 0) return;
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
