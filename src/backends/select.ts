/**
 * Backend names the CLI, the dashboard and the library accept, and how "auto"
 * chooses one. Each backend says why it was chosen, so a user can tell.
 */

import type { Basis } from '../model/config.js';
import { runsBasis, type PropagationBackend } from './backend.js';
import { createCpuBackend } from './cpu/cpu-backend.js';
import { noHardwareGpuReason, probeAdapter, WebGpuUnavailableError } from './webgpu/device.js';
import { createWebGpuBackend } from './webgpu/webgpu-backend.js';
import { webGl2Renderer } from './gpujs/webgl2-renderer.js';

export const BACKEND_NAMES = ['auto', 'cpu', 'webgpu', 'gpujs', 'gpujs-webgl2', 'gpujs-webasm'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
  backend: PropagationBackend;
  /** Why this backend runs (for "auto": why the others do not). */
  reason: string;
}

export interface BackendOptions {
  /** CPU worker threads: a number or "auto". */
  threads?: number | 'auto';
  /** The basis to run: "auto" passes over backends that do not run it. */
  basis?: Basis;
  /** The config's keys beyond the paper (config.ts extendedKeysSet): "auto" passes over backends that do not run them. */
  extendedKeys?: readonly string[];
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
    case 'gpujs':
    case 'gpujs-webgl2':
    case 'gpujs-webasm': {
      // Loaded on demand: gpu.js is large and only these names need it.
      const { bestGpuJsMode, createGpuJsBackend } = await import('./gpujs/gpujs-backend.js');
      const forced = name === 'gpujs' ? undefined : name === 'gpujs-webgl2' ? ('webgl2' as const) : ('webasm' as const);
      // createGpuJsBackend throws GpuJsUnavailableError, naming the mode and why, when the mode cannot start.
      const backend = createGpuJsBackend({ mode: forced ?? bestGpuJsMode() });
      return { backend, reason: forced ? 'requested' : `requested; best gpu.js mode here: ${backend.mode} (f32)` };
    }
    // auto: WebGPU on a hardware adapter, then gpu.js webgl2 on a hardware WebGL2 renderer (a browser
    // without WebGPU), then the f64 CPU backend. Software adapters and gpu.js's webasm mode are passed
    // over: measured slower than the CPU backend (docs/benchmarks.md, docs/gpujs.md).
    case 'auto': {
      const cpu = (why: string, hint?: string) => ({
        backend: createCpuBackend({ threads: options.threads }),
        reason: `auto: ${why}, so the f64 CPU backend${hint ? `; ${hint}` : ''}`,
      });
      // Only the CPU backend runs the terms beyond the paper (fields, anisotropy, per-site couplings).
      if (options.extendedKeys?.length) return cpu(`${options.extendedKeys.join(', ')} ${options.extendedKeys.length > 1 ? 'are' : 'is'} set, which only the CPU backend runs`);
      const noGpu = noHardwareGpuReason();
      if (noGpu) return cpu(noGpu, '--backend webgpu tries a software adapter');
      const probe = await probeAdapter();
      const basis = options.basis ?? 'full';
      if (probe.found && !probe.software) {
        const webgpu = createWebGpuBackend({ adapter: probe.adapter });
        if (runsBasis(webgpu, basis)) return { backend: webgpu, reason: `auto: WebGPU adapter ${probe.description} (f32)` };
        await webgpu.dispose();
        return cpu(`the WebGPU backend does not run basis "${basis}"`);
      }
      const webgpuWhy = probe.found
        ? `the only WebGPU adapter is a software one (${probe.description}), slower than the CPU backend (--backend webgpu uses it anyway)`
        : `no WebGPU adapter (${probe.reason})`;
      const gl = webGl2Renderer();
      // gpu.js runs basis "full" only.
      if (gl && !gl.software && basis === 'full') {
        const { createGpuJsBackend } = await import('./gpujs/gpujs-backend.js');
        return { backend: createGpuJsBackend({ mode: 'webgl2' }), reason: `auto: ${webgpuWhy}; gpu.js webgl2 on ${gl.renderer} (f32)` };
      }
      const glWhy = gl && basis !== 'full' ? `gpu.js does not run basis "${basis}"` : gl ? `WebGL2 is a software renderer (${gl.renderer})` : 'no WebGL2';
      return cpu(`${webgpuWhy}; ${glWhy}`);
    }
    default:
      throw new RangeError(`unknown backend "${name}"; allowed: ${BACKEND_NAMES.join(', ')}`);
  }
}
