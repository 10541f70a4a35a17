/**
 * The library's entry point: one run config in, one result (INTERFACE.md) out.
 * The CLI, the dashboard, the studies and the tests all call simulate().
 */

import { assertRunsBasis, ResourceError, type PropagationBackend } from './backends/backend.js';
import { formatBytes, hostMemoryLimit } from './backends/memory.js';
import { selectBackend, type BackendOptions } from './backends/select.js';
import { parseRunConfig, type ResolvedRunConfig } from './model/config.js';
import { basisCannotHold, resolveBasis, withPresumedBasis, type BasisChoice } from './model/basis.js';
import { layoutForConfig } from './model/layout.js';
import { LIMITS, MAX_JSON_TEXT, resultSize } from './model/limits.js';
import { fullBasisTableBytes, sectorTableBytes } from './model/sector.js';
import { assembleResult, type SimulationResult } from './model/result.js';
import { CHECKPOINT_FORMAT_VERSION, checkCheckpointConfig, type Checkpoint, type CheckpointInfo, type StreamedCheckpoint } from './propagator/checkpoint.js';
import { runPropagation, type Progress, type PropagationOptions } from './propagator/propagate.js';

/** Output times per expansion assumed for memory planning (the CPU backend's preference). */
export const DEFAULT_OUTPUTS_PER_EXPANSION = 4;

export interface SimulateOptions extends BackendOptions {
  /** A backend name ("cpu", "auto") or a backend instance (left undisposed). Default "auto". */
  backend?: string | PropagationBackend;
  onProgress?: (p: Progress) => void;
  /** With `entanglement`: the entanglement series so far, after each expansion (runPropagation's onEntanglement). */
  onEntanglement?: PropagationOptions['onEntanglement'];
  /** Aborting rejects the run with CancelledError; no partial result is returned. */
  signal?: AbortSignal;
  /** Output times per Chebyshev expansion (default: the backend's preferred number). */
  outputsPerExpansion?: number;
  /** Told which backend runs and why, and which basis and why ("auto" resolved: model/basis.ts), before the run starts. */
  onBackend?: (name: string, description: string, reason: string, basis: BasisChoice) => void;
  /** Checkpoints of the run at expansion boundaries (src/propagator/checkpoint.ts). */
  checkpoint?: CheckpointOptions;
  /**
   * Continue the run a checkpoint was taken of (its config must be this
   * config: CheckpointError otherwise). Its outputs per expansion replace
   * `outputsPerExpansion`; the result is the uninterrupted run's (exactly so
   * on the CPU backend with the same thread count) except `timing`, whose
   * seconds and matvecs count every session.
   */
  resumeFrom?: Checkpoint;
}

interface CheckpointTiming {
  /** Seconds between checkpoints: each is taken at the first expansion boundary this long after the last (0: every expansion). */
  everySeconds: number;
  /** The code version recorded in each checkpoint (default "unknown"; the CLI records the package version). */
  codeVersion?: string;
}

/** Checkpoints of a run: `write` receives each with its whole state, `writeStreamed` with its state to read piece by piece. */
export type CheckpointOptions = CheckpointTiming & (
  | {
    /** Receives each checkpoint, its state read whole (encodeCheckpoint turns it into bytes); the run waits for it. */
    write(checkpoint: Checkpoint): void | Promise<void>;
    writeStreamed?: never;
  }
  | {
    /**
     * Receives each checkpoint with its state still on the backend, to read
     * piece by piece (writeCheckpointFile, writeCheckpoint) until this returns;
     * the run waits for it. The host then never holds the state whole.
     */
    writeStreamed(checkpoint: StreamedCheckpoint): void | Promise<void>;
    write?: never;
  }
);

/**
 * Bytes a CPU-side f64 run of this config holds at its peak: the state, the
 * Chebyshev work vector and the accumulators (one per output time of an
 * expansion), the initial state as built, and the result: its time series
 * (output times x (N + L + 16) f64 numbers) and their JSON text.
 * `propagations` states propagated side by side (2 for a theta sweep, which
 * also holds both of its initial states) multiply the first part.
 */
