/**
 * The chunk plan (no GPU needed): how a state is cut into buffers by rows, and
 * what is refused before allocation.
 */

import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../../src/backends/backend.js';
import { dispatchGrid, operatorTableBytes, planChunks, sumLevels } from '../../../src/backends/webgpu/chunk-plan.js';
import { sectorTableData } from '../../../src/backends/webgpu/kernels.js';
import { createLayout, createSectorLayout } from '../../../src/model/layout.js';
import { sectorTables } from '../../../src/model/sector.js';

const GiB = 2 ** 30;
const limits = (bindingBytes: number, extra: object = {}) => ({ bindingBytes, reduceWorkgroupSize: 128, ...extra });

describe('planChunks', () => {
  it('keeps the paper-default state (N = 200, L = 4) in one chunk of a 1 GiB binding', () => {
    const plan = planChunks(createLayout(200, 4, 2), 4, limits(GiB));
    expect(plan.chunks).toHaveLength(1);
    expect(plan.rowAmps).toBe(200 * 64);
    expect(plan.stateBytes).toBe(2_560_000 * 8);
    expect(plan.chunks[0]).toMatchObject({ rowStart: 0, rows: 200, amps: 2_560_000, pairs: 640_000 });
    // psi, work, 4 accumulators, and a little scratch.
    expect(plan.totalBytes).toBeGreaterThan(6 * plan.stateBytes);
    expect(plan.totalBytes).toBeLessThan(6.2 * plan.stateBytes);
  });

  it('splits by whole rows, nearly evenly, covering every row once', () => {
    const layout = createLayout(13, 3, 2);
    const rowBytes = 13 * 32 * 8;
    const plan = planChunks(layout, 1, limits(GiB, { maxChunkBytes: 5 * rowBytes }));
    expect(plan.chunks.map((c) => c.rows)).toEqual([4, 4, 5]);
    expect(plan.chunks.map((c) => c.rowStart)).toEqual([0, 4, 8]);
    expect(plan.chunks.reduce((s, c) => s + c.amps, 0)).toBe(layout.dim);
  });

  it('fits the accumulators of a chunk into one binding', () => {
    const layout = createLayout(12, 2, 2);
    const rowBytes = 12 * 16 * 8;
    const plan = planChunks(layout, 4, limits(8 * rowBytes));
    expect(Math.max(...plan.chunks.map((c) => c.rows))).toBeLessThanOrEqual(2);
    expect(4 * plan.chunkBytes).toBeLessThanOrEqual(8 * rowBytes);
  });

  it('cuts one electron into rows of one block', () => {
    const layout = createLayout(16, 3, 1);
    const plan = planChunks(layout, 1, limits(GiB, { maxChunkBytes: 16 * 8 }));
    expect(plan.rowAmps).toBe(16);
    expect(plan.chunks).toHaveLength(16);
  });

  it('refuses a state whose single row exceeds a binding, with the bytes needed and allowed', () => {
    // N = 100, L = 18: one row is 100 * 4 * 2^18 amplitudes = 800 MiB > 512 MiB.
    const err = (() => {
      try {
        planChunks(createLayout(100, 18, 2), 1, limits(GiB / 2));
      } catch (e) {
        return e;
      }
    })() as ResourceError;
    expect(err).toBeInstanceOf(ResourceError);
    expect(err.bytesNeeded).toBe(100 * 4 * 2 ** 18 * 8);
    expect(err.bytesAllowed).toBe(GiB / 2);
    expect(err.message).toMatch(/one row of the state .* needs 800\.0 MiB .* more than the adapter's largest storage binding, 512\.0 MiB/);
  });

  it('refuses more accumulators of one row than a binding holds', () => {
    const layout = createLayout(10, 3, 2);
    const rowBytes = 10 * 32 * 8;
    expect(() => planChunks(layout, 4, limits(3 * rowBytes))).toThrow(ResourceError);
    expect(() => planChunks(layout, 4, limits(3 * rowBytes))).toThrow(/fewer output times per expansion/);
  });

  it('refuses a plan above maxTotalBytes', () => {
    const layout = createLayout(50, 4, 2);
    expect(() => planChunks(layout, 4, limits(GiB, { maxTotalBytes: 1e6 }))).toThrow(ResourceError);
  });
});

describe('planChunks in basis "sector"', () => {
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e as ResourceError;
    }
    throw new Error('not refused');
  };

  it('cuts the paper-default singlet sector (6 configurations per block) like the full basis, the tables counted', () => {
    const layout = createSectorLayout(200, 4, 2, 1);
    const plan = planChunks(layout, 4, limits(GiB));
    expect(plan.rowAmps).toBe(200 * 6);
    expect(plan.stateBytes).toBe(240_000 * 8);
    // sector-reduce-state: C = 6 < 128, so floor(128 / 6) = 21 blocks per step, 64 steps: strips of 1344 of the 40,000 blocks.
    expect(plan.chunks[0]).toMatchObject({ rows: 200, amps: 240_000, pairs: 240_000, segments: 0, reduceWorkgroups: 30, recordCount: 30 });
    expect(plan.chunks[0].levels).toEqual([30]);
    // A share: one vec4 per configuration (w_c, the pair, the <H> part), then n(x).
    expect(plan.recordWidth).toBe(6);
    expect(plan.densityOffset).toBe(24);
    expect(plan.finalFloats).toBe(24 + 200);
    expect(plan.tableBytes).toBe(operatorTableBytes(layout));
    expect(plan.totalBytes).toBeGreaterThan(6 * plan.stateBytes + plan.tableBytes);
    expect(plan.totalBytes).toBeLessThan(6.1 * plan.stateBytes);
  });

  it('counts the tables exactly: the diagonal and the one table buffer of sector-hamiltonian.wgsl', () => {
    for (const [L, K, electrons] of [[1, 1, 2], [5, 2, 2], [8, 1, 1], [16, 2, 2]] as const) {
      const tables = sectorTables(L, K, electrons);
      const spinAtSite = new Int32Array(30).fill(-1);
      const layout = createSectorLayout(30, L, electrons, K);
      const bytes = 4 * 2 * tables.configs + sectorTableData(tables, spinAtSite).data.byteLength;
      expect(operatorTableBytes(layout, tables.exchangeNeighbours.length)).toBe(bytes);
      // Without the tables, a bound: each down spin has two bonds.
      expect(operatorTableBytes(layout)).toBeGreaterThanOrEqual(bytes);
    }
  });

  it('refuses a sector row larger than a binding (N = 400, L = 64, T-: 2145 configurations), with bytes needed and allowed', () => {
    const err = refusal(() => planChunks(createSectorLayout(400, 64, 2, 2), 4, limits(4 * 2 ** 20)));
    expect(err).toBeInstanceOf(ResourceError);
    expect(err.bytesNeeded).toBe(400 * 2145 * 8);
    expect(err.bytesAllowed).toBe(4 * 2 ** 20);
    expect(err.message).toMatch(/basis "sector" \(K = 2 down spins: 2145 configurations per orbital block\); one row of the state \(858000 amplitudes\) needs 6\.5 MiB/);
  });

  it('refuses sector tables larger than a binding even when a row fits', () => {
    // One electron, L = 64: a row is 65 amplitudes (520 B), the tables about 18 KB.
    const layout = createSectorLayout(10, 64, 1, 1);
    const err = refusal(() => planChunks(layout, 1, limits(8192)));
    expect(err).toBeInstanceOf(ResourceError);
    expect(err.bytesAllowed).toBe(8192);
    expect(err.bytesNeeded).toBe(operatorTableBytes(layout) - 4 * 2 * 65);
    expect(err.message).toMatch(/the tables of H .* need .* in one buffer, more than the adapter's largest storage binding/);
  });

  it('refuses above maxTotalBytes counting the tables, and says so', () => {
    const layout = createSectorLayout(40, 32, 2, 2);
    const plan = planChunks(layout, 4, limits(GiB));
    const err = refusal(() => planChunks(layout, 4, limits(GiB, { maxTotalBytes: plan.totalBytes - 1 })));
    expect(err.bytesNeeded).toBe(plan.totalBytes);
    expect(err.message).toMatch(/561 configurations per orbital block.*the tables of H \(/);
  });
});

describe('the reduction records (issue 19: parallel in both levels)', () => {
  it('basis "full": one record of 5 + ceil(L / 4) vec4 per workgroup of 128 pairs, summed in levels of 128', () => {
    // N = 200, L = 10: 40,000 blocks x 1024 m = 40,960,000 pairs, 320,000 workgroups.
    const plan = planChunks(createLayout(200, 10, 2), 1, limits(8 * GiB));
    expect(plan.recordWidth).toBe(5 + 3);
    expect(plan.chunks[0]).toMatchObject({ reduceWorkgroups: 320_000, recordCount: 320_000, records: 320_000 * 32 });
    // 320,000 -> 2,500 -> 20 -> 1: three levels, none reading more than 128 records per workgroup.
    expect(plan.chunks[0].levels).toEqual([320_000, 2500, 20]);
    expect(plan.scratch.partials).toBe(2500 * 32);
    expect(plan.densityOffset).toBe(32);
    expect(plan.finalFloats).toBe(32 + 200);
  });

  it('a sector with C >= the workgroup: tiles of 128 configurations, strips of 64 blocks', () => {
    // N = 40, L = 16, T- (K = 2): C = C(16, 2) + 2 x 16 + 1 = 153 configurations; 1600 blocks -> 25 strips of 64.
    const layout = createSectorLayout(40, 16, 2, 2);
    const C = layout.blockSize;
    expect(C).toBe(153);
    const plan = planChunks(layout, 1, limits(GiB));
    expect(plan.chunks[0]).toMatchObject({ recordCount: 25, reduceWorkgroups: 25 * Math.ceil(C / 128) });
    expect(plan.chunks[0].levels).toEqual([25]);
  });

  it('sumLevels: at least one level, each a factor of the workgroup smaller', () => {
    expect(sumLevels(1, 128)).toEqual([1]);
    expect(sumLevels(128, 128)).toEqual([128]);
    expect(sumLevels(129, 128)).toEqual([129, 2]);
    expect(sumLevels(5, 2)).toEqual([5, 3, 2]);
  });
});

describe('dispatchGrid', () => {
  it('stays 1-D up to the limit and folds into 2-D beyond it, covering every workgroup', () => {
    expect(dispatchGrid(100, 65535)).toEqual([100, 1]);
    expect(dispatchGrid(0, 65535)).toEqual([1, 1]);
    const [x, y] = dispatchGrid(200_000, 65535);
    expect(x).toBeLessThanOrEqual(65535);
    expect(x * y).toBeGreaterThanOrEqual(200_000);
    expect(x * (y - 1)).toBeLessThan(200_000);
  });
});
