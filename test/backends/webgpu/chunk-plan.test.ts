/**
 * The chunk plan (no GPU needed): how a state is cut into buffers by rows, and
 * what is refused before allocation.
 */

import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../../src/backends/backend.js';
import { dispatchGrid, planChunks } from '../../../src/backends/webgpu/chunk-plan.js';
import { createLayout } from '../../../src/model/layout.js';

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
