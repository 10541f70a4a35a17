/**
 * How the state is cut into buffers. WebGPU caps one storage binding
 * (maxStorageBufferBindingSize, and maxBufferSize for a buffer): a state
 * larger than that is split by ranges of rows (a row is one xA for two
 * electrons, one x for one), so that a term on a chunk reads only its own rows
 * and the two rows next to it, the last row of the previous chunk and the first
 * row of the next, bound beside it (shaders/hamiltonian.wgsl). A row is the
 * smallest unit: a state whose single row exceeds a binding cannot run, and is
 * refused here, before anything is allocated.
 *
 * Pure arithmetic on the layout and the limits, so it is tested without a GPU.
 */

import type { Layout } from '../../model/layout.js';
import { ResourceError } from '../backend.js';
import { formatBytes } from '../memory.js';

/** Bytes of one f32 complex amplitude (vec2<f32>). */
export const AMPLITUDE_BYTES = 8;
/** Floats in one reduction record (shaders/reduce-state.wgsl: RECORD = 5 vec4). */
export const RECORD = 20;

export interface PlanLimits {
  /** Largest storage binding and buffer: min(maxStorageBufferBindingSize, maxBufferSize). */
  readonly bindingBytes: number;
  /** Optional smaller cap on one chunk of one state (to exercise the split path on small states). */
  readonly maxChunkBytes?: number;
  /** Optional cap on all the buffers together (WebGPU does not report the device memory). */
  readonly maxTotalBytes?: number;
  /** Invocations per workgroup of the reductions (a power of two). */
  readonly reduceWorkgroupSize: number;
}

export interface Chunk {
  readonly index: number;
  readonly rowStart: number;
  readonly rows: number;
  /** Amplitudes in the chunk. */
  readonly amps: number;
  readonly bytes: number;
  /** (block, m) pairs: one reduction invocation each. */
  readonly pairs: number;
  readonly reduceWorkgroups: number;
  /** Floats of reduce-state output for this chunk. */
  readonly records: number;
  readonly segments: number;
  readonly spinValues: number;
}

export interface ChunkPlan {
  readonly rowAmps: number;
  readonly rowBytes: number;
  readonly chunks: readonly Chunk[];
  /** Accumulator slots per chunk the plan was made for. */
  readonly accumulators: number;
  /** Largest chunk, bytes. */
  readonly chunkBytes: number;
  readonly stateBytes: number;
  /** psi + work + accumulators + reduction scratch, bytes. */
  readonly totalBytes: number;
  /** Reduction scratch, the largest chunk's, in floats. */
  readonly scratch: { readonly records: number; readonly segments: number; readonly spinValues: number };
  /** Floats of one chunk's share of a reduction (RECORD + L + N). */
  readonly finalFloats: number;
  /** Segments of reduce-state per orbital block. */
  readonly segmentsPerBlock: number;
}

export function planChunks(layout: Layout, accumulators: number, limits: PlanLimits): ChunkPlan {
  const { N, L, blockSize, electrons, electronSpinConfigs: ns, spinConfigs: S, dim } = layout;
  const rowAmps = electrons === 2 ? N * blockSize : blockSize;
  const rowBytes = rowAmps * AMPLITUDE_BYTES;
  const stateBytes = dim * AMPLITUDE_BYTES;
  const binding = limits.bindingBytes;
  const chunkCap = Math.min(binding, limits.maxChunkBytes ?? Infinity);
  const describe = `N = ${N}, L = ${L}, ${electrons} electron${electrons === 2 ? 's' : ''}`;
  if (rowBytes > chunkCap) {
    const source = chunkCap < binding ? `maxChunkBytes = ${formatBytes(chunkCap)}` : `the adapter's largest storage binding, ${formatBytes(binding)}`;
    throw new ResourceError(
      `the state does not fit the WebGPU adapter: ${describe}; one row of the state (${rowAmps} amplitudes) needs ` +
        `${formatBytes(rowBytes)} in one buffer, more than ${source}. Reduce L or N, or use the CPU backend.`,
      rowBytes,
      chunkCap,
    );
  }
  const slots = Math.max(1, accumulators);
  if (slots * rowBytes > binding) {
    throw new ResourceError(
      `${slots} accumulators of one row of the state (${describe}) need ${formatBytes(slots * rowBytes)} in one buffer, ` +
        `more than the adapter's largest storage binding, ${formatBytes(binding)}: use fewer output times per expansion.`,
      slots * rowBytes,
      binding,
    );
  }
  const rowsPerChunk = Math.min(N, Math.floor(chunkCap / rowBytes), Math.floor(binding / (slots * rowBytes)));
  const count = Math.ceil(N / rowsPerChunk);
  const rwg = limits.reduceWorkgroupSize;
  const segment = Math.min(S, rwg);
  const chunks: Chunk[] = [];
  for (let c = 0; c < count; c++) {
    const rowStart = Math.floor((c * N) / count);
    const rows = Math.floor(((c + 1) * N) / count) - rowStart;
    const amps = rows * rowAmps;
    const pairs = amps / ns;
    const reduceWorkgroups = Math.ceil(pairs / rwg);
    chunks.push({
      index: c,
      rowStart,
      rows,
      amps,
      bytes: amps * AMPLITUDE_BYTES,
      pairs,
      reduceWorkgroups,
      records: reduceWorkgroups * RECORD,
      segments: pairs / segment,
      spinValues: S <= rwg ? reduceWorkgroups * S : pairs,
    });
  }
  const max = (f: (c: Chunk) => number) => Math.max(...chunks.map(f));
  const scratch = { records: max((c) => c.records), segments: max((c) => c.segments), spinValues: max((c) => c.spinValues) };
  const finalFloats = RECORD + L + N;
  const scratchBytes = 4 * (scratch.records + scratch.segments + scratch.spinValues + (1 + slots) * count * finalFloats);
  const totalBytes = (2 + slots) * stateBytes + scratchBytes;
  if (limits.maxTotalBytes !== undefined && totalBytes > limits.maxTotalBytes) {
    throw new ResourceError(
      `the state does not fit the WebGPU memory allowed: ${describe} gives ${dim} amplitudes; the state, its work vector and ` +
        `${slots} accumulator${slots > 1 ? 's' : ''} need ${formatBytes(totalBytes)}; allowed: ${formatBytes(limits.maxTotalBytes)}. ` +
        'Reduce N or L, or use fewer output times per expansion.',
      totalBytes,
      limits.maxTotalBytes,
    );
  }
  return {
    rowAmps,
    rowBytes,
    chunks,
    accumulators: slots,
    chunkBytes: max((c) => c.bytes),
    stateBytes,
    totalBytes,
    scratch,
    finalFloats,
    segmentsPerBlock: S / segment,
  };
}

/** Workgroups in a 2-D grid no wider than maxPerDimension: the kernels flatten (x, y) again. */
export function dispatchGrid(workgroups: number, maxPerDimension: number): [number, number] {
  if (workgroups <= maxPerDimension) return [Math.max(1, workgroups), 1];
  const y = Math.ceil(workgroups / maxPerDimension);
  const x = Math.ceil(workgroups / y);
  if (y > maxPerDimension) throw new RangeError(`${workgroups} workgroups exceed a ${maxPerDimension}^2 grid`);
  return [x, y];
}
