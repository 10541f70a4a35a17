/**
 * The WebGPU backend: the Chebyshev propagator of src/propagator in WGSL, f32.
 *
 * One expansion is two compute passes: every term (shaders/chebyshev-term.wgsl,
 * one dispatch per term and chunk on a (rows) x (row tiles) grid, the
 * recurrence and the accumulation fused, specialized by override constants),
 * then the reductions of every output state (level 1: reduce-state.wgsl or
 * sector-reduce-state.wgsl; the record sums: sum-records.wgsl; n(x):
 * reduce-final.wgsl or sector-reduce-final.wgsl), then a copy of the last
 * accumulator into psi and of the reductions into a readback buffer.
 * advanceSeveral() encodes up to EXPANSIONS_IN_FLIGHT of them before mapping
 * any readback (a few hundred bytes per output time, added up in f64 on the
 * host). Terms and reductions are timed by timestamp queries where the device
 * has them (phaseTiming()).
 *
 * Buffers, per chunk of rows (chunk-plan.ts; one chunk unless the state
 * exceeds a storage binding): psi (T_0, and T_k for even k), work (T_k for
 * odd k), acc (one slot per output time, back to back). The term kernel reads
 * T_{k-1} of its chunk and of the chunks before and after it (the xA +- 1
 * neighbours), writes T_k over T_{k-2} in place, and adds into the slots. Bind
 * groups are built once per load (two per chunk for the ping-pong) and the
 * term index k reaches the kernel through a dynamic uniform offset, so
 * encoding an expansion only records dispatches.
 *
 * Basis "sector" (model/sector.ts) keeps all of this: the same rows, buffers,
 * term kernel and bind groups, with shaders/sector-hamiltonian.wgsl for H (its
 * tables in one storage buffer where the full basis binds spinAtSite) and its
 * own level 1 and n(x) (sector-reduce-state.wgsl, sector-reduce-final.wgsl).
 * States come in and go out in the sector's own order.
 *
 * Basis "antisymmetric" (model/antisymmetric.ts) too: its triangle of kept
 * blocks folded into rows of equal length (antisymmetric-layout.ts), its own
 * operator library (shaders/antisymmetric-hamiltonian.wgsl, the sector's
 * tables behind the partner table sigma), level 1 and n(x); a state in
 * several chunks gathers the ring's seam (shaders/antisymmetric-seam.wgsl)
 * before each term and reduction. States come in and go out in the
 * triangle's own order, row by row (chunkRuns).
 */

import { ConfigError, type Basis } from '../../model/config.js';
import type { HamiltonianTerms } from '../../model/hamiltonian.js';
import { holdsSectorBlocks, type Layout } from '../../model/layout.js';
import { emptyReduction, type StateReduction } from '../../model/observables.js';
import type { SectorTables } from '../../model/sector.js';
import { termPhase, type ChebyshevSeries } from '../../propagator/chebyshev.js';
import type { PhaseTiming } from '../../model/result.js';
import { assertRunsBasis, assertRunsHamiltonianTerms, CancelledError, ResourceError, type ProductState, type PropagationBackend, type PropagationProblem } from '../backend.js';
import { sectorSpinObservables } from '../cpu/sector-kernel.js';
import { antisymmetricBlockOperator, antisymmetricSpinObservables, type AntisymmetricBlockOperator } from '../cpu/antisymmetric-kernel.js';
import { chunkRuns, seamFloats, type ChunkRun } from './antisymmetric-layout.js';
import { antisymmetricTableData, diagonalWithSeam } from './antisymmetric-tables.js';
import { WEBGPU_BASES, WEBGPU_EXTENDED_TERMS_BASES } from './bases.js';
import { formatBytes } from '../memory.js';
import { AMPLITUDE_BYTES, dispatchGrid, EXPANSIONS_IN_FLIGHT, operatorTableBytes, planChunks, RECORD, type Chunk, type ChunkPlan } from './chunk-plan.js';
import { probeAdapter, requestDevice, WebGpuUnavailableError, describeAdapter } from './device.js';
import { BufferUsage, MapMode } from './gpu-constants.js';
import { GpuFault, GpuResources } from './gpu-resources.js';
import { gpuMemoryAllowed, gpuMemoryBudget, knownDeviceMemory, type GpuMemoryBudget } from './memory-budget.js';
import {
  basisKernels, CHUNK_UNIFORM_BYTES, diagonalTable, FINAL_UNIFORM_BYTES, INIT_UNIFORM_BYTES, kernelLayout, kernelPipeline, LEVEL_UNIFORM_BYTES, packInitUniform, productTermData, termConstants, packChunkUniform,
  packFinalUniform, packLevelUniform, packSectorFinalUniform, sectorTableData, TERM_UNIFORM_BYTES, type SectorTableData,
  extendedConstants, fullOperatorTable, usesExtendedOperator,
} from './kernels.js';

export interface WebGpuBackendOptions {
  /** Run on this device (it is not destroyed by dispose()). */
  device?: GPUDevice;
  /** Request the device from this adapter (default: the host's high-performance adapter). */
  adapter?: GPUAdapter;
  /** Cap on one chunk of one state, bytes: forces the split-buffer path on small states (tests). */
  maxChunkBytes?: number;
  /**
   * Cap on the staging buffer a state is read back through (readState,
   * outputStates, readStateChunks), bytes, at least one amplitude (8); default
   * READBACK_BYTES (64 MiB). Smaller in tests, to read a small state in many pieces.
   */
  readbackBytes?: number;
  /**
   * Acts as if the adapter's largest storage binding and buffer were this many
   * bytes (when smaller than the real limits): tests of the limits on a small state.
   */
  maxBindingBytes?: number;
  /**
   * Cap on all buffers together, bytes (`--gpu-memory`). WebGPU does not report
   * device memory: without a cap, only a software adapter (host memory), an
   * adapter with memory-heap info or one NVIDIA GPU in Node (nvidia-smi)
   * bounds the total (memory-budget.ts).
   */
  maxTotalBytes?: number;
  /** Told what a load needs and what bounds it, after the plan is checked and before the first buffer is made. */
  onMemoryBudget?: (budget: GpuMemoryBudget) => void;
  /** Invocations per workgroup of the term kernel (default 64). */
  workgroupSize?: number;
  /** Invocations per workgroup of the reductions, a power of two (default 128). */
  reduceWorkgroupSize?: number;
  /**
   * Time the terms and the reductions with timestamp queries when the device
   * has 'timestamp-query' (default true); false: from the host's clock
   * (queue.onSubmittedWorkDone after each phase's submit).
   */
  timestampQueries?: boolean;
}

export function createWebGpuBackend(options: WebGpuBackendOptions = {}): PropagationBackend & WebGpuBackendInfo {
  return new WebGpuBackend(options);
}

/** What the WebGPU backend reports beyond the PropagationBackend contract (tests, benchmarks). */
export interface WebGpuBackendInfo {
  /** The chunk plan of the loaded state. */
  readonly plan: ChunkPlan | undefined;
  /** Bytes held in GPU buffers. */
  readonly bytesAllocated: number;
  /** The device in use (after load). */
  readonly device: GPUDevice | undefined;
  advanceSeveral(series: ChebyshevSeries, count: number): Promise<StateReduction[]>;
  phaseTiming(): PhaseTiming;
  loadProduct(problem: PropagationProblem, state: ProductState): Promise<void>;
  readStateChunks(maxDoubles: number): AsyncGenerator<Float64Array>;
}

/** Default cap on the staging buffer of a state readback: 64 MiB of f32, 8 Mi amplitudes. */
export const READBACK_BYTES = 64 * 1024 * 1024;

const now = (): number => (globalThis.performance ?? Date).now() / 1000;

const DEFAULT_WORKGROUP = 64;
const DEFAULT_REDUCE_WORKGROUP = 128;

/** Slot 0 is psi; slot q + 1 is accumulator q. */
type Slot = number;

/** The compiled reduction kernels of one basis (the term kernel is compiled per shape: termPipeline). */
interface Pipelines {
  readonly reduce: GPUComputePipeline;
  readonly final: GPUComputePipeline;
  readonly sum: GPUComputePipeline;
  /** Basis "antisymmetric": the seam gather (shaders/antisymmetric-seam.wgsl). */
  readonly seam?: GPUComputePipeline;
  readonly names: ReturnType<typeof basisKernels>;
}

/** What a sector adds: its tables (host and device), for the reductions. */
interface SectorState {
  readonly tables: SectorTables;
  readonly packed: SectorTableData;
  /** Basis "antisymmetric": the f64 operator whose tables count both partners of a reduction. */
  readonly antisymmetric?: AntisymmetricBlockOperator;
}

