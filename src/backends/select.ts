/**
 * Backend names the CLI, the dashboard and the library accept, and how "auto"
 * chooses one. Each backend says why it was chosen, so a user can tell.
 */

import { basisCannotHold, backendBases, namesOf, type BasisQuestion } from '../model/basis.js';
import { extendedKeysSet, type BasisSetting, type ExtendedKey, type RunConfig } from '../model/config.js';
import { localSpinRefusal, type PropagationBackend } from './backend.js';
import { createCpuBackend } from './cpu/cpu-backend.js';
import { noHardwareGpuReason, probeAdapter, WebGpuUnavailableError } from './webgpu/device.js';
import type { GpuMemoryBudget } from './webgpu/memory-budget.js';
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
  /**
   * The config to run (its basis, L and state): backend "auto" passes over a
   * backend that runs no basis for it (a basis named in the config it does not
   * run, or, for basis "auto", none that holds the state) or that does not
   * run the keys beyond the paper it sets (config.ts extendedKeysSet: the
   * CPU backend runs them all, WebGPU all but local spins S > 1/2 outside the
   * sector, gpu.js none). Default: the paper's run in basis "auto", which
   * every backend runs.
   */
  config?: BasisQuestion & Partial<Pick<RunConfig, ExtendedKey>> & { basis: BasisSetting };
  /** Cap on the WebGPU backend's buffers together, bytes (--gpu-memory; webgpu/memory-budget.ts). A backend instance given to simulate() keeps its own. */
  gpuMemory?: number;
  /** Told, before the WebGPU backend allocates a state, what it needs and what bounds it. */
  onGpuMemory?: (budget: GpuMemoryBudget) => void;
}

/** The WebGPU backend on `adapter` with the caller's memory budget. */
function webGpuOn(adapter: GPUAdapter, options: BackendOptions): PropagationBackend {
  return createWebGpuBackend({ adapter, maxTotalBytes: options.gpuMemory, onMemoryBudget: options.onGpuMemory });
}

/** Why `backend` runs no basis for `config` (or not its keys beyond the paper); undefined when it runs one. Backend "auto" asks it of each candidate. */
export function runsNoBasisFor(
  backend: Pick<PropagationBackend, 'name' | 'bases' | 'extendedTerms' | 'localSpinBases'>,
  config: BackendOptions['config'],
): string | undefined {
  if (!config) return undefined;
  const extended = extendedKeysSet(config);
  if (extended.length && !backend.extendedTerms) return `the ${backend.name} backend does not run ${extended.join(', ')} (the cpu and webgpu backends do)`;
  const bases = backendBases(backend);
  if (config.basis !== 'auto') {
    if (!bases.includes(config.basis)) return `the ${backend.name} backend runs ${namesOf(bases)}, not basis "${config.basis}"`;
    return localSpinRefusal(backend, config.basis, config.localSpin ?? 0.5);
  }
  if (bases.some((b) => basisCannotHold(b, config) === undefined)) return undefined;
  return `no basis the ${backend.name} backend runs holds this state (${bases.map((b) => basisCannotHold(b, config)).join('; ')})`;
}

export async function selectBackend(name: string, options: BackendOptions = {}): Promise<BackendChoice> {
  switch (name) {
    case 'cpu':
      return { backend: createCpuBackend({ threads: options.threads }), reason: 'requested' };
    case 'webgpu': {
      const probe = await probeAdapter();
      if (!probe.found) throw new WebGpuUnavailableError(probe.reason);
      const note = probe.software ? ` (a software adapter: it runs on the CPU, in f32)` : '';
      return { backend: webGpuOn(probe.adapter, options), reason: `requested; adapter ${probe.description}${note}` };
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
      const noGpu = noHardwareGpuReason();
      if (noGpu) return cpu(noGpu, '--backend webgpu tries a software adapter');
      const probe = await probeAdapter();
      if (probe.found && !probe.software) {
        const webgpu = webGpuOn(probe.adapter, options);
        const why = runsNoBasisFor(webgpu, options.config);
        if (why === undefined) return { backend: webgpu, reason: `auto: WebGPU adapter ${probe.description} (f32)` };
        await webgpu.dispose();
        return cpu(why);
      }
      const webgpuWhy = probe.found
        ? `the only WebGPU adapter is a software one (${probe.description}), slower than the CPU backend (--backend webgpu uses it anyway)`
        : `no WebGPU adapter (${probe.reason})`;
      const gl = webGl2Renderer();
      let glWhy = gl ? `WebGL2 is a software renderer (${gl.renderer})` : 'no WebGL2';
      if (gl && !gl.software) {
        const { createGpuJsBackend } = await import('./gpujs/gpujs-backend.js');
        const gpujs = createGpuJsBackend({ mode: 'webgl2' });
        const why = runsNoBasisFor(gpujs, options.config);
        if (why === undefined) return { backend: gpujs, reason: `auto: ${webgpuWhy}; gpu.js webgl2 on ${gl.renderer} (f32)` };
        await gpujs.dispose();
        glWhy = why;
      }
      return cpu(`${webgpuWhy}; ${glWhy}`);
    }
    default:
      throw new RangeError(`unknown backend "${name}"; allowed: ${BACKEND_NAMES.join(', ')}`);
  }
}
