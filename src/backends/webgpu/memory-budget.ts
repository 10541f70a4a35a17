/**
 * The WebGPU memory budget: what a state's buffers need on the device, what
 * the run allows them, and the line that tells a person both before anything
 * is allocated.
 *
 * WebGPU reports no free memory. What bounds a run is, in order: the user's
 * cap (`--gpu-memory`, the dashboard's GPU memory field), the device memory
 * where it is known (a software adapter keeps its buffers in host memory; an
 * adapter with Dawn's memory-heap info reports its device-local heaps; one
 * NVIDIA GPU in Node has nvidia-smi's free memory), and
 * always the adapter's per-buffer limits, which the chunk plan applies
 * (chunk-plan.ts: a state larger than one storage binding is cut by rows).
 * The smallest known figure is the budget; the chunk plan refuses a state
 * above it before the first buffer exists.
 */

import { formatBytes, hostMemoryLimit, type MemoryLimit } from '../memory.js';
import type { ChunkPlan } from './chunk-plan.js';
import { isSoftwareAdapter } from './device.js';

const BINARY: Readonly<Record<string, number>> = { '': 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
const DECIMAL: Readonly<Record<string, number>> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** How a byte count may be written, for error messages. */
export const BYTE_SIZE_FORMS =
  'a whole number of bytes, or a number with a unit: K, M, G, T or KiB, MiB, GiB, TiB (powers of 1024: 8G = 8GiB = 8589934592), ' +
  'KB, MB, GB, TB (powers of 1000: 8GB = 8000000000)';

/**
 * "8589934592", "8G", "8GiB", "512M", "1.5G", "8GB": bytes, a safe integer
 * >= 1. A bare K/M/G/T is binary, as in Slurm's and Docker's memory options;
 * the SI units (KB, MB, GB) are decimal. Undefined when the text is none of
 * these (the caller names the option in its message).
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:([KMGT])(i?B)?|(B))?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? m[4] ?? '').toUpperCase();
  const decimal = m[3] !== undefined && m[3].toUpperCase() === 'B';
  const scale = decimal ? DECIMAL[unit] : BINARY[unit];
  const bytes = Math.floor(Number(m[1]) * scale);
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : undefined;
}

/** parseByteSize, or a RangeError naming `what` and the forms allowed. */
export function byteSizeOrThrow(what: string, text: string): number {
  const bytes = parseByteSize(text);
  if (bytes === undefined) throw new RangeError(`${what} "${text}" is not allowed; allowed: ${BYTE_SIZE_FORMS}, at least 1 byte`);
  return bytes;
}

/** Memory-heap info (Dawn / Chromium's "adapter-properties-memory-heaps"): bit 0 of properties marks a device-local heap. */
interface HeapInfo {
  readonly size: number;
  readonly properties: number;
}

/**
 * The device memory where it can be known: a software adapter's is the
 * host's (its buffers are host memory); an adapter that exposes its memory
 * heaps has the sum of its device-local heaps; an NVIDIA adapter in Node on a
 * machine with exactly one NVIDIA GPU has that GPU's free memory as
 * `nvidia-smi` reports it. Undefined otherwise (most hardware adapters in
 * browsers, several NVIDIA GPUs: which one Dawn took is not known).
 */
export function knownDeviceMemory(device: GPUDevice | GPUAdapter): MemoryLimit | undefined {
  if (isSoftwareAdapter(device)) {
    const host = hostMemoryLimit();
    return { bytes: host.bytes, source: `${host.source}: a software adapter's buffers are host memory` };
  }
  const info = ('adapterInfo' in device ? device.adapterInfo : device.info) as ({ memoryHeaps?: readonly HeapInfo[] } & Partial<GPUAdapterInfo>) | undefined;
  const local = (info?.memoryHeaps ?? []).filter((h) => (h.properties & 1) !== 0).reduce((s, h) => s + h.size, 0);
  if (local > 0) return { bytes: local, source: "the adapter's device-local memory heaps" };
  return /nvidia/i.test(`${info?.vendor ?? ''} ${info?.description ?? ''}`) ? nvidiaFreeMemory() : undefined;
}

/** Free memory of the one NVIDIA GPU (`nvidia-smi`, Node only); undefined with none, several, or no nvidia-smi. */
function nvidiaFreeMemory(): MemoryLimit | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const cp = proc?.getBuiltinModule?.('node:child_process') as
    | { spawnSync(cmd: string, args: string[], o: { encoding: 'utf8'; timeout: number }): { status: number | null; stdout: string } }
    | undefined;
  if (!cp) return undefined;
  try {
    const r = cp.spawnSync('nvidia-smi', ['--query-gpu=memory.free', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 5000 });
    const lines = r.status === 0 ? r.stdout.trim().split('\n').filter((l) => l.trim() !== '') : [];
    const mib = lines.length === 1 ? Number(lines[0].trim()) : NaN;
    return Number.isFinite(mib) && mib > 0 ? { bytes: mib * 2 ** 20, source: "the NVIDIA GPU's free memory (nvidia-smi)" } : undefined;
  } catch {
    return undefined;
  }
}