interface Loaded {
  readonly layout: Layout;
  readonly plan: ChunkPlan;
  readonly problem: PropagationProblem;
  readonly pipelines: Pipelines;
  readonly psi: GPUBuffer[];
  readonly work: GPUBuffer[];
  readonly diagonal: GPUBuffer;
  /** Entries of one operator's diagonal in it (kernels.ts, diagonalTable): the unscaled H's start there. */
  readonly diagonalEntries: number;
  /** The operator's weighted elements (kernels.ts, usesExtendedOperator): pipelines compiled with EXTENDED_TERMS. */
  readonly extended: boolean;
  /** Binding 9: spinAtSite (basis "full"), or the sector's table buffer. */
  readonly operatorTable: GPUBuffer;
  readonly sector?: SectorState;
  /** The state as runs in host order inside one chunk each (the upload and every readback). */
  readonly runs: readonly ChunkRun[];
  /** Basis "antisymmetric" in several chunks: the seam is gathered before each term and reduction. */
  readonly seam: boolean;
  /** First-level records, then every other sum level (sum-records.wgsl ping-pongs with partials). */
  readonly records: GPUBuffer;
  readonly partials: GPUBuffer;
  readonly segments: GPUBuffer;
  /** <psi|psi> as loaded (f64): a reduction of a normalized state that comes back 0 is a fault. */
  readonly loadedNorm: number;
  slots?: SlotSet;
}

/** Everything sized by the number of accumulators. */
interface SlotSet {
  readonly accumulators: number;
  readonly acc: GPUBuffer[];
  readonly params: GPUBuffer;
  readonly finals: GPUBuffer;
  readonly staging: GPUBuffer;
  /** One readback per expansion in flight (advanceSeveral), the first is staging: none is mapped while the GPU writes another. */
  readonly readbacks: GPUBuffer[];
  /** Timestamp queries (terms and reductions of each expansion in flight), when the device has the feature. */
  timer?: { readonly querySet: GPUQuerySet; readonly capacity: number; readonly resolve: GPUBuffer; readonly readback: GPUBuffer };
  readonly reduceGroups: GPUBindGroup[][];
  readonly finalGroups: GPUBindGroup[][];
  /** sum-records bind groups by (input, output): records->partials, partials->records, records->finals, partials->finals. */
  readonly sumGroups: { toPartials: GPUBindGroup; toRecords: GPUBindGroup; recordsToFinals: GPUBindGroup; partialsToFinals: GPUBindGroup };
  /** Level uniforms of sum-records: [slot][chunk][level] byte offset in sumParams. */
  readonly sumOffsets: number[][][];
  readonly sumParams: GPUBuffer;
  /** Byte offset in params of each chunk's term uniform. */
  readonly termParamOffsets: number[];
  /** Basis "antisymmetric" in several chunks: the seam gather of each slot's state, [slot][chunk]. */
  readonly seamGroups?: GPUBindGroup[][];
  terms?: TermSet;
}

/** Sized by the number of terms of a series. */
interface TermSet {
  readonly capacity: number;
  readonly uniform: GPUBuffer;
  readonly coef: GPUBuffer;
  /** [chunk][parity]: parity 0 reads psi and writes work, 1 the reverse. */
  readonly groups: GPUBindGroup[][];
  /** Basis "antisymmetric" in several chunks: the seam gather of T_{k-1}, [parity][chunk]. */
  readonly seamGroups?: GPUBindGroup[][];
  series?: ChebyshevSeries;
}

class WebGpuBackend implements PropagationBackend, WebGpuBackendInfo {
  readonly name = 'webgpu';
  readonly precision = 'f32' as const;
  /**
   * Every basis, fastest first ("auto" takes the first that holds the state),
   * as on the CPU: the antisymmetric half of the sector (two electrons) and
   * the sector run the same term kernel on their own operator libraries
   * (shaders/antisymmetric-hamiltonian.wgsl, sector-hamiltonian.wgsl).
   */
  readonly bases = WEBGPU_BASES;
  /**
   * Every term beyond the paper (fields, anisotropy, per-site and per-bond
   * couplings, local spins S > 1/2, the entanglement observables from
   * outputStates()): the diagonal terms in the diagonal table, the couplings
   * and ladder factors as weights after the operator's table (kernels.ts).
   */
  readonly extendedTerms = true;
  /**
   * Local spins S > 1/2 in the sector only: the full basis of spin S is the
   * CPU's table-driven mixed-radix layout, whose configurations pair with
   * several others in rho (one pair per configuration here).
   */
  readonly localSpinBases = ['sector'] as const;
  /**
   * The keys beyond the paper run in the sector and the full basis: the
   * antisymmetric kernels hold the paper's terms only (load() refuses the
   * rest there), so "auto" passes over that basis for them (model/basis.ts).
   */
  readonly extendedTermsBases = WEBGPU_EXTENDED_TERMS_BASES;
  /**
   * Four output times share one expansion, as on the CPU: each extra
   * accumulator costs 16 bytes per amplitude and term, fewer than the terms it
   * saves (docs/webgpu.md).
   */
  readonly preferredOutputsPerExpansion = 4;
  description = 'webgpu f32 (no device yet)';

  private gpu?: GpuResources;
  private loaded?: Loaded;
  /** By basis, and "+extended" for the weighted operator. */
  private pipelines = new Map<string, Pipelines>();
  private readonly wg: number;
  private readonly rwg: number;
  private busy = false;
  /** Output times of the last advance whose states the buffers still hold (0: none). */
  private lastOutputs = 0;
  private disposed = false;
  private adapterUsed = false;
  private phases: PhaseTiming = { terms: 0, reductions: 0, transfers: 0, source: 'wall-clock' };

  constructor(private readonly options: WebGpuBackendOptions) {
    this.wg = options.workgroupSize ?? DEFAULT_WORKGROUP;
    this.rwg = options.reduceWorkgroupSize ?? DEFAULT_REDUCE_WORKGROUP;
    if (!Number.isInteger(this.rwg) || this.rwg < 2 || (this.rwg & (this.rwg - 1)) !== 0) {
      throw new RangeError(`reduceWorkgroupSize must be a power of two >= 2, got ${this.rwg}`);
    }
    if (!Number.isInteger(this.wg) || this.wg < 1) throw new RangeError(`workgroupSize must be a positive integer, got ${this.wg}`);
  }

  get plan(): ChunkPlan | undefined {
    return this.loaded?.plan;
  }

  get bytesAllocated(): number {
    return this.gpu?.bytesAllocated ?? 0;
  }

  get device(): GPUDevice | undefined {
    return this.gpu?.device;
  }

  private async ensureDevice(): Promise<GpuResources> {
    if (this.gpu && !this.gpu.lost) return this.gpu;
    if (this.gpu && this.options.device) this.gpu.check('load'); // a lost device given by the caller: say so
    this.gpu?.destroy();
    this.gpu = undefined;
    this.pipelines.clear();
    if (this.options.device) {
      this.gpu = new GpuResources(this.options.device, false, describeAdapter(this.options.device));
      return this.gpu;
    }
    // A given adapter serves once: after a lost device, look for an adapter again.
    let adapter = this.adapterUsed ? undefined : this.options.adapter;
    this.adapterUsed = true;
    let description: string;
    if (adapter) {
      description = describeAdapter(adapter);
    } else {
      const probe = await probeAdapter();
      if (!probe.found) throw new WebGpuUnavailableError(probe.reason);
      adapter = probe.adapter;
      description = probe.description;
    }
    const device = await requestDevice(adapter, 'spin-transfer webgpu backend');
    this.gpu = new GpuResources(device, true, description);
    return this.gpu;
  }

  async load(problem: PropagationProblem, psi: Float64Array | ProductState): Promise<void> {
    this.assertLive();
    const layout = problem.hamiltonian.layout;
    if (psi instanceof Float64Array && psi.length !== 2 * layout.dim) throw new RangeError(`state has ${psi.length / 2} amplitudes, the layout ${layout.dim}`);
    assertRunsBasis(this, layout.basis);
    assertRunsHamiltonianTerms(this, problem.hamiltonian);
    if (usesExtendedOperator(problem.hamiltonian) && layout.basis !== 'sector' && layout.basis !== 'full') {
      // The weight tables and EXTENDED_TERMS reach the kernels of these two bases (kernels.ts); another must refuse them, not run without them.
      throw new ConfigError(
        'basis', layout.basis, `"auto", "sector" or "full" with ${problem.hamiltonian.extendedKeys.join(', ')} on backend ${this.name}`,
        `backend ${this.name} runs the per-bond and per-site couplings and local spins S > 1/2 in bases "sector" and "full" only`,
      );
    }
    this.lastOutputs = 0;
    await this.exclusive(async () => {
      this.phases = { terms: 0, reductions: 0, transfers: 0, source: 'wall-clock' };
      await this.loadState(problem, psi, this.preferredOutputsPerExpansion);
      this.phases.source = this.useTimestamps(this.gpu!) ? 'timestamp-query' : 'wall-clock';
    });
  }

