/**
 * The page's side of the compute worker: one worker per dashboard, one job
 * at a time. A cancel aborts the job's AbortSignal in the worker; a worker
 * too busy to read the message (a run on its own thread between two output
 * times) is terminated after a grace period and a fresh one is started for
 * the next job, so a cancel always ends the job.
 */

import ComputeWorker from './compute-worker.ts?worker&inline';
import type { Capabilities } from './capabilities.js';
import type { BackendInfo, ComputeJob, ErrorInfo, JobProgress, JobResult, StudyRunOutcome, SweepPointDone, WorkerReply, WorkerRequest } from './protocol.js';
import type { GpuMemoryBudget } from '../backends/webgpu/memory-budget.js';
import type { SimulationResult } from '../model/result.js';

/** How long a cancel waits for the worker to stop before terminating it. */
const CANCEL_GRACE_MS = 1500;

export interface JobCallbacks {
  onProgress?: (p: JobProgress) => void;
  onBackend?: (b: BackendInfo) => void;
  /** What the WebGPU backend's buffers need and what bounds them, before it allocates. */
  onGpuMemory?: (b: GpuMemoryBudget) => void;
  onPartial?: (r: SimulationResult) => void;
  onStudyRun?: (o: StudyRunOutcome) => void;
  /** A sweep's point finished (done or failed). */
  onSweepPoint?: (p: SweepPointDone) => void;
}

/** A job that failed in the worker; keeps the ConfigError key for the form. */
export class JobError extends Error {
  readonly key?: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
    this.key = info.key;
  }
}

/** A job ended by cancel(). */
export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

interface Pending extends JobCallbacks {
  resolve(r: JobResult): void;
  reject(e: Error): void;
}

export class ComputeClient {
  private worker?: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private capabilities?: Promise<Capabilities>;
  private capabilitiesResolve?: (c: Capabilities) => void;

  /** What the worker's global scope offers (probed once per worker). */
  probe(): Promise<Capabilities> {
    this.ensureWorker();
    return this.capabilities!;
  }

  run(job: ComputeJob, callbacks: JobCallbacks = {}): { id: number; done: Promise<JobResult> } {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const done = new Promise<JobResult>((resolve, reject) => this.pending.set(id, { ...callbacks, resolve, reject }));
    worker.postMessage({ type: 'start', id, job } satisfies WorkerRequest);
    return { id, done };
  }

  /** Ends job `id`: its promise rejects with JobCancelledError, never resolves with a partial result. */
  cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p || !this.worker) return;
    const worker = this.worker;
    worker.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
    setTimeout(() => {
      if (this.pending.has(id) && this.worker === worker) {
        this.terminate();
      }
    }, CANCEL_GRACE_MS);
  }

  /** Stops the worker; every job still going rejects as cancelled. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.capabilities = undefined;
    for (const p of this.pending.values()) p.reject(new JobCancelledError());
    this.pending.clear();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new ComputeWorker({ name: 'spin-transfer compute' });
    this.capabilities = new Promise((resolve) => (this.capabilitiesResolve = resolve));
    worker.onmessage = (ev: MessageEvent<WorkerReply>) => this.receive(ev.data);
    worker.onerror = (ev) => {
      const error = new Error(`the compute worker failed: ${ev.message || 'unknown error (see the browser console)'}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    worker.postMessage({ type: 'probe' } satisfies WorkerRequest);
    this.worker = worker;
    return worker;
  }

  private receive(m: WorkerReply): void {
    if (m.type === 'capabilities') {
      this.capabilitiesResolve?.(m.capabilities);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      case 'progress':
        p.onProgress?.(m.progress);
        break;
      case 'backend':
        p.onBackend?.(m.backend);
        break;
      case 'gpu-memory':
        p.onGpuMemory?.(m.budget);
        break;
      case 'partial':
        p.onPartial?.(m.result);
        break;
      case 'study-run':
        p.onStudyRun?.(m.outcome);
        break;
      case 'sweep-point':
        p.onSweepPoint?.(m.point);
        break;
      case 'done':
        this.pending.delete(m.id);
        p.resolve(m.result);
        break;
      case 'error':
        this.pending.delete(m.id);
        p.reject(new JobError(m.error));
        break;
      case 'cancelled':
        this.pending.delete(m.id);
        p.reject(new JobCancelledError());
        break;
    }
  }
}