export function memoryEstimate(config: ResolvedRunConfig, outputsPerExpansion = DEFAULT_OUTPUTS_PER_EXPANSION, propagations = 1): number {
  const layout = layoutForConfig(config);
  const stateBytes = layout.dim * 16;
  const builders = config.state === 'theta' || propagations > 1 ? 3 : 1;
  const { seriesBytes, jsonChars } = resultSize(config);
  const series = propagations * (seriesBytes + jsonChars);
  // A sector's tables, once per thread at most (two operators, H and H~, share them); the full basis of
  // spin S > 1/2 holds tables of every configuration (model/sector.ts, fullBasisTables).
  const cap = layout.siteDeviations ?? 1;
  const tables = layout.basis !== 'full' ? sectorTableBytes(layout.L, layout.downSpins, layout.electrons, cap) * 3
    : cap !== 1 ? fullBasisTableBytes(layout.L, layout.electrons, cap) * 3 : 0;
  return stateBytes * ((2 + outputsPerExpansion) * propagations + builders) + series + tables;
}

export interface RunPlan {
  /** Output times per Chebyshev expansion the run will use. */
  outputsPerExpansion: number;
  /** Bytes it will hold at its peak (memoryEstimate). */
  bytesNeeded: number;
  /** Bytes the host allows, and where that figure comes from. */
  bytesAllowed: number;
  allowedSource: string;
}

/**
 * What a run of this config will hold. Several output times per expansion
 * hold one accumulator each: where memory is short and the caller did not
 * ask for a number, the plan falls back to one before the run is refused.
 */
export function planRun(config: ResolvedRunConfig, requestedOutputsPerExpansion?: number, propagations = 1): RunPlan {
  const limit = hostMemoryLimit();
  let outputsPerExpansion = requestedOutputsPerExpansion ?? DEFAULT_OUTPUTS_PER_EXPANSION;
  if (requestedOutputsPerExpansion === undefined && memoryEstimate(config, outputsPerExpansion, propagations) > limit.bytes) outputsPerExpansion = 1;
  return {
    outputsPerExpansion,
    bytesNeeded: memoryEstimate(config, outputsPerExpansion, propagations),
    bytesAllowed: limit.bytes,
    allowedSource: limit.source,
  };
}

/** Refuses a config whose state would not fit, before any allocation. */
export function checkMemory(config: ResolvedRunConfig, outputsPerExpansion?: number, propagations = 1): RunPlan {
  checkResultSize(config, outputsPerExpansion);
  const plan = planRun(config, outputsPerExpansion, propagations);
  const needed = plan.bytesNeeded;
  const limit = { bytes: plan.bytesAllowed, source: plan.allowedSource };
  if (needed > limit.bytes) {
    const dim = layoutForConfig(config).dim;
    // The next smaller exact basis: the sector for the full basis, its antisymmetric half for a sector of two electrons.
    const next = config.basis === 'full' ? 'sector' : config.basis === 'sector' ? 'antisymmetric' : undefined;
    const smaller = next && basisCannotHold(next, config) === undefined ? next : undefined;
    const bytes = smaller ? memoryEstimate({ ...config, basis: smaller }, plan.outputsPerExpansion, propagations) : undefined;
    const remedy = bytes !== undefined
      ? `--basis ${smaller} ("basis": "${smaller}") needs ${formatBytes(bytes)} for this state and gives the same result${bytes > limit.bytes ? ', but does not fit either: reduce N or L' : ''}.`
      : 'Reduce N or L.';
    throw new ResourceError(
      `the state does not fit in memory: N = ${config.N}, L = ${config.L}${config.localSpin !== undefined ? `, localSpin = ${config.localSpin}` : ''} gives ${dim} amplitudes in basis "${config.basis}"` +
        `${propagations > 1 ? ` (${propagations} states side by side)` : ''}, ` +
        `which needs ${formatBytes(needed)}; allowed: ${formatBytes(limit.bytes)} (${limit.source}). ${remedy}`,
      needed,
      limit.bytes,
    );
  }
  return plan;
}

/**
 * Refuses a run whose result could not be written: its JSON text is one
 * string, and a JavaScript engine holds no string longer than MAX_JSON_TEXT.
 * Also bounds the caller's outputsPerExpansion (each output time of an
 * expansion lengthens its Chebyshev series).
 */
function checkResultSize(config: ResolvedRunConfig, outputsPerExpansion?: number): void {
  const max = LIMITS.maxOutputsPerExpansion;
  if (outputsPerExpansion !== undefined && !(Number.isInteger(outputsPerExpansion) && outputsPerExpansion >= 1 && outputsPerExpansion <= max)) {
    throw new RangeError(`outputsPerExpansion must be an integer 1 … ${max}, got ${outputsPerExpansion}`);
  }
  const { jsonChars } = resultSize(config);
  if (jsonChars > MAX_JSON_TEXT) {
    throw new ResourceError(
      `the result does not fit in one JSON text: ${Math.floor(config.tEnd / config.dt + 1e-9) + 1} output times of ` +
        `N + L + 16 = ${config.N + config.L + 16} numbers need up to ${formatBytes(jsonChars)} of JSON; ` +
        `a JavaScript string holds at most ${formatBytes(MAX_JSON_TEXT)}. Raise dt, lower tEnd or N.`,
      jsonChars,
      MAX_JSON_TEXT,
    );
  }
}