  /** The state built on the device from its product terms (shaders/initial-state.wgsl): no state-sized host array. */
  loadProduct(problem: PropagationProblem, state: ProductState): Promise<void> {
    if (!(state.terms.length > 0 && Number.isFinite(state.scale) && state.scale > 0)) {
      throw new RangeError(`loadProduct: a product state needs at least one term and a finite scale > 0, got ${state.terms.length} terms, scale ${state.scale}`);
    }
    return this.load(problem, state);
  }

  private async loadState(problem: PropagationProblem, psi: Float64Array | ProductState, accumulators: number): Promise<void> {
    const gpu = await this.ensureDevice();
    gpu.check('load');
    this.loaded = undefined;
    gpu.freeBuffers();
    const layout = problem.hamiltonian.layout;
    const limits = gpu.device.limits;
    let sector: SectorState | undefined;
    if (holdsSectorBlocks(layout)) {
      const tables = problem.hamiltonian.sector;
      if (!tables) throw new Error('WebGPU backend: a sector layout without sector tables in the Hamiltonian');
      if (layout.basis === 'antisymmetric') {
        // Its kernels hold the paper's terms only (the sector's extended terms would be ignored, not refused).
        const keys = problem.hamiltonian.extendedKeys;
        if (keys.length > 0) {
          throw new ConfigError('basis', 'antisymmetric', '"sector" or "full" for these terms on backend webgpu', `basis "antisymmetric" on backend webgpu runs the paper's terms only, not ${keys.join(', ')}`);
        }
        sector = { tables, packed: antisymmetricTableData(tables, problem.hamiltonian.spinAtSite), antisymmetric: antisymmetricBlockOperator(problem.hamiltonian) };
      } else {
        sector = { tables, packed: sectorTableData(tables, problem.hamiltonian.spinAtSite, problem.hamiltonian) };
      }
    }
    const extended = usesExtendedOperator(problem.hamiltonian);
    // Basis "antisymmetric": the seam in front of the diagonal (antisymmetric-tables.ts).
    const diagonalData = layout.basis === 'antisymmetric'
      ? diagonalWithSeam(layout, problem.scaled, problem.hamiltonian)
      : diagonalTable(problem.scaled, problem.hamiltonian);
    const operatorData = sector ? sector.packed.data : fullOperatorTable(problem.hamiltonian);
    // Refuses (ResourceError) before anything is allocated: the budget is the smaller of the cap and the known device memory.
    const allowed = gpuMemoryAllowed(this.options.maxTotalBytes, knownDeviceMemory(gpu.device));
    const plan = planChunks(layout, accumulators, {
      bindingBytes: this.bindingBytes(gpu),
      maxChunkBytes: this.options.maxChunkBytes,
      maxTotalBytes: allowed?.bytes,
      maxTotalSource: allowed?.source,
      reduceWorkgroupSize: this.rwg,
      tableBytes: operatorTableBytes(layout, sector?.tables.exchangeNeighbours.length, extended),
      extendedTerms: extended,
    });
    if (this.rwg > limits.maxComputeInvocationsPerWorkgroup || this.wg > limits.maxComputeInvocationsPerWorkgroup) {
      throw new RangeError(
        `workgroup sizes ${this.wg} / ${this.rwg} exceed the adapter's maxComputeInvocationsPerWorkgroup (${limits.maxComputeInvocationsPerWorkgroup})`,
      );
    }
    const [pipelines] = await Promise.all([
      this.compilePipelines(gpu, layout.basis, extended),
      // The term kernel for this shape and the usual output count, ahead of the first advance.
      this.termPipeline(gpu, layout, plan.rowAmps, this.preferredOutputsPerExpansion, extended),
    ]);
    this.options.onMemoryBudget?.(gpuMemoryBudget(gpu.adapterDescription, plan, this.bindingBytes(gpu), allowed));

    const storage = BufferUsage.STORAGE;
    let loaded: Loaded | undefined;
    const errors = await gpu.scoped(() => {
      const perChunk = (what: string, usage: number) =>
        plan.chunks.map((c) => gpu.createBuffer(`spin-transfer ${what} chunk ${c.index} (rows ${c.rowStart}-${c.rowStart + c.rows - 1})`, c.bytes, usage));
      loaded = {
        layout,
        plan,
        problem,
        pipelines,
        psi: perChunk('psi', storage | BufferUsage.COPY_SRC | BufferUsage.COPY_DST),
        work: perChunk('work', storage),
        diagonal: gpu.createBuffer(`spin-transfer diagonal (${seamFloats(layout) > 0 ? 'seam, ' : ''}scaled, unscaled)`, diagonalData.byteLength, storage | BufferUsage.COPY_DST),
        diagonalEntries: (diagonalData.length - seamFloats(layout)) / 2,
        extended,
        operatorTable: gpu.createBuffer(sector ? 'spin-transfer sector tables' : 'spin-transfer spinAtSite', operatorData.byteLength, storage | BufferUsage.COPY_DST),
        ...(sector ? { sector } : {}),
        runs: chunkRuns(layout, plan),
        seam: layout.basis === 'antisymmetric' && plan.chunks.length > 1,
        records: gpu.createBuffer('spin-transfer reduction records', plan.scratch.records * 4, storage),
        partials: gpu.createBuffer('spin-transfer reduction partial sums', Math.max(16, plan.scratch.partials * 4), storage),
        // Basis "full" only (a sector's n(x) reads the state itself): 4 bytes in a sector.
        segments: gpu.createBuffer('spin-transfer reduction segment weights', Math.max(4, plan.scratch.segments * 4), storage),
        // A product state is normalized by its scale.
        loadedNorm: psi instanceof Float64Array ? normOfState(psi) : 1,
      };
    });
    this.throwAllocation(errors.outOfMemory, plan, gpu);
    if (errors.validation || errors.internal) throw new GpuFault(`WebGPU error while allocating: ${(errors.validation ?? errors.internal)!.message}`);
    const l = loaded!;
    const init = psi instanceof Float64Array ? undefined : await kernelPipeline(gpu, 'initial-state', this.wg);
    const temporary: GPUBuffer[] = [];
    const uploadStart = now();
    await this.freedOnFailure(gpu, plan, () => gpu.guarded('load', () => {
      const q = gpu.device.queue;
      q.writeBuffer(l.diagonal, 0, diagonalData);
      q.writeBuffer(l.operatorTable, 0, operatorData);
      if (psi instanceof Float64Array) {
        // Run by run: each chunk in the full basis and the sector, each triangle row in basis "antisymmetric".
        for (const r of l.runs) {
          q.writeBuffer(l.psi[r.chunk.index], r.offset * AMPLITUDE_BYTES, Float32Array.from(psi.subarray(2 * r.host, 2 * (r.host + r.amps))));
        }
      } else {
        this.encodeInitialState(gpu, l, psi, init!, temporary);
      }
      // One slot until an advance() says how many output times it wants (reduce() needs none).
      this.buildSlots(gpu, l, 1);
    }));
    this.loaded = l;
    await gpu.device.queue.onSubmittedWorkDone();
    for (const b of temporary) gpu.destroyBuffer(b);
    this.phases.transfers += now() - uploadStart;
    gpu.check('load');
    const chunks = plan.chunks.length;
    this.description =
      `webgpu f32, ${gpu.adapterDescription}` +
      (sector ? `, basis ${layout.basis} (${layout.blockSize} configurations per block${layout.basis === 'antisymmetric' ? `, ${layout.blocks} blocks` : ''})` : '') +
      (chunks > 1 ? `, state in ${chunks} chunks of <= ${formatBytes(plan.chunkBytes)}` : '');
  }

