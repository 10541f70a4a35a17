/**
 * The compute worker: runs simulate(), runStudy() or runSweep() off the page's thread,
 * so the page stays responsive, and answers with progress, partial series
 * and the result (protocol.ts). WebGPU, where the browser offers it to
 * workers, is used from here; the CPU backend starts its own Web Workers
 * over SharedArrayBuffer when the page is cross-origin isolated.
 */

import { CancelledError } from '../backends/backend.js';
import { selectBackend, type BackendOptions } from '../backends/select.js';
import { resolveBasis } from '../model/basis.js';
import { ConfigError, parseRunConfig } from '../model/config.js';
import type { EntanglementSeries } from '../model/entanglement.js';
import { simulate } from '../simulate.js';
import { runStudy } from '../studies/run-study.js';
import { runSweep } from '../sweeps/run-sweep.js';
import { probeCapabilities } from './capabilities.js';
import type { ComputeJob, ErrorInfo, JobBackend, StudyRunOutcome, WorkerReply, WorkerRequest } from './protocol.js';
import { watchReductions } from './live-series.js';

/** Partial series are sent at most this often: each one carries every output time so far. */
const PARTIAL_INTERVAL_MS = 200;

const scope = self as unknown as {
  postMessage(message: WorkerReply): void;
  onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null;
};
const running = new Map<number, AbortController>();

scope.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === 'probe') void probeCapabilities().then((capabilities) => scope.postMessage({ type: 'capabilities', capabilities }));
  else if (m.type === 'cancel') running.get(m.id)?.abort();
  else if (m.type === 'start') void start(m.id, m.job);
};

async function start(id: number, job: ComputeJob): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const result = job.kind === 'run'
      ? await runOne(id, job, controller.signal)
      : job.kind === 'sweep'
        ? await runPageSweep(id, job, controller.signal)
        : await runPaperStudy(id, job, controller.signal);
    scope.postMessage(controller.signal.aborted ? { type: 'cancelled', id } : { type: 'done', id, result });
  } catch (err) {
    if (err instanceof CancelledError || controller.signal.aborted) scope.postMessage({ type: 'cancelled', id });
    else scope.postMessage({ type: 'error', id, error: errorInfo(err) });
  } finally {
    running.delete(id);
  }
}

async function runOne(id: number, job: Extract<ComputeJob, { kind: 'run' }>, signal: AbortSignal) {
  const config = parseRunConfig(job.config);
  const choice = await selectBackend(job.backend, { threads: job.threads, config, ...gpuMemoryOptions(id, job) });
  const started = performance.now();
  let lastPartial = 0;
  let entanglement: Readonly<EntanglementSeries> | undefined;
  try {
    // simulate() resolves the basis the same way on the same backend; the partial results need it first.
    const watched = watchReductions({ ...config, basis: resolveBasis(config, choice.backend).basis }, choice.backend);
    return await simulate(config, {
      backend: watched.backend,
      signal,
      onEntanglement: (series) => (entanglement = series),
      onBackend: (name, description, _reason, basis) => scope.postMessage({ type: 'backend', id, backend: { name, description, reason: choice.reason, basis } }),
      onProgress: (p) => {
        scope.postMessage({ type: 'progress', id, progress: { fraction: p.fraction, t: p.t, elapsedSeconds: p.elapsedSeconds, etaSeconds: p.etaSeconds } });
        const now = performance.now();
        if (now - lastPartial >= PARTIAL_INTERVAL_MS && p.fraction < 1) {
          lastPartial = now;
          scope.postMessage({ type: 'partial', id, result: watched.partial((now - started) / 1000, entanglement) });
        }
      },
    });
  } finally {
    await choice.backend.dispose();
  }
}

async function runPaperStudy(id: number, job: Extract<ComputeJob, { kind: 'study' }>, signal: AbortSignal) {
  return runStudy(job.study, job.config, {
    backend: job.backend,
    threads: job.threads,
    ...gpuMemoryOptions(id, job),
    signal,
    // Each finished run is drawn at once, before the study ends.
    onRunDone: (label, done) => {
      const v = done as { deltaSigmaZ?: number[]; series?: number[][] } & typeof done;
      const outcome: StudyRunOutcome = { label: v.record.label ?? label };
      if (Array.isArray(v.deltaSigmaZ)) outcome.deltaSigmaZ = v.deltaSigmaZ;
      if (Array.isArray(v.series)) outcome.series = v.series;
      scope.postMessage({ type: 'study-run', id, outcome });
    },
    d: job.d,
    points: job.points,
    L: job.L,
    onBackend: (name, description, reason, basis) => scope.postMessage({ type: 'backend', id, backend: { name, description, reason, basis } }),
    onProgress: (p) => scope.postMessage({ type: 'progress', id, progress: { ...p } }),
  });
}

/** A sweep: each point's row and full result go to the page as it finishes, so the figure fills in and any point opens. */
async function runPageSweep(id: number, job: Extract<ComputeJob, { kind: 'sweep' }>, signal: AbortSignal) {
  return runSweep(job.spec, {
    backend: job.backend,
    threads: job.threads,
    ...gpuMemoryOptions(id, job),
    signal,
    onPointDone: (point, row, result) => scope.postMessage({ type: 'sweep-point', id, point: { index: point.index, name: point.name, row, result } }),
    onBackend: (name, description, reason, basis) => scope.postMessage({ type: 'backend', id, backend: { name, description, reason, basis } }),
    onProgress: (p) => scope.postMessage({ type: 'progress', id, progress: { ...p } }),
  });
}

/** The GPU memory field's cap, and the budget the WebGPU backend reports before it allocates, sent to the page. */
function gpuMemoryOptions(id: number, job: JobBackend): Pick<BackendOptions, 'gpuMemory' | 'onGpuMemory'> {
  return { gpuMemory: job.gpuMemory, onGpuMemory: (budget) => scope.postMessage({ type: 'gpu-memory', id, budget }) };
}

function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof ConfigError) return { name: err.name, message: err.message, key: err.key, allowed: err.allowed };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}