/**
 * A line for people when a full-basis run is much larger than its sector
 * (MODEL.md, Symmetry): at least 4 times and a million amplitudes, where the
 * sector saves real time. Undefined otherwise.
 */
export function sectorAdvice(config: ResolvedRunConfig): string | undefined {
  if (config.basis !== 'full') return undefined;
  const full = layoutForConfig(config).dim;
  const sector = layoutForConfig({ ...config, basis: 'sector' }).dim;
  if (full < 1e6 || full < 4 * sector) return undefined;
  return `note: basis "full" holds ${full} amplitudes; --basis sector ("basis": "sector") holds ${sector} ` +
    `(${(full / sector).toFixed(1)} times fewer) for this state and gives the same result`;
}

export async function simulate(input: unknown, options: SimulateOptions = {}): Promise<SimulationResult> {
  const requested = parseRunConfig(input);
  const resume = options.resumeFrom;
  if (resume) checkCheckpointConfig(resume, requested);
  // Refused before a backend starts when even the basis "auto" presumes (the smallest that holds the state) cannot fit.
  checkMemory(resume?.config ?? withPresumedBasis(requested), resume?.outputsPerExpansion ?? options.outputsPerExpansion);
  const own = typeof options.backend !== 'object';
  const choice =
    typeof options.backend === 'object'
      ? { backend: options.backend, reason: 'given by the caller' }
      : await selectBackend(options.backend ?? 'auto', { ...options, config: requested });
  const { backend } = choice;
  const checkpoint = options.checkpoint;
  try {
    // The basis is resolved here, once the backend is known; everything after sees the resolved config.
    const basis = resolveBasis(requested, backend, resume?.config.basis);
    const config: ResolvedRunConfig = { ...requested, basis: basis.basis };
    if (resume) checkCheckpointConfig(resume, config);
    assertRunsBasis(backend, config.basis);
    const plan = checkMemory(config, resume?.outputsPerExpansion ?? options.outputsPerExpansion);
    const dim = layoutForConfig(config).dim;
    const run = await runPropagation(config, backend, {
      onProgress: options.onProgress,
      onEntanglement: options.onEntanglement,
      signal: options.signal,
      // A backend instance may prefer its own number unless memory forced one.
      outputsPerExpansion: options.outputsPerExpansion ?? (plan.outputsPerExpansion === 1 ? 1 : undefined),
      onStart: () => options.onBackend?.(backend.name, backend.description, choice.reason, basis),
      resumeFrom: resume,
      checkpoint: checkpoint && {
        everySeconds: checkpoint.everySeconds,
        take: async (s) => {
          const info: CheckpointInfo = {
            formatVersion: CHECKPOINT_FORMAT_VERSION,
            codeVersion: checkpoint.codeVersion ?? 'unknown',
            created: new Date().toISOString(),
            config,
            dim,
            backend: backend.name,
            backendDescription: backend.description,
            precision: backend.precision,
            outputsPerExpansion: s.outputsPerExpansion,
            step: s.step,
            t: s.t,
            matvecs: s.matvecs,
            seconds: s.seconds,
            reductions: s.reductions,
            ...(s.entanglement ? { entanglement: s.entanglement } : {}),
          };
          if (checkpoint.writeStreamed) await checkpoint.writeStreamed({ ...info, stateChunks: s.stateChunks });
          else await checkpoint.write({ ...info, state: await s.readState() });
        },
      },
    });
    return assembleResult(config, dim, backend, run.t, run.reductions, {
      seconds: run.seconds,
      matvecs: run.matvecs,
      ...(run.phases ? { phases: run.phases } : {}),
    }, run.entanglement);
  } finally {
    if (own) await backend.dispose();
  }
}

/** Continues the run `checkpoint` was taken of (its own config): simulate(checkpoint.config, { resumeFrom: checkpoint }). */
export function resumeSimulation(checkpoint: Checkpoint, options: Omit<SimulateOptions, 'resumeFrom'> = {}): Promise<SimulationResult> {
  return simulate(checkpoint.config, { ...options, resumeFrom: checkpoint });
}