  /** Submits shaders/initial-state.wgsl on every chunk: psi = scale * sum of the product terms. */
  private encodeInitialState(gpu: GpuResources, l: Loaded, state: ProductState, pipeline: GPUComputePipeline, temporary: GPUBuffer[]): void {
    const { plan, layout } = l;
    const q = gpu.device.queue;
    const data = productTermData(layout, state.terms, state.scale);
    const product = gpu.createBuffer('spin-transfer initial state product terms', data.byteLength, BufferUsage.STORAGE | BufferUsage.COPY_DST);
    temporary.push(product);
    q.writeBuffer(product, 0, data);
    const maxDim = gpu.device.limits.maxComputeWorkgroupsPerDimension;
    const tiles = dispatchGrid(Math.ceil(plan.rowAmps / this.wg), maxDim);
    const enc = gpu.device.createCommandEncoder({ label: 'spin-transfer initial state' });
    const pass = enc.beginComputePass({ label: 'spin-transfer initial state from product terms' });
    pass.setPipeline(pipeline);
    for (const c of plan.chunks) {
      const uniform = gpu.createBuffer(`spin-transfer initial state uniform chunk ${c.index}`, INIT_UNIFORM_BYTES, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
      temporary.push(uniform);
      q.writeBuffer(uniform, 0, packInitUniform(layout, c.rowStart, c.rows, plan.rowAmps, state.terms.length));
      pass.setBindGroup(0, gpu.device.createBindGroup({
        label: `spin-transfer initial state chunk ${c.index}`,
        layout: kernelLayout(gpu, 'initial-state'),
        entries: [
          { binding: 0, resource: { buffer: uniform } },
          { binding: 1, resource: { buffer: product } },
          { binding: 2, resource: { buffer: l.psi[c.index] } },
        ],
      }));
      pass.dispatchWorkgroups(c.rows, tiles[0], tiles[1]);
    }
    pass.end();
    q.submit([enc.finish()]);
  }

  /** The largest buffer a binding may hold: the adapter's limits, or the emulated maxBindingBytes. */
  private bindingBytes(gpu: GpuResources): number {
    const limits = gpu.device.limits;
    return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize, this.options.maxBindingBytes ?? Infinity);
  }

  private throwAllocation(oom: GPUError | undefined, plan: ChunkPlan, gpu: GpuResources): void {
    if (!oom) return;
    const held = gpu.bytesAllocated;
    gpu.freeBuffers();
    throw new ResourceError(
      `the WebGPU adapter ran out of memory allocating the state: ${formatBytes(plan.totalBytes)} needed, ` +
        `${formatBytes(held)} were allocated when it refused, and all of it was freed (${oom.message}). ` +
        'Reduce N or L, set --gpu-memory below what the device can give (the run is then refused before allocating), or use the CPU backend.',
      plan.totalBytes,
      held,
    );
  }

