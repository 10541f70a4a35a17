/**
 * The WGSL kernels as the backend sees them: which shaders/*.wgsl files make
 * each one, its bind group layout (the bindings each shader's header lists),
 * its override constants, and the byte layout of its uniforms. Nothing here
 * touches a device except through GpuResources.
 */

import { SHADERS } from '../../generated/shaders.js';
import type { Basis } from '../../model/config.js';
import type { HamiltonianTerms } from '../../model/hamiltonian.js';
import { allUpIndex, holdsSectorBlocks, type Layout } from '../../model/layout.js';
import type { ProductTerm } from '../../model/initial-state.js';
import type { SectorTables } from '../../model/sector.js';
import { ShaderStage } from './gpu-constants.js';
import type { GpuResources } from './gpu-resources.js';

export type KernelName =
  | 'chebyshev-term' | 'reduce-state' | 'reduce-final'
  | 'sector-term' | 'sector-reduce-state' | 'sector-reduce-final'
  | 'sum-records' | 'initial-state' | 'copy'
  | 'antisymmetric-term' | 'antisymmetric-reduce-state' | 'antisymmetric-reduce-final' | 'antisymmetric-seam';

type BindingKind = 'uniform' | 'uniform-dynamic' | 'read' | 'write';

interface KernelSpec {
  /** shaders/*.wgsl file names, concatenated in this order (hamiltonian.wgsl is a library). */
  readonly sources: readonly string[];
  readonly bindings: Readonly<Record<number, BindingKind>>;
  /** The override that sets @workgroup_size. */
  readonly workgroupOverride: string;
}

/** state-chunk.wgsl (0, 2, 3, 4) and either operator library (8, 9): the same slots in both bases. */
const HAMILTONIAN_BINDINGS = { 0: 'uniform', 2: 'read', 3: 'read', 4: 'read', 8: 'read', 9: 'read' } as const;
const TERM_BINDINGS = { ...HAMILTONIAN_BINDINGS, 1: 'uniform-dynamic', 5: 'write', 6: 'write', 7: 'read' } as const;

