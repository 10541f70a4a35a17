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
 * The same cut serves every basis: in basis "sector" an orbital block holds the
 * sector's C configurations instead of ns 2^L amplitudes, so a row is N C (or
 * C) amplitudes; basis "antisymmetric" folds its triangle of blocks into
 * ceil(N / 2) rows of (N + 1) C (antisymmetric-layout.ts); only the reduction
 * scratch and the operator's tables differ.
 *
 * Pure arithmetic on the layout and the limits, so it is tested without a GPU.
 */

import { holdsSectorBlocks, type Layout } from '../../model/layout.js';
import { ResourceError } from '../backend.js';
import { deviceRows, partnerTableEntries, seamFloats } from './antisymmetric-layout.js';
import { formatBytes } from '../memory.js';

/** Bytes of one f32 complex amplitude (vec2<f32>). */
export const AMPLITUDE_BYTES = 8;
/** Floats of the fixed part of a basis-"full" record (shaders/reduce-state.wgsl: RECORD = 5 vec4, <H> and rho); <S_z,j> follow. */
export const RECORD = 20;
/**
 * Blocks (C >= the reduction workgroup) or block steps one invocation of
 * shaders/sector-reduce-state.wgsl sums serially (its STRIP).
 */
export const SECTOR_STRIP = 64;

/**
 * Expansions the WebGPU backend encodes before reading any result back
 * (advanceSeveral), each with its own readback buffer of the reductions.
 */
export const EXPANSIONS_IN_FLIGHT = 4;

/**
 * vec4s in one first-level reduction record: basis "full", RECORD / 4 + ceil(L / 4)
 * (<H>, rho, <S_z,j>: shaders/reduce-state.wgsl); a sector, one per configuration
 * (w_c, the pair of c, the <H> part of c: shaders/sector-reduce-state.wgsl).
 */
export function recordVec4s(layout: Layout): number {
  return holdsSectorBlocks(layout) ? layout.blockSize : RECORD / 4 + Math.ceil(layout.L / 4);
}

/**
 * Input record counts of the levels of shaders/sum-records.wgsl that reduce
 * `records` first-level records to one: each level sums groups of `rwg`; at
 * least one level (it writes the chunk's share).
 */
export function sumLevels(records: number, rwg: number): number[] {
  const levels: number[] = [];
  let n = records;
  do {
    levels.push(n);
    n = Math.ceil(n / rwg);
  } while (n > 1);
  return levels;
}

/** Workgroups and strip records of shaders/sector-reduce-state.wgsl on `amps` amplitudes of C configurations per block. */
export function sectorReduceGrid(amps: number, C: number, rwg: number): { workgroups: number; strips: number } {
  const wide = C >= rwg;
  const tiles = wide ? Math.ceil(C / rwg) : 1;
  const perTile = wide ? 1 : Math.floor(rwg / C);
  const strips = Math.ceil(amps / C / (perTile * SECTOR_STRIP));
  return { workgroups: tiles * strips, strips };
}

/**
 * Bytes of the operator's tables on the device: the diagonal of H~ and H
 * (binding 8) and binding 9 (spinAtSite in basis "full"; in a sector the one
 * table buffer of shaders/sector-hamiltonian.wgsl: spinAtSite, exchangeStart,
 * the J_ex gather lists, the sd partners, pairOf; basis "antisymmetric" adds
 * the partner table sigma in front of it and the seam, 2 N C amplitudes, in
 * front of the diagonal). `exchangeNeighbours` is the
 * length of the gather lists when the tables are built; without it, their
 * bound (2 K per configuration: each down spin has two bonds). `extended`:
 * with the weights of the terms beyond the paper (kernels.ts,
 * usesExtendedOperator): in a sector one f32 per gather entry and two per sd
 * partner entry, in basis "full" 2L - 1 weights and a diagonal per (e, m)
 * instead of per m.
 */