  /** Runs the rest of a load; if it fails, frees every buffer made so far (nothing half-allocated stays) and says so. */
  private async freedOnFailure(gpu: GpuResources, plan: ChunkPlan, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const held = gpu.bytesAllocated;
      gpu.freeBuffers();
      this.loaded = undefined;
      if (err instanceof GpuFault && /out-of-memory/.test(err.message)) {
        throw new ResourceError(
          `the WebGPU adapter ran out of memory loading the state (${formatBytes(plan.totalBytes)} planned); ` +
            `the ${formatBytes(held)} allocated so far were freed (${err.message}). Reduce N or L, or set --gpu-memory lower.`,
          plan.totalBytes,
          held,
        );
      }
      const freed = ` (the ${formatBytes(held)} of buffers allocated so far were freed)`;
      if (err instanceof Error) {
        err.message += freed;
        throw err;
      }
      throw new GpuFault(`WebGPU load failed: ${String(err)}${freed}`);
    }
  }

  /** The term kernel specialized for a shape and an output count (termConstants), compiled once per device and key. */
  private termPipeline(gpu: GpuResources, layout: Layout, rowAmps: number, accumulators: number, extended: boolean): Promise<GPUComputePipeline> {
    return kernelPipeline(gpu, basisKernels(layout.basis).term, this.wg, termConstants(layout, rowAmps, accumulators, extended));
  }

  /** The reduction kernels of a basis, compiled once per device (gpu.pipeline caches them). */
  private async compilePipelines(gpu: GpuResources, basis: Basis, extended: boolean): Promise<Pipelines> {
    const key = `${basis}${extended ? '+extended' : ''}`;
    const cached = this.pipelines.get(key);
    if (cached) return cached;
    const names = basisKernels(basis);
    const [reduce, final, sum, seam] = await Promise.all([
      // Level 1 applies H (for <H>): the operator library's override, as in the term kernel.
      kernelPipeline(gpu, names.reduce, this.rwg, extendedConstants(extended)),
      kernelPipeline(gpu, names.final, this.rwg),
      kernelPipeline(gpu, names.sum, this.rwg),
      basis === 'antisymmetric' ? kernelPipeline(gpu, 'antisymmetric-seam', this.wg) : undefined,
    ]);
    const p: Pipelines = { reduce, final, sum, names, ...(seam ? { seam } : {}) };
    this.pipelines.set(key, p);
    return p;
  }

  /** (Re)creates the accumulators, the uniforms and the bind groups for `accumulators` output times. */
  private buildSlots(gpu: GpuResources, l: Loaded, accumulators: number): SlotSet {
    const old = l.slots;
    if (old) {
      for (const b of [...old.acc, old.params, old.finals, ...old.readbacks, old.sumParams]) gpu.destroyBuffer(b);
      if (old.timer) {
        old.timer.querySet.destroy();
        for (const b of [old.timer.resolve, old.timer.readback]) gpu.destroyBuffer(b);
      }
      if (old.terms) for (const b of [old.terms.uniform, old.terms.coef]) gpu.destroyBuffer(b);
    }
    l.slots = undefined;
    const { plan, layout, problem } = l;
    const { N, L, electrons } = layout;
    const C = plan.chunks.length;
    const align = gpu.device.limits.minUniformBufferOffsetAlignment;
    const stride = Math.ceil(Math.max(CHUNK_UNIFORM_BYTES, FINAL_UNIFORM_BYTES) / align) * align;
    const slotsCount = 1 + accumulators;
    // Entries: term uniform per chunk, then (reduce, final) per slot and chunk.
    const entries = C + 2 * slotsCount * C;
    const acc = plan.chunks.map((c) =>
      gpu.createBuffer(`spin-transfer accumulators x${accumulators} chunk ${c.index}`, accumulators * c.bytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC),
    );
    const params = gpu.createBuffer('spin-transfer chunk/final uniforms', entries * stride, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    const finalsBytes = slotsCount * C * plan.finalFloats * 4;
    const finals = gpu.createBuffer('spin-transfer reduction shares', finalsBytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
    const staging = gpu.createBuffer('spin-transfer reduction readback', finalsBytes, BufferUsage.MAP_READ | BufferUsage.COPY_DST);

    const paramData = new Uint8Array(entries * stride);
    const prevOf = (c: number) => (c + C - 1) % C;
    const nextOf = (c: number) => (c + 1) % C;
    const off = (x: Chunk, slot: Slot) => (slot === 0 ? 0 : (slot - 1) * x.amps);
    const packed = l.sector?.packed;
    const sectorFields = packed
      ? { configs: layout.blockSize, neighboursOffset: packed.neighboursOffset, partnersOffset: packed.partnersOffset }
      : {};
    // Basis "antisymmetric": the seam lies in front of the diagonal table.
    const seamOffset = seamFloats(layout);
    const chunkUniform = (c: Chunk, slot: Slot, op: HamiltonianTerms, diagonalOffset: number) => {
      const p = plan.chunks[prevOf(c.index)], n = plan.chunks[nextOf(c.index)];
      return packChunkUniform(
        {
          N, L, electrons, rowAmps: plan.rowAmps, rowStart: c.rowStart, rows: c.rows, chunkAmps: c.amps,
          prevLast: (p.rows - 1) * plan.rowAmps, selfOffset: off(c, slot), prevOffset: off(p, slot), nextOffset: off(n, slot), diagonalOffset: seamOffset + diagonalOffset,
          ...sectorFields,
        },
        op,
      );
    };
    const termParamOffsets: number[] = [];
    for (const c of plan.chunks) {
      termParamOffsets.push(c.index * stride);
      paramData.set(new Uint8Array(chunkUniform(c, 0, problem.scaled, 0)), c.index * stride);
    }
    const reduceOffset = (slot: Slot, c: number) => (C + 2 * (slot * C + c)) * stride;
    const finalOffset = (slot: Slot, c: number) => reduceOffset(slot, c) + stride;
    for (let slot = 0; slot < slotsCount; slot++) {
      for (const c of plan.chunks) {
        // The unscaled diagonal follows the scaled one (diagonalTable).
        paramData.set(new Uint8Array(chunkUniform(c, slot, problem.hamiltonian, l.diagonalEntries)), reduceOffset(slot, c.index));
        const densityOffset = (slot * C + c.index) * plan.finalFloats + plan.densityOffset;
        const f = packed
          ? packSectorFinalUniform({ N, electrons, configs: layout.blockSize, rowStart: c.rowStart, rows: c.rows, selfOffset: off(c, slot), densityOffset })
          : packFinalUniform({ N, L, electrons, rowStart: c.rowStart, rows: c.rows, segmentsPerBlock: plan.segmentsPerBlock, densityOffset });
        paramData.set(new Uint8Array(f), finalOffset(slot, c.index));
      }
    }
    gpu.device.queue.writeBuffer(params, 0, paramData);

    const names = l.pipelines.names;
    const reduceLayout = kernelLayout(gpu, names.reduce);
    const finalLayout = kernelLayout(gpu, names.final);
    const reduceGroups: GPUBindGroup[][] = [];
    const finalGroups: GPUBindGroup[][] = [];
    for (let slot = 0; slot < slotsCount; slot++) {
      const src = slot === 0 ? l.psi : acc;
      const name = slot === 0 ? 'psi' : `accumulator ${slot - 1}`;
      reduceGroups.push(
        plan.chunks.map((c) =>
          gpu.device.createBindGroup({
            label: `spin-transfer ${names.reduce} ${name} chunk ${c.index}`,
            layout: reduceLayout,
            entries: [
              { binding: 0, resource: { buffer: params, offset: reduceOffset(slot, c.index), size: CHUNK_UNIFORM_BYTES } },
              { binding: 2, resource: { buffer: src[prevOf(c.index)] } },
              { binding: 3, resource: { buffer: src[c.index] } },
              { binding: 4, resource: { buffer: src[nextOf(c.index)] } },
              { binding: 8, resource: { buffer: l.diagonal } },
              { binding: 9, resource: { buffer: l.operatorTable } },
              { binding: 10, resource: { buffer: l.records } },
              ...(packed ? [] : [{ binding: 11, resource: { buffer: l.segments } }]),
            ],
          }),
        ),
      );
      finalGroups.push(
        plan.chunks.map((c) =>
          gpu.device.createBindGroup({
            label: `spin-transfer ${names.final} ${name} chunk ${c.index}`,
            layout: finalLayout,
            entries: [
              { binding: 0, resource: { buffer: params, offset: finalOffset(slot, c.index), size: FINAL_UNIFORM_BYTES } },
              { binding: 13, resource: { buffer: finals } },
              // A sector's n(x) reads the state itself; the full basis's, the segment weights.
              packed ? { binding: 3, resource: { buffer: src[c.index] } } : { binding: 11, resource: { buffer: l.segments } },
            ],
          }),
        ),
      );
    }
    // sum-records: one Level uniform per (slot, chunk, level), read through a dynamic offset.
    const levelStride = Math.ceil(LEVEL_UNIFORM_BYTES / align) * align;
    const levelCount = slotsCount * plan.chunks.reduce((n, c) => n + c.levels.length, 0);
    const sumParams = gpu.createBuffer('spin-transfer record-sum levels', levelCount * levelStride, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    const levelBytes = new Uint8Array(levelCount * levelStride);
    const sumOffsets: number[][][] = [];
    let entry = 0;
    for (let slot = 0; slot < slotsCount; slot++) {
      sumOffsets.push(
        plan.chunks.map((c) =>
          c.levels.map((count, i) => {
            // The last level writes the summed record at the front of this (slot, chunk)'s share.
            const outOffset = i === c.levels.length - 1 ? ((slot * C + c.index) * plan.finalFloats) / 4 : 0;
            const offset = entry++ * levelStride;
            levelBytes.set(new Uint8Array(packLevelUniform(count, plan.recordWidth, outOffset).buffer), offset);
            return offset;
          }),
        ),
      );
    }
    gpu.device.queue.writeBuffer(sumParams, 0, levelBytes);
    const sumLayout = kernelLayout(gpu, names.sum);
    const sumGroup = (from: GPUBuffer, to: GPUBuffer, what: string) =>
      gpu.device.createBindGroup({
        label: `spin-transfer sum-records ${what}`,
        layout: sumLayout,
        entries: [
          { binding: 0, resource: { buffer: sumParams, offset: 0, size: LEVEL_UNIFORM_BYTES } },
          { binding: 1, resource: { buffer: from } },
          { binding: 2, resource: { buffer: to } },
        ],
      });
    const sumGroups = {
      toPartials: sumGroup(l.records, l.partials, 'records -> partials'),
      toRecords: sumGroup(l.partials, l.records, 'partials -> records'),
      recordsToFinals: sumGroup(l.records, finals, 'records -> shares'),
      partialsToFinals: sumGroup(l.partials, finals, 'partials -> shares'),
    };
    const seamGroups = l.seam
      ? Array.from({ length: slotsCount }, (_, slot) =>
        plan.chunks.map((c) => this.seamGroup(gpu, l, params, reduceOffset(slot, c.index), (slot === 0 ? l.psi : acc)[c.index], `slot ${slot} chunk ${c.index}`)))
      : undefined;
    const slots: SlotSet = {
      accumulators, acc, params, finals, staging, readbacks: [staging], reduceGroups, finalGroups, termParamOffsets, sumGroups, sumOffsets, sumParams,
      ...(seamGroups ? { seamGroups } : {}),
    };
    l.slots = slots;
    return slots;
  }

  /** Term uniforms and coefficients with room for `terms` terms, and the term bind groups that use them. */
  private ensureTerms(gpu: GpuResources, l: Loaded, s: SlotSet, terms: number): TermSet {
    if (s.terms && s.terms.capacity >= terms) return s.terms;
    if (s.terms) {
      gpu.destroyBuffer(s.terms.uniform);
      gpu.destroyBuffer(s.terms.coef);
    }
    const capacity = Math.max(terms, 64);
    const align = gpu.device.limits.minUniformBufferOffsetAlignment;
    const uniform = gpu.createBuffer('spin-transfer term uniforms (k, accumulators)', capacity * align, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    const coef = gpu.createBuffer('spin-transfer Chebyshev coefficients', capacity * s.accumulators * 8, BufferUsage.STORAGE | BufferUsage.COPY_DST);
    const layout = kernelLayout(gpu, l.pipelines.names.term);
    const C = l.plan.chunks.length;
    const groups = l.plan.chunks.map((c) =>
      [0, 1].map((parity) => {
        const cur = parity === 0 ? l.psi : l.work;
        const next = parity === 0 ? l.work : l.psi;
        return gpu.device.createBindGroup({
          label: `spin-transfer ${l.pipelines.names.term} chunk ${c.index} ${parity === 0 ? 'psi->work' : 'work->psi'}`,
          layout,
          entries: [
            { binding: 0, resource: { buffer: s.params, offset: s.termParamOffsets[c.index], size: CHUNK_UNIFORM_BYTES } },
            { binding: 1, resource: { buffer: uniform, offset: 0, size: TERM_UNIFORM_BYTES } },
            { binding: 2, resource: { buffer: cur[(c.index + C - 1) % C] } },
            { binding: 3, resource: { buffer: cur[c.index] } },
            { binding: 4, resource: { buffer: cur[(c.index + 1) % C] } },
            { binding: 5, resource: { buffer: next[c.index] } },
            { binding: 6, resource: { buffer: s.acc[c.index] } },
            { binding: 7, resource: { buffer: coef } },
            { binding: 8, resource: { buffer: l.diagonal } },
            { binding: 9, resource: { buffer: l.operatorTable } },
          ],
        });
      }),
    );
    const seamGroups = l.seam
      ? [l.psi, l.work].map((cur, parity) =>
        l.plan.chunks.map((c) => this.seamGroup(gpu, l, s.params, s.termParamOffsets[c.index], cur[c.index], `${parity === 0 ? 'psi' : 'work'} chunk ${c.index}`)))
      : undefined;
    s.terms = { capacity, uniform, coef, groups, ...(seamGroups ? { seamGroups } : {}) };
    return s.terms;
  }

  /** The seam gather's bind group (shaders/antisymmetric-seam.wgsl): a chunk uniform, the chunk's state, and the seam in front of the diagonal. */
  private seamGroup(gpu: GpuResources, l: Loaded, params: GPUBuffer, offset: number, src: GPUBuffer, what: string): GPUBindGroup {
    return gpu.device.createBindGroup({
      label: `spin-transfer antisymmetric-seam ${what}`,
      layout: kernelLayout(gpu, 'antisymmetric-seam'),
      entries: [
        { binding: 0, resource: { buffer: params, offset, size: CHUNK_UNIFORM_BYTES } },
        { binding: 3, resource: { buffer: src } },
        { binding: 8, resource: { buffer: l.diagonal } },
      ],
    });
  }

  /**
   * Basis "antisymmetric" in several chunks: gathers row 0 and the last column
   * of the state that `groups` (one per chunk) bind into the seam, every chunk
   * before any term or reduction reads it. Leaves the seam pipeline set.
   */
  private encodeSeam(pass: GPUComputePassEncoder, l: Loaded, groups: readonly GPUBindGroup[]): void {
    const maxDim = this.gpu!.device.limits.maxComputeWorkgroupsPerDimension;
    const { N, blockSize: C } = l.layout;
    pass.setPipeline(l.pipelines.seam!);
    for (const c of l.plan.chunks) {
      const items = (c.rowStart === 0 ? N * C : 0) + 2 * c.rows * C;
      const g = dispatchGrid(Math.ceil(items / this.wg), maxDim);
      pass.setBindGroup(0, groups[c.index]);
      pass.dispatchWorkgroups(g[0], g[1]);
    }
  }

  /** Writes k and the coefficients (-i)^k w_q[k] of a series, unless they are already there. */
  private writeSeries(gpu: GpuResources, t: TermSet, accumulators: number, series: ChebyshevSeries): void {
    if (t.series === series) return;
    const align = gpu.device.limits.minUniformBufferOffsetAlignment;
    const u = new Uint32Array((series.terms * align) / 4);
    const coef = new Float32Array(2 * series.terms * accumulators);
    for (let k = 0; k < series.terms; k++) {
      u[(k * align) / 4] = k;
      u[(k * align) / 4 + 1] = accumulators;
      const [pr, pi] = termPhase(k);
      for (let q = 0; q < accumulators; q++) {
        const w = series.weights[q][k];
        coef[2 * (k * accumulators + q)] = pr * w;
        coef[2 * (k * accumulators + q) + 1] = pi * w;
      }
    }
    gpu.device.queue.writeBuffer(t.uniform, 0, u);
    gpu.device.queue.writeBuffer(t.coef, 0, coef);
    t.series = series;
  }

  async reduce(): Promise<StateReduction> {
    this.assertLive();
    return this.exclusive(async () => {
      const { gpu, l, s } = this.ready('reduce');
      const C = l.plan.chunks.length;
      const floats = C * l.plan.finalFloats;
      await gpu.guarded('reduce', () => {
        const enc = gpu.device.createCommandEncoder({ label: 'spin-transfer reduce' });
        const pass = enc.beginComputePass({ label: 'spin-transfer reduce psi' });
        this.encodeReduction(pass, l, s, 0);
        pass.end();
        enc.copyBufferToBuffer(s.finals, 0, s.staging, 0, floats * 4);
        gpu.device.queue.submit([enc.finish()]);
      });
      const data = await this.readStaging(gpu, s.staging, 'reduce');
      return this.assemble(l, data, 0);
    });
  }

  async advance(series: ChebyshevSeries): Promise<StateReduction[]> {
    this.assertLive();
    return this.exclusive(() => this.expansions(series, 1));
  }

  /**
   * Expansions in flight: all `count` are encoded before any result is read
   * (one submit with timestamp queries; with the host's clock, one submit per
   * phase, none waiting for the host), each copying its reductions into its
   * own readback buffer, which are mapped only after the last submit.
   */
  readonly expansionsInFlight = EXPANSIONS_IN_FLIGHT;

  async advanceSeveral(series: ChebyshevSeries, count: number): Promise<StateReduction[]> {
    this.assertLive();
    if (!Number.isInteger(count) || count < 1 || count > EXPANSIONS_IN_FLIGHT) {
      throw new RangeError(`advanceSeveral: count must be an integer from 1 to ${EXPANSIONS_IN_FLIGHT}, got ${count}`);
    }
    return this.exclusive(() => this.expansions(series, count));
  }

  /** Time spent per phase since load (seconds), and where the figures come from. */
  phaseTiming(): PhaseTiming {
    return { ...this.phases };
  }

  private async expansions(series: ChebyshevSeries, count: number): Promise<StateReduction[]> {
    let { gpu, l, s } = this.ready('advance');
    const n = series.weights.length;
    if (n < 1 || series.terms < 1) throw new RangeError('advance: the series has no terms or no output rows');
    this.lastOutputs = 0;
    if (s.accumulators !== n && (n > l.plan.accumulators || n * l.plan.chunkBytes > this.bindingBytes(gpu))) {
      // More accumulators than the chunks and the memory budget were planned for: plan anew (exact: f32 -> f64 -> f32).
      const psi = await this.readPsi(gpu, l);
      await this.loadState(l.problem, psi, n);
      ({ gpu, l, s } = this.ready('advance'));
    }
    const C = l.plan.chunks.length;
    const maxDim = gpu.device.limits.maxComputeWorkgroupsPerDimension;
    // (rows) x (tiles along a row): shaders/chebyshev-term.wgsl.
    const tiles = dispatchGrid(Math.ceil(l.plan.rowAmps / this.wg), maxDim);
    const tooManyRows = l.plan.chunks.find((c) => c.rows > maxDim);
    if (tooManyRows) throw new RangeError(`a chunk of ${tooManyRows.rows} rows exceeds the adapter's ${maxDim} workgroups per grid dimension (N is too large for WebGPU)`);
    const termPipeline = await this.termPipeline(gpu, l.layout, l.plan.rowAmps, n, l.extended);
    const align = gpu.device.limits.minUniformBufferOffsetAlignment;
    const shareBytes = C * l.plan.finalFloats * 4;
    const stamps = this.useTimestamps(gpu);
    // Host clock: when each phase's submit is done, in queue order.
    const done: Promise<number>[] = [];
    let submitted = 0;
    await gpu.guarded('advance', () => {
      if (s.accumulators !== n) s = this.buildSlots(gpu, l, n);
      const t = this.ensureTerms(gpu, l, s, series.terms);
      this.writeSeries(gpu, t, n, series);
      while (s.readbacks.length < count) {
        s.readbacks.push(gpu.createBuffer(`spin-transfer reduction readback ${s.readbacks.length}`, s.staging.size, BufferUsage.MAP_READ | BufferUsage.COPY_DST));
      }
      const timer = stamps ? this.ensureTimer(gpu, s, 4 * count) : undefined;
      const q = gpu.device.queue;
      let enc = gpu.device.createCommandEncoder({ label: `spin-transfer ${count} expansion(s) (${series.terms} terms, ${n} outputs)` });
      const flush = () => {
        // Host clock only: a submit per phase, its completion time taken when the queue reports it.
        if (stamps) return;
        q.submit([enc.finish()]);
        done.push(q.onSubmittedWorkDone().then(now));
        enc = gpu.device.createCommandEncoder({ label: 'spin-transfer expansion (continued)' });
      };
      submitted = now();
      for (let j = 0; j < count; j++) {
        const writes = (i: number) => (timer ? { timestampWrites: { querySet: timer.querySet, beginningOfPassWriteIndex: 4 * j + i, endOfPassWriteIndex: 4 * j + i + 1 } } : {});
        const terms = enc.beginComputePass({ label: 'spin-transfer Chebyshev terms', ...writes(0) });
        terms.setPipeline(termPipeline);
        // k = 0 alone only for a one-term series; otherwise the k = 1 dispatch also writes the k = 0 part.
        for (let k = series.terms === 1 ? 0 : 1; k < Math.max(series.terms, 1); k++) {
          const parity = k === 0 ? 0 : (k - 1) & 1;
          if (t.seamGroups) {
            this.encodeSeam(terms, l, t.seamGroups[parity]);
            terms.setPipeline(termPipeline);
          }
          for (let c = 0; c < C; c++) {
            terms.setBindGroup(0, t.groups[c][parity], [k * align]);
            terms.dispatchWorkgroups(l.plan.chunks[c].rows, tiles[0], tiles[1]);
          }
        }
        terms.end();
        flush();
        const reductions = enc.beginComputePass({ label: 'spin-transfer reductions', ...writes(2) });
        for (let slot = 1; slot <= n; slot++) this.encodeReduction(reductions, l, s, slot);
        reductions.end();
        // The last output becomes psi; psi's buffer held T_k, garbage now.
        for (const c of l.plan.chunks) enc.copyBufferToBuffer(s.acc[c.index], (n - 1) * c.bytes, l.psi[c.index], 0, c.bytes);
        enc.copyBufferToBuffer(s.finals, shareBytes, s.readbacks[j], shareBytes, n * shareBytes);
        flush();
      }
      if (timer) {
        enc.resolveQuerySet(timer.querySet, 0, 4 * count, timer.resolve, 0);
        enc.copyBufferToBuffer(timer.resolve, 0, timer.readback, 0, 8 * 4 * count);
        q.submit([enc.finish()]);
      }
    });
    const data = await Promise.all(s.readbacks.slice(0, count).map((b) => this.readStaging(gpu, b, 'advance')));
    if (s.timer && stamps) {
      const ns = await this.readTimestamps(gpu, s.timer.readback, 4 * count);
      for (let j = 0; j < count; j++) {
        this.phases.terms += Number(ns[4 * j + 1] - ns[4 * j]) / 1e9;
        this.phases.reductions += Number(ns[4 * j + 3] - ns[4 * j + 2]) / 1e9;
      }
    } else {
      const ends = await Promise.all(done);
      let start = submitted;
      for (let j = 0; j < count; j++) {
        this.phases.terms += Math.max(0, ends[2 * j] - start);
        this.phases.reductions += Math.max(0, ends[2 * j + 1] - ends[2 * j]);
        start = ends[2 * j + 1];
      }
    }
    this.lastOutputs = n;
    const out: StateReduction[] = [];
    for (const d of data) for (let slot = 1; slot <= n; slot++) out.push(this.assemble(l, d, slot));
    return out;
  }

  private useTimestamps(gpu: GpuResources): boolean {
    return this.options.timestampQueries !== false && gpu.device.features.has('timestamp-query');
  }

  /** Timestamp queries for `queries` pass boundaries, and the buffers they resolve into. */
  private ensureTimer(gpu: GpuResources, s: SlotSet, queries: number): NonNullable<SlotSet['timer']> {
    if (s.timer && s.timer.capacity >= queries) return s.timer;
    if (s.timer) {
      s.timer.querySet.destroy();
      for (const b of [s.timer.resolve, s.timer.readback]) gpu.destroyBuffer(b);
    }
    const capacity = 4 * EXPANSIONS_IN_FLIGHT;
    s.timer = {
      querySet: gpu.device.createQuerySet({ label: 'spin-transfer phase timestamps', type: 'timestamp', count: capacity }),
      capacity,
      resolve: gpu.createBuffer('spin-transfer timestamps (resolved)', 8 * capacity, BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC),
      readback: gpu.createBuffer('spin-transfer timestamps (readback)', 8 * capacity, BufferUsage.MAP_READ | BufferUsage.COPY_DST),
    };
    return s.timer;
  }

  private async readTimestamps(gpu: GpuResources, buffer: GPUBuffer, count: number): Promise<BigUint64Array> {
    await buffer.mapAsync(MapMode.READ);
    try {
      gpu.check('advance');
      return new BigUint64Array(buffer.getMappedRange(0, 8 * count).slice(0));
    } finally {
      buffer.unmap();
    }
  }

  /**
   * Records the reductions of one slot, chunk by chunk (they share the scratch
   * buffers): the first level (one record per workgroup, or per strip in a
   * sector), the sum-records levels that add the records into the chunk's
   * share, then n(x) (one workgroup per site).
   */
  private encodeReduction(pass: GPUComputePassEncoder, l: Loaded, s: SlotSet, slot: Slot): void {
    const maxDim = this.gpu!.device.limits.maxComputeWorkgroupsPerDimension;
    const width = l.plan.recordWidth;
    if (s.seamGroups) this.encodeSeam(pass, l, s.seamGroups[slot]);
    for (const c of l.plan.chunks) {
      pass.setPipeline(l.pipelines.reduce);
      pass.setBindGroup(0, s.reduceGroups[slot][c.index]);
      const g = dispatchGrid(c.reduceWorkgroups, maxDim);
      pass.dispatchWorkgroups(g[0], g[1]);
      pass.setPipeline(l.pipelines.sum);
      c.levels.forEach((count, i) => {
        const last = i === c.levels.length - 1;
        // Level i reads records (i even) or partials (i odd) and writes the other, the last one the share.
        const group = last
          ? i % 2 === 0 ? s.sumGroups.recordsToFinals : s.sumGroups.partialsToFinals
          : i % 2 === 0 ? s.sumGroups.toPartials : s.sumGroups.toRecords;
        pass.setBindGroup(0, group, [s.sumOffsets[slot][c.index][i]]);
        const grid = dispatchGrid(Math.ceil(count / this.rwg), maxDim);
        pass.dispatchWorkgroups(grid[0], grid[1], Math.min(width, maxDim));
      });
      pass.setPipeline(l.pipelines.final);
      pass.setBindGroup(0, s.finalGroups[slot][c.index]);
      const f = dispatchGrid(l.layout.N, maxDim);
      pass.dispatchWorkgroups(f[0], f[1]);
    }
  }

  private async readStaging(gpu: GpuResources, staging: GPUBuffer, what: string): Promise<Float32Array> {
    await this.mapForRead(gpu, staging, what);
    const copyStart = now();
    try {
      gpu.check(what);
      return new Float32Array(staging.getMappedRange().slice(0));
    } finally {
      staging.unmap();
      this.phases.transfers += now() - copyStart;
    }
  }

  /** Maps `staging` (its first `bytes`, default all of it) for reading; a lost device is reported as such. */
  private async mapForRead(gpu: GpuResources, staging: GPUBuffer, what: string, bytes?: number): Promise<void> {
    try {
      await (bytes === undefined ? staging.mapAsync(MapMode.READ) : staging.mapAsync(MapMode.READ, 0, bytes));
    } catch (err) {
      // A mapping aborted by a lost device: give the loss a moment to be reported, and report it.
      await Promise.race([gpu.device.lost, new Promise((resolve) => setTimeout(resolve, 50))]);
      gpu.check(what);
      throw new GpuFault(`WebGPU ${what}: reading the results back failed (${(err as Error).message})`);
    }
  }

  /** One StateReduction from the chunks' shares of slot `slot`, added in f64. */
  private assemble(l: Loaded, data: Float32Array, slot: Slot): StateReduction {
    const { N, L, electronSpinConfigs: ns } = l.layout;
    const r = emptyReduction(ns, L, N);
    if (l.sector) this.assembleSector(l, l.sector, data, slot, r);
    else this.assembleFull(l, data, slot, r);
    let norm = 0;
    for (let e = 0; e < ns; e++) norm += r.rho[2 * (e * ns + e)];
    if (!Number.isFinite(norm) || !Number.isFinite(r.energy) || r.density.some((v) => !Number.isFinite(v))) {
      throw new GpuFault('WebGPU returned a non-finite reduction (the GPU computation failed or diverged)');
    }
    if (norm === 0 && l.loadedNorm > 0) {
      throw new GpuFault('WebGPU returned an all-zero reduction of a nonzero state: the kernels did not run');
    }
    return r;
  }

  /** The full basis's share layout (shaders/reduce-final.wgsl), chunks added in f64, the Hermitian half of rho filled in. */
  private assembleFull(l: Loaded, data: Float32Array, slot: Slot, r: StateReduction): void {
    const { N, L, electronSpinConfigs: ns } = l.layout;
    const C = l.plan.chunks.length;
    for (let c = 0; c < C; c++) {
      const base = (slot * C + c) * l.plan.finalFloats;
      // The summed record of shaders/reduce-state.wgsl: energy, 3 zeros, rho diagonal (4), off-diagonal pairs e < f, <S_z,j>.
      r.energy += data[base];
      for (let e = 0; e < ns; e++) r.rho[2 * (e * ns + e)] += data[base + 4 + e];
      let k = base + 8;
      for (let e = 0; e < ns; e++) {
        for (let f = e + 1; f < ns; f++) {
          r.rho[2 * (e * ns + f)] += data[k];
          r.rho[2 * (e * ns + f) + 1] += data[k + 1];
          k += 2;
        }
      }
      for (let j = 0; j < L; j++) r.szSites[j] += data[base + RECORD + j];
      for (let x = 0; x < N; x++) r.density[x] += data[base + l.plan.densityOffset + x];
    }
    for (let e = 0; e < ns; e++) {
      for (let f = 0; f < e; f++) {
        r.rho[2 * (e * ns + f)] = r.rho[2 * (f * ns + e)];
        r.rho[2 * (e * ns + f) + 1] = -r.rho[2 * (f * ns + e) + 1];
      }
    }
  }

  /**
   * The sector's share layout (shaders/sector-reduce-final.wgsl): (w_c, Re,
   * Im of the pair of c, the <H> part of c) per configuration, then n(x); the
   * chunks and the <H> parts added in f64, then rho[e][e] and S_z per site from the weights
   * (sectorSpinObservables, as on the CPU) and rho[e][f] from the pairs.
   */
  private assembleSector(l: Loaded, sector: SectorState, data: Float32Array, slot: Slot, r: StateReduction): void {
    const { N, blockSize: configs, electronSpinConfigs: ns } = l.layout;
    const { pairOf } = sector.packed;
    const { electronSpin } = sector.tables;
    const chunks = l.plan.chunks.length;
    const weights = new Float64Array(configs);
    const pairs = new Float64Array(2 * configs);
    for (let k = 0; k < chunks; k++) {
      const base = (slot * chunks + k) * l.plan.finalFloats;
      for (let c = 0; c < configs; c++) {
        const o = base + 4 * c;
        weights[c] += data[o];
        pairs[2 * c] += data[o + 1];
        pairs[2 * c + 1] += data[o + 2];
        r.energy += data[o + 3];
      }
      const d = base + l.plan.densityOffset;
      for (let x = 0; x < N; x++) r.density[x] += data[d + x];
    }
    for (let c = 0; c < configs; c++) {
      if (pairOf[c] < 0) continue;
      const e = electronSpin[c], f = electronSpin[pairOf[c]];
      r.rho[2 * (e * ns + f)] += pairs[2 * c];
      r.rho[2 * (e * ns + f) + 1] += pairs[2 * c + 1];
      r.rho[2 * (f * ns + e)] += pairs[2 * c];
      r.rho[2 * (f * ns + e) + 1] -= pairs[2 * c + 1];
    }
    // Basis "antisymmetric": the kept blocks were summed with the diagonal at 1/2; now both partners of each.
    if (sector.antisymmetric) antisymmetricSpinObservables(sector.antisymmetric, weights, r);
    else sectorSpinObservables(sector.tables, weights, ns, r.rho, r.szSites);
  }

  /** The current state in the loaded basis's layout (a sector's own order, model/sector.ts; the triangle's, model/antisymmetric.ts), f32 -> f64. */
  async readState(): Promise<Float64Array> {
    this.assertLive();
    return this.exclusive(async () => {
      const { gpu, l } = this.ready('readState');
      return this.readPsi(gpu, l);
    });
  }

  /**
   * The current state in pieces of at most `maxDoubles` doubles (and at most
   * readbackBytes of f32 on the device), in the loaded basis's layout, f32 ->
   * f64: one staging buffer of that size is copied into, mapped and converted
   * per piece, so neither the device nor the host holds a second whole state
   * (see PropagationBackend). The backend is busy until the iteration ends.
   */
  async *readStateChunks(maxDoubles: number): AsyncGenerator<Float64Array> {
    this.assertLive();
    if (this.busy) throw new Error('WebGPU backend: an operation is already running (await each call before the next)');
    this.busy = true;
    try {
      const { gpu, l } = this.ready('readStateChunks');
      for await (const { piece } of this.pieces(gpu, l, (c) => [l.psi[c.index], 0], Math.floor(maxDoubles / 2))) yield piece;
    } finally {
      this.busy = false;
    }
  }

  private async readPsi(gpu: GpuResources, l: Loaded): Promise<Float64Array> {
    return this.readChunks(gpu, l, (c) => [l.psi[c.index], 0]);
  }

  /**
   * The states of the last advance's outputs: accumulators 0 … n-2 as they
   * were left, then psi (which holds the last). Read back in full, f32 -> f64,
   * in the loaded basis's layout (a sector's or the triangle's own order: what
   * the theta sweep's host-side cross terms read).
   */
  async outputStates(): Promise<Float64Array[]> {
    this.assertLive();
    return this.exclusive(async () => {
      const { gpu, l, s } = this.ready('outputStates');
      if (this.lastOutputs === 0) throw new Error('WebGPU backend: outputStates() before advance()');
      const states: Float64Array[] = [];
      for (let q = 0; q < this.lastOutputs - 1; q++) states.push(await this.readChunks(gpu, l, (c) => [s.acc[c.index], q * c.bytes]));
      states.push(await this.readPsi(gpu, l));
      return states;
    });
  }

  /** One whole state, piece by piece, from where `source` says each chunk lies. */
  private async readChunks(gpu: GpuResources, l: Loaded, source: (c: Chunk) => [GPUBuffer, number]): Promise<Float64Array> {
    const out = new Float64Array(2 * l.layout.dim);
    for await (const { piece, at } of this.pieces(gpu, l, source, Infinity)) out.set(piece, at);
    return out;
  }

  /**
   * One state in pieces of at most `maxAmps` amplitudes and readbackBytes,
   * in host order, each with the index of its first double in the state:
   * the state's runs (each chunk; each triangle row in basis
   * "antisymmetric"), from where `source` says each chunk lies, copied into
   * one staging buffer until it is full, mapped, and converted to f64
   * before the next piece is copied. Counts as transfer time the copies and
   * mappings, not the caller's work between pieces.
   */
  private async *pieces(
    gpu: GpuResources, l: Loaded, source: (c: Chunk) => [GPUBuffer, number], maxAmps: number,
  ): AsyncGenerator<{ piece: Float64Array; at: number }> {
    const cap = Math.floor((this.options.readbackBytes ?? READBACK_BYTES) / AMPLITUDE_BYTES);
    if (!(cap >= 1)) throw new RangeError(`WebGPU backend: readbackBytes must be at least ${AMPLITUDE_BYTES} (one amplitude), got ${this.options.readbackBytes}`);
    if (!(maxAmps >= 1)) throw new RangeError(`WebGPU backend: a piece of state must hold at least one amplitude (2 doubles), got ${2 * maxAmps} doubles`);
    const perPiece = Math.min(cap, maxAmps, l.layout.dim);
    const staging = gpu.createBuffer('spin-transfer state readback', perPiece * AMPLITUDE_BYTES, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
    try {
      // The next amplitude to copy: `within` into run `run`.
      let run = 0, within = 0;
      while (run < l.runs.length) {
        const started = now();
        const at = l.runs[run].host + within;
        let amps = 0;
        await gpu.guarded('readState', () => {
          const enc = gpu.device.createCommandEncoder({ label: 'spin-transfer read state' });
          while (run < l.runs.length && amps < perPiece) {
            const r = l.runs[run];
            const n = Math.min(perPiece - amps, r.amps - within);
            const [buffer, offset] = source(r.chunk);
            enc.copyBufferToBuffer(buffer, offset + (r.offset + within) * AMPLITUDE_BYTES, staging, amps * AMPLITUDE_BYTES, n * AMPLITUDE_BYTES);
            amps += n;
            within += n;
            if (within === r.amps) {
              run++;
              within = 0;
            }
          }
          gpu.device.queue.submit([enc.finish()]);
        });
        const bytes = amps * AMPLITUDE_BYTES;
        await this.mapForRead(gpu, staging, 'readState', bytes);
        let piece: Float64Array;
        try {
          gpu.check('readState');
          piece = new Float64Array(new Float32Array(staging.getMappedRange(0, bytes)));
        } finally {
          staging.unmap();
        }
        this.phases.transfers += now() - started;
        yield { piece, at: 2 * at };
      }
    } finally {
      gpu.destroyBuffer(staging);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.loaded = undefined;
    this.pipelines.clear();
    this.gpu?.destroy();
    this.gpu = undefined;
  }

  private ready(what: string): { gpu: GpuResources; l: Loaded; s: SlotSet } {
    const gpu = this.gpu;
    const l = this.loaded;
    if (!gpu || !l || !l.slots) throw new Error(`WebGPU backend: ${what}() before load()`);
    gpu.check(what);
    return { gpu, l, s: l.slots };
  }

  /** The backend's operations share buffers: one at a time. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('WebGPU backend: an operation is already running (await each call before the next)');
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new CancelledError('the WebGPU backend was disposed');
  }
}

function normOfState(psi: Float64Array): number {
  let s = 0;
  for (let i = 0; i < psi.length; i++) s += psi[i] * psi[i];
  return s;
}
