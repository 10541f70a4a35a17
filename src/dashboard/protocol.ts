/**
 * The messages between the page and the compute worker. Everything here is
 * structured-cloneable: the worker runs simulate(), runStudy() or runSweep() and sends
 * back progress, partial series and the result, never a live object.
 */

import type { BasisChoice } from '../model/basis.js';
import type { GpuMemoryBudget } from '../backends/webgpu/memory-budget.js';
import type { SimulationResult } from '../model/result.js';
import type { Capabilities } from './capabilities.js';
import type { StudyName, StudyResult } from '../studies/study-result.js';
import type { SweepSpec } from '../sweeps/grid.js';
import type { SweepResult, SweepRow } from '../sweeps/run-sweep.js';

/** What the dashboard can run: one simulate() call, one of the paper's studies, or a sweep (runSweep). */
export type ComputeJob =
  | ({ kind: 'run'; config: unknown } & JobBackend)
  | ({ kind: 'study'; study: StudyName; config: unknown; d?: number[]; points?: number; L?: number[] } & JobBackend)
  | ({ kind: 'sweep'; spec: SweepSpec } & JobBackend);

/** Where a job runs: the backend, the CPU threads, and the cap on the WebGPU backend's buffers (bytes; the GPU memory field). */
export interface JobBackend {
  backend: string;
  threads?: number | 'auto';
  gpuMemory?: number;
}

/** A run result or a study result: what export, import and the charts take. */
export type AnyResult = SimulationResult | StudyResult;

export function isStudyResult(r: AnyResult): r is StudyResult {
  return typeof (r as { study?: unknown }).study === 'string';
}

/** What a job resolves to: a run's or a study's result, or a sweep's table (sweep.json). */
export type JobResult = AnyResult | SweepResult;

export function isSweepResult(r: JobResult): r is SweepResult {
  return (r as { kind?: unknown }).kind === 'spin-transfer sweep';
}

/** One point of a sweep as it finishes: its row and, when done, its full result. */
export interface SweepPointDone {
  index: number;
  name: string;
  row: SweepRow;
  result?: SimulationResult;
}

/** Progress of a run or a study, as the progress bar shows it. */
export interface JobProgress {
  /** 0 … 1 of the whole job. */
  fraction: number;
  /** Simulated time the running propagation reached, fs. */
  t?: number;
  elapsedSeconds: number;
  etaSeconds?: number;
  /** Studies: the run going now, and runs done of all. */
  label?: string;
  runsDone?: number;
  runs?: number;
}

/** One finished run of a study: the series it keeps (studies/simulate-job.ts, fig4.ts). */
export interface StudyRunOutcome {
  label: string;
  deltaSigmaZ?: number[];
  /** A theta sweep: one deltaSigmaZ series per angle. */
  series?: number[][];
}

/** An error as it crosses the worker boundary; ConfigError keeps its key. */
export interface ErrorInfo {
  name: string;
  message: string;
  key?: string;
  allowed?: string;
}

export interface BackendInfo {
  name: string;
  description: string;
  reason: string;
  /** The basis the run uses and why ("auto" resolved on this backend: model/basis.ts); absent where a job did not say. */
  basis?: BasisChoice;
}

export type WorkerRequest =
  | { type: 'probe' }
  | { type: 'start'; id: number; job: ComputeJob }
  | { type: 'cancel'; id: number };

export type WorkerReply =
  | { type: 'capabilities'; capabilities: Capabilities }
  | { type: 'backend'; id: number; backend: BackendInfo }
  | { type: 'gpu-memory'; id: number; budget: GpuMemoryBudget }
  | { type: 'progress'; id: number; progress: JobProgress }
  | { type: 'partial'; id: number; result: SimulationResult }
  | { type: 'study-run'; id: number; outcome: StudyRunOutcome }
  | { type: 'sweep-point'; id: number; point: SweepPointDone }
  | { type: 'done'; id: number; result: JobResult }
  | { type: 'error'; id: number; error: ErrorInfo }
  | { type: 'cancelled'; id: number };