export function operatorTableBytes(layout: Layout, exchangeNeighbours?: number, extended = false): number {
  const { N, L, electrons } = layout;
  const diagonal = 4 * (seamFloats(layout) + 2 * diagonalEntries(layout, extended));
  if (!holdsSectorBlocks(layout)) return diagonal + 4 * (N + (extended ? 2 * L - 1 : 0));
  const C = layout.blockSize;
  const neighbours = exchangeNeighbours ?? 2 * layout.downSpins * C;
  const weights = extended ? neighbours + 2 * electrons * L * C : 0;
  return diagonal + 4 * (partnerTableEntries(layout) + N + (C + 1) + neighbours + electrons * L * C + C + weights);
}

/** Entries of one operator's diagonal table (kernels.ts, diagonalTable): per configuration, per m, or per (e, m). */
function diagonalEntries(layout: Layout, extended: boolean): number {
  if (holdsSectorBlocks(layout)) return layout.blockSize;
  return extended ? layout.blockSize : layout.spinConfigs;
}

/** Bytes of binding 9 alone (the largest table buffer), for the check against one binding. */
function table9Bytes(layout: Layout, tableBytes: number, extended: boolean): number {
  return tableBytes - 4 * (seamFloats(layout) + 2 * diagonalEntries(layout, extended));
}

export interface PlanLimits {
  /** Largest storage binding and buffer: min(maxStorageBufferBindingSize, maxBufferSize). */
  readonly bindingBytes: number;
  /** Optional smaller cap on one chunk of one state (to exercise the split path on small states). */
  readonly maxChunkBytes?: number;
  /** Optional cap on all the buffers together (WebGPU does not report the device memory). */
  readonly maxTotalBytes?: number;
  /** Where maxTotalBytes comes from, for the refusal (memory-budget.ts: the user's cap or the device memory). */
  readonly maxTotalSource?: string;
  /** Invocations per workgroup of the reductions (a power of two). */
  readonly reduceWorkgroupSize: number;
  /** Bytes of the operator's tables (operatorTableBytes of the built tables); default: operatorTableBytes(layout). */
  readonly tableBytes?: number;
  /** The operator has the weights of the terms beyond the paper (kernels.ts, usesExtendedOperator): its tables are larger. */
  readonly extendedTerms?: boolean;
}

export interface Chunk {
  readonly index: number;
  readonly rowStart: number;
  readonly rows: number;
  /** Amplitudes in the chunk. */
  readonly amps: number;
  readonly bytes: number;
  /** Items of the first reduction level: (block, m) pairs, or amplitudes in a sector. */
  readonly pairs: number;
  /** Workgroups of the first reduction level. */
  readonly reduceWorkgroups: number;
  /** Records the first level writes (one per workgroup; a sector: one per strip of blocks). */
  readonly recordCount: number;
  /** Floats of those records. */
  readonly records: number;
  /** Input record counts of the sum-records levels (sumLevels). */
  readonly levels: readonly number[];
  /** Segment weights for n(x) (basis "full"; 0 in a sector). */
  readonly segments: number;
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
  /** psi + work + accumulators + reduction scratch + the operator's tables, bytes. */
  readonly totalBytes: number;
  /** The operator's tables, bytes (operatorTableBytes). */
  readonly tableBytes: number;
  /** Reduction scratch, the largest chunk's, in floats: the records, the partial sums of the first sum level, the segments. */
  readonly scratch: { readonly records: number; readonly partials: number; readonly segments: number };
  /** vec4s in one record (recordVec4s). */
  readonly recordWidth: number;
  /**
   * Floats of one chunk's share of a reduction: the summed record
   * (4 recordWidth), then n(x) (N), rounded up to whole vec4s (the last
   * sum level writes the record as vec4s).
   */
  readonly finalFloats: number;
  /** Where n(0) lies in a share (floats): 4 recordWidth. */
  readonly densityOffset: number;
  /** Segments of reduce-state per orbital block (0 in a sector). */
  readonly segmentsPerBlock: number;
}