export const KERNELS: Readonly<Record<KernelName, KernelSpec>> = {
  'chebyshev-term': {
    sources: ['state-chunk', 'hamiltonian', 'chebyshev-term'],
    bindings: TERM_BINDINGS,
    workgroupOverride: 'WORKGROUP_SIZE',
  },
  'reduce-state': {
    sources: ['state-chunk', 'hamiltonian', 'workgroup-sum', 'reduce-state'],
    bindings: { ...HAMILTONIAN_BINDINGS, 10: 'write', 11: 'write' },
    workgroupOverride: 'REDUCE_WORKGROUP_SIZE',
  },
  'reduce-final': {
    sources: ['workgroup-sum', 'reduce-final'],
    bindings: { 0: 'uniform', 11: 'read', 13: 'write' },
    workgroupOverride: 'REDUCE_WORKGROUP_SIZE',
  },
  // Basis "sector": the same term kernel on the sector's operator library.
  'sector-term': {
    sources: ['state-chunk', 'sector-hamiltonian', 'chebyshev-term'],
    bindings: TERM_BINDINGS,
    workgroupOverride: 'WORKGROUP_SIZE',
  },
  'sector-reduce-state': {
    sources: ['state-chunk', 'sector-hamiltonian', 'workgroup-sum', 'sector-reduce-state'],
    bindings: { ...HAMILTONIAN_BINDINGS, 10: 'write' },
    workgroupOverride: 'REDUCE_WORKGROUP_SIZE',
  },
  'sector-reduce-final': {
    sources: ['workgroup-sum', 'sector-reduce-final'],
    bindings: { 0: 'uniform', 3: 'read', 13: 'write' },
    workgroupOverride: 'REDUCE_WORKGROUP_SIZE',
  },
  // Both bases: the levels that add the first level's records into one (shaders/sum-records.wgsl).
  'sum-records': {
    sources: ['workgroup-sum', 'sum-records'],
    bindings: { 0: 'uniform-dynamic', 1: 'read', 2: 'write' },
    workgroupOverride: 'REDUCE_WORKGROUP_SIZE',
  },
  // Both bases: the initial state from its product terms (loadProduct).
  'initial-state': {
    sources: ['initial-state'],
    bindings: { 0: 'uniform', 1: 'read', 2: 'write' },
    workgroupOverride: 'WORKGROUP_SIZE',
  },
  copy: {
    sources: ['copy'],
    bindings: { 0: 'read', 1: 'write' },
    workgroupOverride: 'WORKGROUP_SIZE',
  },
  // Basis "antisymmetric": the same term kernel on the folded triangle's operator library, the
  // weighted level 1, n(x) of both partners, and the seam a state in several chunks gathers first.
  'antisymmetric-term': {
    sources: ['state-chunk', 'antisymmetric-hamiltonian', 'chebyshev-term'],
    bindings: TERM_BINDINGS,
    workgroupOverride: 'WORKGROUP_SIZE',
  },
  'antisymmetric-reduce-state': {
    sources: ['state-chunk', 'antisymmetric-hamiltonian', 'workgroup-sum', 'antisymmetric-reduce-state'],
    bindings: { ...HAMILTONIAN_BINDINGS, 10: 'write' },
    workgroupOverride: 'REDUCE_WORKGROUP_SIZE',
  },
  'antisymmetric-reduce-final': {
    sources: ['workgroup-sum', 'antisymmetric-reduce-final'],
    bindings: { 0: 'uniform', 3: 'read', 13: 'write' },
    workgroupOverride: 'REDUCE_WORKGROUP_SIZE',
  },
  'antisymmetric-seam': {
    sources: ['state-chunk', 'antisymmetric-seam'],
    bindings: { 0: 'uniform', 3: 'read', 8: 'write' },
    workgroupOverride: 'WORKGROUP_SIZE',
  },
};

/** The term and the reduction kernels of a basis: level 1, n(x), and the record sum (shared). */
export function basisKernels(basis: Basis): { term: KernelName; reduce: KernelName; final: KernelName; sum: KernelName } {
  if (basis === 'antisymmetric') {
    return { term: 'antisymmetric-term', reduce: 'antisymmetric-reduce-state', final: 'antisymmetric-reduce-final', sum: 'sum-records' };
  }
  return basis === 'sector'
    ? { term: 'sector-term', reduce: 'sector-reduce-state', final: 'sector-reduce-final', sum: 'sum-records' }
    : { term: 'chebyshev-term', reduce: 'reduce-state', final: 'reduce-final', sum: 'sum-records' };
}

export function kernelSource(name: KernelName): string {
  return KERNELS[name].sources
    .map((file) => {
      const text = SHADERS[file];
      if (text === undefined) throw new Error(`shader ${file}.wgsl is missing from src/generated/shaders.ts: run npm run generate`);
      return text;
    })
    .join('\n');
}

export function kernelLayout(gpu: GpuResources, name: KernelName): GPUBindGroupLayout {
  const entries: GPUBindGroupLayoutEntry[] = Object.entries(KERNELS[name].bindings).map(([binding, kind]) => {
    const entry: GPUBindGroupLayoutEntry = { binding: Number(binding), visibility: ShaderStage.COMPUTE };
    if (kind === 'uniform') entry.buffer = { type: 'uniform' };
    else if (kind === 'uniform-dynamic') entry.buffer = { type: 'uniform', hasDynamicOffset: true };
    else entry.buffer = { type: kind === 'read' ? 'read-only-storage' : 'storage' };
    return entry;
  });
  return gpu.bindGroupLayout(name, entries);
}

/**
 * The kernel's pipeline with the given workgroup size and override constants
 * (shaders/state-chunk.wgsl: SITES, LOCAL_SPINS, ELECTRONS, CONFIGS, ROW_AMPS;
 * chebyshev-term.wgsl: ACCUMULATORS), compiled once per device and key.
 */
