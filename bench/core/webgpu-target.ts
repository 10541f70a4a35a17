/**
 * The WebGPU backend as a grid target, in Node (the `webgpu` package) or a
 * browser (navigator.gpu): one device for every case; the case's memory is
 * checked by the backend's own chunk plan (planChunks: a row of the state
 * larger than the adapter's maxStorageBufferBindingSize / maxBufferSize is
 * refused with ResourceError) before anything is built; the reference is a
 * copy kernel (shaders/copy.wgsl, read 8 + write 8 bytes per amplitude) over
 * a state-sized buffer on the same device, timed next to each case.
 *
 * A software adapter (SwiftShader, a CPU implementation of Vulkan) keeps its
 * buffers in host memory: there the host limit caps all buffers together.
 * A hardware adapter does not report its memory; an allocation it refuses
 * comes back from load() as ResourceError and the case is listed as skipped.
 */

import { ResourceError } from '../../src/backends/backend.js';
import { formatBytes, hostMemoryLimit } from '../../src/backends/memory.js';
import { planChunks } from '../../src/backends/webgpu/chunk-plan.js';
import { probeAdapter, requestDevice } from '../../src/backends/webgpu/device.js';
import { BufferUsage } from '../../src/backends/webgpu/gpu-constants.js';
import { GpuResources } from '../../src/backends/webgpu/gpu-resources.js';
import { kernelLayout, kernelPipeline } from '../../src/backends/webgpu/kernels.js';
import { dispatchGrid } from '../../src/backends/webgpu/chunk-plan.js';
import { gpuMemoryAllowed, knownDeviceMemory } from '../../src/backends/webgpu/memory-budget.js';
import { createWebGpuBackend } from '../../src/backends/webgpu/webgpu-backend.js';
import { layoutForConfig } from '../../src/model/layout.js';
import { nowSeconds, sig, spread, type Spread } from './figures.js';
import { caseConfig, caseDim, type GridCase } from './grid.js';
import { measureBackend, type GridTarget, type MemoryFit } from './run-grid.js';
import { F32_BYTES_PER_AMPLITUDE_TERM } from './targets.js';

/** Bytes moved per amplitude by the copy kernel: read 8, write 8. */
export const COPY_BYTES_PER_AMPLITUDE = 2 * 8;
/** Reduction workgroup size, given to the backend and to the plan check so both plan the same buffers. */
const REDUCE_WORKGROUP = 128;
/** Host bytes per amplitude beside the device: the f64 initial state and its f32 upload. */
const HOST_BYTES_PER_AMPLITUDE = 16 + 8;