/** The cap a run puts on all of its buffers together: the smaller of the user's cap and the device's memory. */
export function gpuMemoryAllowed(cap: number | undefined, device: MemoryLimit | undefined): MemoryLimit | undefined {
  const user = cap === undefined ? undefined : { bytes: cap, source: "the cap given: --gpu-memory, or the dashboard's GPU memory field" };
  if (!user) return device;
  if (!device) return user;
  return device.bytes < user.bytes ? device : user;
}

/** What a loaded state needs on the device and what bounds it: told before the first buffer is made. */
export interface GpuMemoryBudget {
  /** The adapter, for people. */
  readonly adapter: string;
  /** Every buffer of the plan (psi, work, accumulators, reduction scratch, the tables of H). */
  readonly bytesNeeded: number;
  /** One state, and the accumulators the plan holds. */
  readonly stateBytes: number;
  readonly accumulators: number;
  /** Chunks of the state, and the largest one (one storage binding each). */
  readonly chunks: number;
  readonly chunkBytes: number;
  /** The adapter's largest storage binding (min of maxStorageBufferBindingSize and maxBufferSize). */
  readonly bindingBytes: number;
  /** The cap on all buffers together, where there is one. */
  readonly allowed?: MemoryLimit;
}

export function gpuMemoryBudget(adapter: string, plan: ChunkPlan, bindingBytes: number, allowed: MemoryLimit | undefined): GpuMemoryBudget {
  return {
    adapter,
    bytesNeeded: plan.totalBytes,
    stateBytes: plan.stateBytes,
    accumulators: plan.accumulators,
    chunks: plan.chunks.length,
    chunkBytes: plan.chunkBytes,
    bindingBytes,
    ...(allowed ? { allowed } : {}),
  };
}

/** One line, the WebGPU counterpart of the CLI's state-size line. */
export function describeGpuMemory(b: GpuMemoryBudget): string {
  const states = `${2 + b.accumulators} states of ${shortBytes(b.stateBytes)} (psi, work, ${b.accumulators} accumulator${b.accumulators > 1 ? 's' : ''})`;
  const chunks = b.chunks > 1 ? `, in ${b.chunks} chunks of <= ${shortBytes(b.chunkBytes)}` : '';
  const allowed = b.allowed
    ? `allowed ${shortBytes(b.allowed.bytes)} (${b.allowed.source})`
    : 'no cap: the adapter does not report its memory (--gpu-memory sets one)';
  return `gpu memory: about ${shortBytes(b.bytesNeeded)} on ${b.adapter}: ${states}${chunks}, reduction scratch and the tables of H; ` +
    `${allowed}; one buffer <= ${shortBytes(b.bindingBytes)}`;
}

/** formatBytes without the exact count: a line for people. */
function shortBytes(bytes: number): string {
  return formatBytes(bytes).replace(/ \([0-9]+ bytes\)$/, '');
}