export function kernelPipeline(
  gpu: GpuResources,
  name: KernelName,
  workgroupSize: number,
  constants: Readonly<Record<string, number>> = {},
): Promise<GPUComputePipeline> {
  const spec = KERNELS[name];
  const shape = Object.keys(constants).sort().map((k) => `${k}=${constants[k]}`).join(',');
  return gpu.pipeline(`${name}@${workgroupSize}${shape ? ` ${shape}` : ''}`, () => {
    const layout = kernelLayout(gpu, name);
    const module = gpu.device.createShaderModule({ label: `spin-transfer ${name}.wgsl`, code: kernelSource(name) });
    return {
      label: `spin-transfer ${name} (workgroup ${workgroupSize}${shape ? `, ${shape}` : ''})`,
      layout: gpu.device.createPipelineLayout({ label: `spin-transfer ${name} layout`, bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main', constants: { ...constants, [spec.workgroupOverride]: workgroupSize } },
    };
  });
}

/**
 * The term kernel's override constants for a layout, a row length and an
 * output count: the shape the pipeline is specialized for. Every value 0 would
 * mean "from the uniform" (state-chunk.wgsl), so a zero here (L = 0, C in the
 * full basis) stays correct.
 */
export function termConstants(layout: Layout, rowAmps: number, accumulators: number, extended = false): Record<string, number> {
  return {
    SITES: layout.N,
    LOCAL_SPINS: layout.L,
    ELECTRONS: layout.electrons,
    CONFIGS: holdsSectorBlocks(layout) ? layout.blockSize : 0,
    ROW_AMPS: rowAmps,
    ACCUMULATORS: accumulators,
    ...extendedConstants(extended),
  };
}

/**
 * The override that switches the operator libraries to their weighted
 * elements (EXTENDED_TERMS in hamiltonian.wgsl and sector-hamiltonian.wgsl),
 * for the term kernel and the first reduction level (both apply H). Left out
 * for the paper's model, so its pipelines are the ones compiled before the
 * terms beyond the paper existed.
 */
export function extendedConstants(extended: boolean): Record<string, number> {
  return extended ? { EXTENDED_TERMS: 1 } : {};
}

/**
 * Whether the operator needs the weighted elements of the shaders (the
 * override EXTENDED_TERMS and the weight tables after the operator table):
 * per-bond J_ex (JexBonds), per-site J_sd (JsdSites), the ladder factors of
 * local spins S > 1/2, and in basis "full" the electron Zeeman term (its
 * diagonal then depends on e as well as m). The local field and the
 * anisotropy need nothing: they are in exchangeDiagonal; a sector folds the
 * electron Zeeman term into its per-configuration diagonal.
 */
export function usesExtendedOperator(h: Pick<HamiltonianTerms, 'layout' | 'exchangeBondWeights' | 'sdSiteWeights' | 'electronDiagonal' | 'sector'>): boolean {
  if (h.exchangeBondWeights || h.sdSiteWeights) return true;
  if (h.layout.basis === 'full') return !!h.electronDiagonal;
  return (h.sector?.cap ?? 1) > 1;
}

/** Bytes of the Chunk uniform (shaders/state-chunk.wgsl). */
export const CHUNK_UNIFORM_BYTES = 80;
/** Bytes of the Final uniform (shaders/reduce-final.wgsl), and of SectorFinal (shaders/sector-reduce-final.wgsl). */
export const FINAL_UNIFORM_BYTES = 48;
/** Bytes of the Term uniform (shaders/chebyshev-term.wgsl). */
export const TERM_UNIFORM_BYTES = 16;

export interface ChunkUniform {
  N: number;
  L: number;
  electrons: number;
  rowAmps: number;
  rowStart: number;
  rows: number;
  chunkAmps: number;
  /** Local index of the previous chunk's last row. */
  prevLast: number;
  selfOffset: number;
  prevOffset: number;
  nextOffset: number;
  /** 0 for the scaled operator's diagonal, 2^L (C in a sector) for the unscaled one (see diagonalTable). */
  diagonalOffset: number;
  /** Basis "sector": configurations per block and where the tables start (see sectorTableData); 0 in basis "full". */
  configs?: number;
  neighboursOffset?: number;
  partnersOffset?: number;
}

/** The Chunk uniform: placement of the chunk, and the scalar matrix elements of H (scaled or not). */
export function packChunkUniform(c: ChunkUniform, op: HamiltonianTerms): ArrayBuffer {
  const buf = new ArrayBuffer(CHUNK_UNIFORM_BYTES);
  const u = new Uint32Array(buf);
  const f = new Float32Array(buf);
  u.set([
    c.N, c.L, c.electrons, c.electrons === 2 ? 2 : 1,
    c.rowAmps, c.rowStart, c.rows, c.chunkAmps,
    c.prevLast, c.selfOffset, c.prevOffset, c.nextOffset,
    c.diagonalOffset, c.configs ?? 0, c.neighboursOffset ?? 0, c.partnersOffset ?? 0,
  ]);
  f.set([op.hop, op.exchangeFlip, op.sdZz, op.sdFlip], 16);
  return buf;
}

/**
 * exchangeDiagonal + shift of the scaled operator, then of the unscaled one:
 * 2 * 2^L floats (per m), or 2 C in a sector (per configuration), summed in
 * f64 and rounded once. With the electron Zeeman term (electronDiagonal) a
 * sector adds it per configuration (its e is fixed); basis "full" with the
 * extended operator (usesExtendedOperator) has one entry per (e, m) of a
 * block, 2 ns 2^L floats, indexed e 2^L + m (hamiltonian.wgsl).
 */
export function diagonalTable(scaled: HamiltonianTerms, unscaled: HamiltonianTerms): Float32Array {
  const S = scaled.exchangeDiagonal.length;
  if (!scaled.electronDiagonal && !(scaled.layout.basis === 'full' && usesExtendedOperator(scaled))) {
    const t = new Float32Array(2 * S);
    for (let m = 0; m < S; m++) {
      t[m] = scaled.exchangeDiagonal[m] + scaled.shift;
      t[S + m] = unscaled.exchangeDiagonal[m] + unscaled.shift;
    }
    return t;
  }
  // Entry i: configuration i of a sector (e its electron spin), or (e, m) = (i / 2^L, i mod 2^L) of a full block.
  const sector = scaled.layout.basis === 'full' ? undefined : scaled.sector;
  const entries = sector ? S : scaled.layout.electronSpinConfigs * S;
  const electronOf = (i: number) => (sector ? sector.electronSpin[i] : Math.floor(i / S));
  const t = new Float32Array(2 * entries);
  [scaled, unscaled].forEach((op, k) => {
    const ed = op.electronDiagonal;
    for (let i = 0; i < entries; i++) t[k * entries + i] = op.exchangeDiagonal[i % S] + (ed ? ed[electronOf(i)] : 0) + op.shift;
  });
  return t;
}

/** An f32 weight stored among the i32 entries of a table buffer (the shaders read it with bitcast<f32>). */
function f32Bits(values: ArrayLike<number>): Int32Array {
  return new Int32Array(Float32Array.from(values).buffer);
}

/**
 * Binding 9 of basis "full" (hamiltonian.wgsl): spinAtSite (N), and with the
 * extended operator the weights relative to exchangeFlip of each bond (L - 1,
 * exchangeBondWeights) and to sdZz and sdFlip of each local spin (L,
 * sdSiteWeights), 1 where a key is not set, as f32 bits.
 */
export function fullOperatorTable(h: HamiltonianTerms): Int32Array {
  if (!usesExtendedOperator(h)) return Int32Array.from(h.spinAtSite);
  const { N, L } = h.layout;
  const data = new Int32Array(N + 2 * L - 1);
  data.set(h.spinAtSite, 0);
  data.set(f32Bits(h.exchangeBondWeights ?? new Array<number>(L - 1).fill(1)), N);
  data.set(f32Bits(h.sdSiteWeights ?? new Array<number>(L).fill(1)), N + L - 1);
  return data;
}

/** The sector's tables as the one i32 buffer of shaders/sector-hamiltonian.wgsl (binding 9), and where each part starts. */
export interface SectorTableData {
  readonly data: Int32Array;
  readonly neighboursOffset: number;
  readonly partnersOffset: number;
  readonly pairsOffset: number;
  /** pairOf[c]: the configuration sharing c's chain with another e (c < pairOf[c]), or -1. */
  readonly pairOf: Int32Array;
}

/**
 * [spinAtSite (N) | exchangeStart (C + 1) | exchangeNeighbours | sdPartner
 * (electrons L C) | pairOf (C)]. pairOf turns the flat pair list of
 * model/sector.ts into one partner per configuration: in every sector each
 * configuration is the first of at most one pair (only e = 1 and e = 2 share a
 * chain), which this checks.
 *
 * With the extended operator (`weights` given and usesExtendedOperator), three
 * tables of f32 bits follow, where sector-hamiltonian.wgsl finds them from the
 * offsets above: each gather entry's element over exchangeFlip (its bond's
 * weight times the ladder factors, exchangeFactors), then per (X L + j) C + c
 * the sd flip over sdFlip (site weight times sdFactor) and the sd zz diagonal
 * over sdZz (site weight times 1 + sdZzCorrection: +1 parallel, -1
 * antiparallel for spin 1/2, 2 sigma m_j for spin S).
 */
export function sectorTableData(
  tables: SectorTables,
  spinAtSite: Int32Array,
  weights?: Pick<HamiltonianTerms, 'layout' | 'exchangeBondWeights' | 'sdSiteWeights' | 'electronDiagonal' | 'sector'>,
): SectorTableData {
  const C = tables.configs;
  const N = spinAtSite.length;
  const pairOf = new Int32Array(C).fill(-1);
  for (let p = 0; p < tables.spinPairs.length; p += 2) {
    const c = tables.spinPairs[p];
    if (pairOf[c] >= 0) throw new Error(`sector tables: configuration ${c} is the first of two spin pairs; the WebGPU reduction holds one per configuration`);
    pairOf[c] = tables.spinPairs[p + 1];
  }
  const neighboursOffset = N + C + 1;
  const partnersOffset = neighboursOffset + tables.exchangeNeighbours.length;
  const pairsOffset = partnersOffset + tables.sdPartner.length;
  const extended = weights !== undefined && usesExtendedOperator(weights);
  const E = tables.exchangeNeighbours.length, sd = tables.sdPartner.length;
  const data = new Int32Array(pairsOffset + C + (extended ? E + 2 * sd : 0));
  data.set(spinAtSite, 0);
  data.set(tables.exchangeStart, N);
  data.set(tables.exchangeNeighbours, neighboursOffset);
  data.set(tables.sdPartner, partnersOffset);
  data.set(pairOf, pairsOffset);
  if (extended) {
    const bond = weights.exchangeBondWeights, site = weights.sdSiteWeights, L = tables.L;
    const exchange = Float64Array.from(tables.exchangeFactors, (f, n) => (bond ? bond[tables.exchangeBonds[n]] : 1) * f);
    // Entry (X L + j) C + c: local spin j = (entry / C) mod L.
    const siteOf = (i: number) => (site ? site[Math.floor(i / C) % L] : 1);
    const flip = Float64Array.from(tables.sdFactor, (f, i) => siteOf(i) * f);
    const zz = Float64Array.from(tables.sdZzCorrection, (z, i) => siteOf(i) * (1 + z));
    data.set(f32Bits(exchange), pairsOffset + C);
    data.set(f32Bits(flip), pairsOffset + C + E);
    data.set(f32Bits(zz), pairsOffset + C + E + sd);
  }
  return { data, neighboursOffset, partnersOffset, pairsOffset, pairOf };
}

/** Bytes of the Level uniform (shaders/sum-records.wgsl). */
export const LEVEL_UNIFORM_BYTES = 16;

/** One level of shaders/sum-records.wgsl: `count` records of `width` vec4 in, written from `outOffset` (vec4s). */
export function packLevelUniform(count: number, width: number, outOffset: number): Uint32Array {
  return Uint32Array.from([count, width, outOffset, 0]);
}

export interface FinalUniform {
  N: number;
  L: number;
  electrons: number;
  rowStart: number;
  rows: number;
  segmentsPerBlock: number;
  /** Where n(0) of this share lies in finals (floats). */
  densityOffset: number;
}

/** The Final uniform (shaders/reduce-final.wgsl). */
export function packFinalUniform(p: FinalUniform): ArrayBuffer {
  const buf = new ArrayBuffer(FINAL_UNIFORM_BYTES);
  new Uint32Array(buf).set([p.N, p.L, p.electrons, p.rowStart, p.rows, p.segmentsPerBlock, p.densityOffset, 0, 0, 0, 0, 0]);
  return buf;
}

export interface SectorFinalUniform {
  N: number;
  electrons: number;
  configs: number;
  rowStart: number;
  rows: number;
  selfOffset: number;
  /** Where n(0) of this share lies in finals (floats). */
  densityOffset: number;
}

/** The SectorFinal uniform (shaders/sector-reduce-final.wgsl). */
export function packSectorFinalUniform(p: SectorFinalUniform): ArrayBuffer {
  const buf = new ArrayBuffer(FINAL_UNIFORM_BYTES);
  new Uint32Array(buf).set([p.N, p.electrons, p.configs, p.rowStart, p.rows, p.selfOffset, p.densityOffset, 0, 0, 0, 0, 0]);
  return buf;
}

/** Bytes of the Init uniform (shaders/initial-state.wgsl). */
export const INIT_UNIFORM_BYTES = 32;

export function packInitUniform(layout: Layout, rowStart: number, rows: number, rowAmps: number, terms: number): Uint32Array {
  return Uint32Array.from([layout.N, layout.blockSize, layout.electrons, rowStart, rows, rowAmps, terms, layout.basis === 'antisymmetric' ? 1 : 0]);
}

/**
 * The product terms of shaders/initial-state.wgsl: per term f (2 N floats), g
 * (2 N; zeros for one electron), then 4 entries (configuration allUpIndex(e)
 * as i32 bits, -1 unused; Re, Im of scale weight chi_e), f32.
 */
export function productTermData(layout: Layout, terms: readonly ProductTerm[], scale: number): Float32Array {
  const N = layout.N;
  const per = 4 * N + 12;
  const data = new Float32Array(terms.length * per);
  const bits = new Int32Array(data.buffer);
  terms.forEach((t, i) => {
    const base = i * per;
    data.set(t.f, base);
    if (t.g) data.set(t.g, base + 2 * N);
    let k = 0;
    for (let e = 0; e < t.chi.length / 2; e++) {
      const cr = scale * (t.weight[0] * t.chi[2 * e] - t.weight[1] * t.chi[2 * e + 1]);
      const ci = scale * (t.weight[0] * t.chi[2 * e + 1] + t.weight[1] * t.chi[2 * e]);
      if (cr === 0 && ci === 0) continue;
      const c = allUpIndex(layout, e);
      if (c < 0) throw new Error(`electron spin configuration ${e} lies outside the sector of ${layout.downSpins} down spins`);
      const o = base + 4 * N + 3 * k++;
      bits[o] = c;
      data[o + 1] = cr;
      data[o + 2] = ci;
    }
    for (; k < 4; k++) bits[base + 4 * N + 3 * k] = -1;
  });
  return data;
}
