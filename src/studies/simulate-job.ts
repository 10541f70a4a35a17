/**
 * A study job that is one run of simulate(): it keeps the series the studies
 * plot (Delta sigma_z, the spin-state probabilities) and the run's record, not
 * the whole result, so the cache of a long study stays small.
 */

import type { GpuMemoryBudget } from '../backends/webgpu/memory-budget.js';
import type { RunConfig } from '../model/config.js';
import { simulate } from '../simulate.js';
import { jobCost, jobKey, recordOf, type Job, type JobOutcome } from './jobs.js';

export interface BackendRequest {
  /** Backend name, as simulate() takes it. */
  backend?: string;
  threads?: number | 'auto';
  /** Cap on the WebGPU backend's buffers, bytes (--gpu-memory). */
  gpuMemory?: number;
  /** Told what each run's WebGPU buffers need, before they are allocated. */
  onGpuMemory?: (budget: GpuMemoryBudget) => void;
}

export interface SeriesOutcome extends JobOutcome {
  deltaSigmaZ: number[];
  probabilities?: { S: number[]; T0: number[]; 'T+': number[]; 'T-': number[] };
}

export function simulateJob(study: string, label: string, config: RunConfig, request: BackendRequest): Job<SeriesOutcome> {
  return {
    label,
    cost: jobCost(config),
    key: jobKey(study, label, { config, backend: request.backend ?? 'auto' }),
    async run(context) {
      const r = await simulate(config, {
        backend: request.backend,
        threads: request.threads,
        gpuMemory: request.gpuMemory,
        onGpuMemory: request.onGpuMemory,
        signal: context.signal,
        onProgress: context.onProgress,
        onBackend: context.onBackend,
      });
      const out: SeriesOutcome = { record: recordOf(label, r), deltaSigmaZ: r.deltaSigmaZ };
      if (r.probabilities) out.probabilities = r.probabilities;
      return out;
    },
  };
}