/** Probes the adapter; without one, a target whose every case is listed as unavailable. */
export async function webGpuTarget(options: { copyReps?: number; gpuMemory?: number } = {}): Promise<GridTarget> {
  const probe = await probeAdapter();
  if (!probe.found) return { backend: 'webgpu', precision: 'f32', threads: 1, unavailable: `no WebGPU adapter (${probe.reason})` };
  const device = await requestDevice(probe.adapter, 'spin-transfer benchmark');
  const gpu = new GpuResources(device, true, probe.description);
  const host = hostMemoryLimit();
  // The cap: --gpu-memory and the device memory where known (memory-budget.ts: a software adapter's is the host's).
  const allowed = gpuMemoryAllowed(options.gpuMemory, knownDeviceMemory(device));
  const maxTotalBytes = allowed?.bytes;
  const bindingBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const make = () => createWebGpuBackend({ device, maxTotalBytes, reduceWorkgroupSize: REDUCE_WORKGROUP });
  const deviceLimit = `one storage binding ≤ ${formatBytes(bindingBytes)}` +
    (allowed ? `; all buffers ≤ ${formatBytes(allowed.bytes)} (${allowed.source})` : '; the adapter does not report its memory (--gpu-memory sets a cap)');

  function memory(c: GridCase): MemoryFit {
    const dim = caseDim(c);
    const hostBytes = dim * HOST_BYTES_PER_AMPLITUDE;
    if (hostBytes > host.bytes) {
      throw new ResourceError(`webgpu: the f64 initial state and its f32 upload need ${formatBytes(hostBytes)} of host memory, allowed ${formatBytes(host.bytes)} (${host.source})`, hostBytes, host.bytes);
    }
    // The plan load() makes, with as many accumulators as it plans for: it throws the same ResourceError load() would.
    const config = caseConfig(c);
    const plan = planChunks(layoutForConfig({ N: c.N, L: c.L, basis: c.basis ?? 'full', state: config.state! }), make().preferredOutputsPerExpansion, {
      bindingBytes, maxTotalBytes, maxTotalSource: allowed?.source, reduceWorkgroupSize: REDUCE_WORKGROUP,
    });
    return { bytes: plan.totalBytes, allowed: maxTotalBytes, limit: deviceLimit };
  }

  return {
    backend: 'webgpu',
    precision: 'f32',
    threads: 1,
    bytesPerAmplitudeTerm: F32_BYTES_PER_AMPLITUDE_TERM,
    description: `webgpu f32, ${probe.description}`,
    software: probe.software,
    memory,
    measure: (c, series, reps) => measureBackend(make(), c, series, reps),
    async reference(dim) {
      // A state-sized copy, capped at one binding (a split state's chunks are no larger either).
      const amps = Math.min(dim, Math.floor(bindingBytes / 8));
      const gbs = await measureCopy(gpu, amps, options.copyReps ?? 5);
      return { gbs: gbs.median, what: `copy kernel (shaders/copy.wgsl) over ${amps.toLocaleString('en-US')} f32 complex amplitudes on ${probe.description}, median ${sig(gbs.median)} GB/s (${sig(gbs.min)} … ${sig(gbs.max)})` };
    },
    async dispose() {
      gpu.destroy();
    },
  };
}

/** GB/s of the copy kernel over `amps` complex f32 amplitudes: 8 copies per submit, wall clock to onSubmittedWorkDone. */
export async function measureCopy(gpu: GpuResources, amps: number, reps: number): Promise<Spread> {
  const bytes = amps * 8;
  const src = gpu.createBuffer('bench copy source', bytes, BufferUsage.STORAGE | BufferUsage.COPY_DST);
  const dst = gpu.createBuffer('bench copy destination', bytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
  const readback = gpu.createBuffer('bench copy check', 8, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
  try {
    const wg = 64;
    const pipeline = await kernelPipeline(gpu, 'copy', wg);
    const group = gpu.device.createBindGroup({
      label: 'bench copy bindings',
      layout: kernelLayout(gpu, 'copy'),
      entries: [
        { binding: 0, resource: { buffer: src } },
        { binding: 1, resource: { buffer: dst } },
      ],
    });
    const marker = new Float32Array([1.5, -2.5]);
    gpu.device.queue.writeBuffer(src, bytes - 8, marker);
    const grid = dispatchGrid(Math.ceil(amps / wg), gpu.device.limits.maxComputeWorkgroupsPerDimension);
    const perSubmit = 8;
    const once = async () => {
      const enc = gpu.device.createCommandEncoder({ label: 'bench copy' });
      const pass = enc.beginComputePass({ label: 'bench copy pass' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      for (let i = 0; i < perSubmit; i++) pass.dispatchWorkgroups(grid[0], grid[1]);
      pass.end();
      gpu.device.queue.submit([enc.finish()]);
      await gpu.device.queue.onSubmittedWorkDone();
    };
    await once();
    const seconds: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = nowSeconds();
      await once();
      seconds.push(nowSeconds() - t0);
    }
    const enc = gpu.device.createCommandEncoder({ label: 'bench copy check' });
    enc.copyBufferToBuffer(dst, bytes - 8, readback, 0, 8);
    gpu.device.queue.submit([enc.finish()]);
    await readback.mapAsync(1);
    const got = new Float32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    if (got[0] !== marker[0] || got[1] !== marker[1]) throw new Error('webgpu copy reference: the copy did not happen');
    return spread(seconds.map((s) => (perSubmit * amps * COPY_BYTES_PER_AMPLITUDE) / s / 1e9));
  } finally {
    gpu.destroyBuffer(src);
    gpu.destroyBuffer(dst);
    gpu.destroyBuffer(readback);
  }
}
