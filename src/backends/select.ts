/**
 * Backend names the CLI, the dashboard and the library accept, and how "auto"
 * chooses one. Each backend says why it was chosen, so a user can tell.
 */

import type { PropagationBackend } from './backend.js';
import { createCpuBackend } from './cpu/cpu-backend.js';
import { noHardwareGpuReason, probeAdapter, WebGpuUnavailableError } from './webgpu/device.js';
import { createWebGpuBackend } from './webgpu/webgpu-backend.js';

export const BACKEND_NAMES = ['auto', 'cpu', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
  backend: PropagationBackend;
  /** Why this backend runs (for "auto": why the others do not). */
  reason: string;
}

export interface BackendOptions {
  /** CPU worker threads: a number or "auto". */
  threads?: number | 'auto';
}

export async function selectBackend(name: string, options: BackendOptions = {}): Promise<BackendChoice> {
  switch (name) {
    case 'cpu':
      return { backend: createCpuBackend({ threads: options.threads }), reason: 'requested' };
    case 'webgpu': {
      const probe = await probeAdapter();
      if (!probe.found) throw new WebGpuUnavailableError(probe.reason);
      const note = probe.software ? ` (a software adapter: it runs on the CPU, in f32)` : '';
      return { backend: createWebGpuBackend({ adapter: probe.adapter }), reason: `requested; adapter ${probe.description}${note}` };
    }
    case 'auto': {
      const cpu = () => createCpuBackend({ threads: options.threads });
      // Only a hardware adapter is worth choosing (a software one is slower than the CPU backend).
      const noGpu = noHardwareGpuReason();
      if (noGpu) return { backend: cpu(), reason: `auto: ${noGpu}, so the f64 CPU backend; --backend webgpu tries a software adapter` };
      const probe = await probeAdapter();
      if (!probe.found) return { backend: cpu(), reason: `auto: no WebGPU adapter (${probe.reason}), so the f64 CPU backend` };
      if (probe.software) {
        return {
          backend: cpu(),
          reason:
            `auto: the only WebGPU adapter is a software one (${probe.description}), which runs on the CPU in f32 and is ` +
            'slower than the f64 CPU backend; --backend webgpu uses it anyway',
        };
      }
      return { backend: createWebGpuBackend({ adapter: probe.adapter }), reason: `auto: WebGPU adapter ${probe.description} (f32)` };
    }
    default:
      throw new RangeError(`unknown backend "${name}"; allowed: ${BACKEND_NAMES.join(', ')}`);
  }
}
