/**
 * webgpu:h-apply — the WebGPU backend's Hamiltonian-application throughput,
 * measured the way bench/cpu-throughput.ts measures the CPU backend.
 *
 * One sample is one backend.advance() of a whole Chebyshev expansion with one
 * accumulator: terms - 1 fused recurrence dispatches (the k = 0 part rides on
 * the k = 1 dispatch), the two-level reduction of the result (which applies H
 * once more, for <H>), one submit and one mapAsync. That is `terms` H
 * applications, as PropagationRun.matvecs counts them, so
 * secondsPerTerm = wall-clock seconds per advance / terms; the reduction and
 * the round trip are inside it.
 *
 * Bytes-moved model of a fused f32 term, per amplitude (8 bytes each): read
 * T_k, read T_{k-1} (the buffer T_{k+1} overwrites), write T_{k+1}, read and
 * write the accumulator: 5 x 8 = 40 bytes. The neighbour reads of T_k are taken
 * to hit the cache. The reference is a plain copy kernel (shaders/copy.wgsl,
 * 16 bytes per amplitude) over a state-sized buffer, timed in the same run on
 * the same device: bandwidthRatio = effectiveGBs / copy GB/s.
 *
 * On a machine without a GPU the adapter is SwiftShader, a CPU implementation
 * of Vulkan: its figures are CPU figures (records say so in `software`).
 *
 * Run alone (after npm run build): node dist/bench/webgpu-throughput.js [--quick]
 */

import { pathToFileURL } from 'node:url';
import { createWebGpuBackend } from '../src/backends/webgpu/webgpu-backend.js';
import { probeAdapter, requestDevice, WebGpuUnavailableError } from '../src/backends/webgpu/device.js';
import { BufferUsage } from '../src/backends/webgpu/gpu-constants.js';
import { GpuResources } from '../src/backends/webgpu/gpu-resources.js';
import { kernelLayout, kernelPipeline } from '../src/backends/webgpu/kernels.js';
import { dispatchGrid } from '../src/backends/webgpu/chunk-plan.js';
import { parseRunConfig } from '../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../src/model/hamiltonian.js';
import { initialState } from '../src/model/initial-state.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { chebyshevWeights, SERIES_TOLERANCE, type ChebyshevSeries } from '../src/propagator/chebyshev.js';
import { nowSeconds, spread, termFigures, timeExpansions, type Spread, type TermThroughputRecord } from './stats.js';

/** Bytes moved per amplitude by one fused f32 Chebyshev term (see the header). */
export const WEBGPU_BYTES_PER_AMPLITUDE_TERM = 5 * 8;
/** Bytes moved per amplitude by the copy kernel: read 8, write 8. */
export const COPY_BYTES_PER_AMPLITUDE = 2 * 8;

export interface WebGpuBenchCase {
  N: number;
  L: number;
}

export interface WebGpuBenchOptions {
  /** Default: N = 50, 100, 200 at L = 4 and N = 50 at L = 6 (quick: N = 40 and 100 at L = 4). */
  cases?: WebGpuBenchCase[];
  quick?: boolean;
  /** alpha of the step exp(-i H~ alpha) whose series is timed; sets the number of terms (default 10). */
  alpha?: number;
  /** Timed advances per case after one warm-up (default 5, quick 3). */
  reps?: number;
  /** Invocations per workgroup of the term kernel (the backend's default otherwise). */
  workgroupSize?: number;
  log?: (line: string) => void;
}

export interface WebGpuThroughputRecord extends TermThroughputRecord {
  backend: 'webgpu';
  precision: 'f32';
  bandwidthGBs: number;
  bandwidthRatio: number;
  adapter: string;
  /** A CPU implementation of WebGPU (SwiftShader …): these are CPU figures. */
  software: boolean;
  timing: 'wall-clock per advance (submit to mapAsync)';
}

const DEFAULT_CASES: WebGpuBenchCase[] = [
  { N: 50, L: 4 },
  { N: 100, L: 4 },
  { N: 200, L: 4 },
  { N: 50, L: 6 },
];
const QUICK_CASES: WebGpuBenchCase[] = [
  { N: 40, L: 4 },
  { N: 100, L: 4 },
];

export async function benchWebGpu(options: WebGpuBenchOptions = {}): Promise<WebGpuThroughputRecord[]> {
  const log = options.log ?? (() => {});
  const cases = options.cases ?? (options.quick ? QUICK_CASES : DEFAULT_CASES);
  const reps = options.reps ?? (options.quick ? 3 : 5);
  const alpha = options.alpha ?? 10;
  const probe = await probeAdapter();
  if (!probe.found) throw new WebGpuUnavailableError(probe.reason);
  const device = await requestDevice(probe.adapter, 'spin-transfer webgpu benchmark');
  const gpu = new GpuResources(device, true, probe.description);
  const records: WebGpuThroughputRecord[] = [];
  try {
    for (const c of cases) {
      const config = parseRunConfig({ N: c.N, L: c.L });
      const hamiltonian = hamiltonianTerms(config);
      const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
      const scaled = scaledHamiltonian(hamiltonian, center, halfWidth);
      const dim = hamiltonian.layout.dim;
      const w = chebyshevWeights(alpha, SERIES_TOLERANCE.f32);
      const series: ChebyshevSeries = { terms: w.length, weights: [w] };
      const copy = await measureCopy(gpu, dim, reps);
      const backend = createWebGpuBackend({ device, workgroupSize: options.workgroupSize });
      try {
        await backend.load({ hamiltonian, scaled }, initialState(config));
        const { perTerm, normAfter } = await timeExpansions(backend, series, reps, 1e-4, `webgpu:h-apply N=${c.N} L=${c.L}`);
        const figures = termFigures(dim, perTerm, WEBGPU_BYTES_PER_AMPLITUDE_TERM);
        const { ampsPerSecond, effectiveGBs } = figures;
        const record: WebGpuThroughputRecord = {
          case: `webgpu:h-apply:N=${c.N},L=${c.L}`,
          kind: 'h-apply',
          backend: 'webgpu',
          precision: 'f32',
          description: backend.description,
          threads: 1,
          N: c.N,
          L: c.L,
          dim,
          terms: series.terms,
          reps,
          ...figures,
          bandwidthGBs: copy.median,
          bandwidthRatio: effectiveGBs / copy.median,
          normAfter,
          adapter: probe.description,
          software: probe.software,
          timing: 'wall-clock per advance (submit to mapAsync)',
        };
        records.push(record);
        log(
          `${record.case}: ${(ampsPerSecond / 1e6).toPrecision(3)} M amplitudes/s per term, ${(perTerm.median * 1e3).toPrecision(3)} ms/term, ` +
            `${effectiveGBs.toPrecision(3)} GB/s effective, copy ${copy.median.toPrecision(3)} GB/s (ratio ${record.bandwidthRatio.toPrecision(2)})` +
            (probe.software ? ' [software adapter: CPU figures]' : ''),
        );
      } finally {
        await backend.dispose();
      }
    }
  } finally {
    gpu.destroy();
  }
  return records;
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

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const records = await benchWebGpu({ quick, log: (s) => console.log(s) });
  console.log(JSON.stringify(records, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