export function planChunks(layout: Layout, accumulators: number, limits: PlanLimits): ChunkPlan {
  const { N, L, blockSize, electrons, electronSpinConfigs: ns, spinConfigs: S } = layout;
  // Rows of equal length on the device: N (xA, or x), or the antisymmetric triangle's folded rows.
  const { rows: rowCount, rowAmps } = deviceRows(layout);
  const rowBytes = rowAmps * AMPLITUDE_BYTES;
  const stateBytes = rowCount * rowBytes;
  const binding = limits.bindingBytes;
  const chunkCap = Math.min(binding, limits.maxChunkBytes ?? Infinity);
  const sector = holdsSectorBlocks(layout);
  const describe =
    `N = ${N}, L = ${L}, ${electrons} electron${electrons === 2 ? 's' : ''}` +
    (sector ? `, basis "${layout.basis}" (K = ${layout.downSpins} down spins: ${blockSize} configurations per orbital block` +
      `${layout.basis === 'antisymmetric' ? `, ${layout.blocks} blocks` : ''})` : '');
  const tableBytes = limits.tableBytes ?? operatorTableBytes(layout, undefined, limits.extendedTerms);
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
  // Binding 9, and binding 8 (the diagonal, and in basis "antisymmetric" the seam in front of it: about two rows).
  const table9 = table9Bytes(layout, tableBytes, limits.extendedTerms ?? false);
  const table = Math.max(table9, tableBytes - table9);
  if (table > binding) {
    throw new ResourceError(
      `the tables of H (${describe}) need ${formatBytes(table)} in one buffer, more than the adapter's largest storage binding, ` +
        `${formatBytes(binding)}. Reduce L, or use the CPU backend.`,
      table,
      binding,
    );
  }
  const rowsPerChunk = Math.min(rowCount, Math.floor(chunkCap / rowBytes), Math.floor(binding / (slots * rowBytes)));
  const count = Math.ceil(rowCount / rowsPerChunk);
  const rwg = limits.reduceWorkgroupSize;
  const segment = Math.min(S, rwg);
  const recordWidth = recordVec4s(layout);
  const chunks: Chunk[] = [];
  for (let c = 0; c < count; c++) {
    const rowStart = Math.floor((c * rowCount) / count);
    const rows = Math.floor(((c + 1) * rowCount) / count) - rowStart;
    const amps = rows * rowAmps;
    // A sector's first level tiles (configurations) x (strips of blocks) (sector-reduce-state.wgsl).
    const pairs = sector ? amps : amps / ns;
    const grid = sector ? sectorReduceGrid(amps, blockSize, rwg) : { workgroups: Math.ceil(pairs / rwg), strips: Math.ceil(pairs / rwg) };
    chunks.push({
      index: c,
      rowStart,
      rows,
      amps,
      bytes: amps * AMPLITUDE_BYTES,
      pairs,
      reduceWorkgroups: grid.workgroups,
      recordCount: grid.strips,
      records: grid.strips * 4 * recordWidth,
      levels: sumLevels(grid.strips, rwg),
      segments: sector ? 0 : pairs / segment,
    });
  }
  const max = (f: (c: Chunk) => number) => Math.max(...chunks.map(f));
  const scratch = {
    records: max((c) => c.records),
    partials: max((c) => Math.ceil(c.recordCount / rwg) * 4 * recordWidth),
    segments: max((c) => c.segments),
  };
  const densityOffset = 4 * recordWidth;
  const finalFloats = 4 * Math.ceil((densityOffset + N) / 4);
  // The finals and a readback copy per expansion in flight: (1 + slots) shares per chunk each.
  const scratchBytes = 4 * (scratch.records + scratch.partials + scratch.segments + (1 + EXPANSIONS_IN_FLIGHT) * (1 + slots) * count * finalFloats);
  const totalBytes = (2 + slots) * stateBytes + scratchBytes + tableBytes;
  if (limits.maxTotalBytes !== undefined && totalBytes > limits.maxTotalBytes) {
    throw new ResourceError(
      `the state does not fit the WebGPU memory allowed: ${describe} gives ${layout.dim} amplitudes; the state, its work vector, ` +
        `${slots} accumulator${slots > 1 ? 's' : ''}, the reduction scratch and the tables of H (${formatBytes(tableBytes)}) need ` +
        `${formatBytes(totalBytes)}; allowed: ${formatBytes(limits.maxTotalBytes)}${limits.maxTotalSource ? ` (${limits.maxTotalSource})` : ''}. ` +
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
    tableBytes,
    scratch,
    recordWidth,
    finalFloats,
    densityOffset,
    segmentsPerBlock: sector ? 0 : S / segment,
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
