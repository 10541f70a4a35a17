/**
 * The CPU and gpu.js backends as grid targets (bench/core/run-grid.ts): how
 * each is made, what memory a case needs on it, and which copy bandwidth its
 * effective GB/s is set against. The WebGPU target is in webgpu-target.ts.
 */

import { resolvedConfig } from '../../src/model/basis.js';
import { ResourceError } from '../../src/backends/backend.js';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import { formatBytes, hostMemoryLimit } from '../../src/backends/memory.js';
import { parseRunConfig } from '../../src/model/config.js';
import { checkMemory } from '../../src/simulate.js';
import { hostCopyDescription, type CopyBandwidthCache } from './copy-bandwidth.js';
import { caseConfig, caseDim, type GridCase } from './grid.js';
import { measureBackend, type BenchTarget, type GridTarget, type MemoryFit } from './run-grid.js';

/**
 * Bytes-moved model of one fused f64 term, per amplitude of 16 bytes: read
 * T_k, read T_{k−1} (the buffer T_{k+1} overwrites), write T_{k+1}, and the
 * accumulator read and written once per three terms (the CPU kernels add the
 * terms three at a time): (3 + 2/3) × 16. The neighbour reads of T_k for the
 * hopping are taken to hit the cache.
 */
export const CPU_BYTES_PER_AMPLITUDE_TERM = (3 + 2 / 3) * 16;
/** Five streams of f32 complex amplitudes (8 bytes), the accumulator read and written every term: the WebGPU and gpu.js terms. */
export const F32_BYTES_PER_AMPLITUDE_TERM = 5 * 8;

/** The CPU backend on `threads` threads; its reference is the host copy on as many threads. */
export function cpuTarget(threads: number, copy: CopyBandwidthCache): BenchTarget {
  return {
    backend: 'cpu',
    precision: 'f64',
    threads,
    bytesPerAmplitudeTerm: CPU_BYTES_PER_AMPLITUDE_TERM,
    description: `cpu f64, ${threads} thread${threads > 1 ? 's' : ''}`,
    // simulate()'s own refusal with one output per expansion: state, work vector, accumulator and the initial state as built.
    memory(c: GridCase): MemoryFit {
      const plan = checkMemory(resolvedConfig(parseRunConfig(caseConfig(c)), 'full'), 1);
      return { bytes: plan.bytesNeeded, allowed: plan.bytesAllowed, limit: plan.allowedSource };
    },
    measure: (c, series, reps) => measureBackend(createCpuBackend({ threads }), c, series, reps),
    async reference() {
      const b = await copy.get(threads);
      return { gbs: b.gbs.median, what: hostCopyDescription(b) };
    },
  };
}

/**
 * Host bytes per amplitude a gpu.js run holds at its peak: the f64 initial
 * state (16) and its f32 upload (8); the kernel outputs alive during a term,
 * psi, T_{k−1}, T_k, T_{k+1}, the accumulator and its update (6 × 8); the
 * read-back of an output and its f64 copy for the reduction (8 + 16). On
 * webasm every kernel also copies its arguments and output into its own
 * WebAssembly memory: term (3 × 8), accumulate (3 × 8), scale (2 × 8).
 */
const GPUJS_HOST_BYTES_PER_AMPLITUDE: Record<'webasm' | 'webgl2', number> = { webasm: 96 + 64, webgl2: 96 };
/** A wasm32 memory holds at most 65536 pages of 64 KiB; the term kernel's holds T_k, T_{k−1} and its output. */
const WASM32_MEMORY_BYTES = 65536 * 65536;
const WASM_TERM_BYTES_PER_AMPLITUDE = 3 * 8;

function gpuJsMemory(mode: 'webasm' | 'webgl2', c: GridCase): MemoryFit {
  const dim = caseDim(c);
  const host = hostMemoryLimit();
  const bytes = dim * GPUJS_HOST_BYTES_PER_AMPLITUDE[mode];
  if (mode === 'webasm' && dim * WASM_TERM_BYTES_PER_AMPLITUDE > WASM32_MEMORY_BYTES) {
    const need = dim * WASM_TERM_BYTES_PER_AMPLITUDE;
    throw new ResourceError(
      `gpu.js webasm: the term kernel's WebAssembly memory would hold ${formatBytes(need)}, more than a wasm32 memory can (${formatBytes(WASM32_MEMORY_BYTES)})`,
      need,
      WASM32_MEMORY_BYTES,
    );
  }
  if (bytes > host.bytes) {
    throw new ResourceError(`gpu.js ${mode}: ${formatBytes(bytes)} of host memory by the model, allowed ${formatBytes(host.bytes)} (${host.source})`, bytes, host.bytes);
  }
  return { bytes, allowed: host.bytes, limit: host.source };
}

/**
 * gpu.js in one mode. webasm runs its kernels on a pool of one worker per
 * core, so its reference is the host copy on `threads` threads; webgl2 has no
 * copy kernel of ours to time, so `reference` says what stands in for one.
 * gpu.js is imported here, not above, as src/backends/select.ts does: a run
 * without it never loads it.
 */
export async function gpuJsTarget(mode: 'webasm' | 'webgl2', threads: number, reference: BenchTarget['reference']): Promise<GridTarget> {
  const backend = `gpujs-${mode}`;
  const { createGpuJsBackend, gpuJsModeSupport } = await import('../../src/backends/gpujs/gpujs-backend.js');
  const support = gpuJsModeSupport(mode);
  if (!support.ok) return { backend, precision: 'f32', threads, unavailable: support.reason };
  return {
    backend,
    precision: 'f32',
    threads,
    bytesPerAmplitudeTerm: F32_BYTES_PER_AMPLITUDE_TERM,
    description: `gpujs f32, gpu.js mode ${mode}`,
    memory: (c) => gpuJsMemory(mode, c),
    measure: (c, series, reps) => measureBackend(createGpuJsBackend({ mode }), c, series, reps),
    reference,
  };
}
