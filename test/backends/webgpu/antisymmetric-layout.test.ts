/**
 * The folded triangle of basis "antisymmetric" on the device
 * (src/backends/webgpu/antisymmetric-layout.ts), without a GPU: every kept
 * block has one place, the places fill the folded rows but the padding of
 * odd N, electron A's neighbour rows lie in the folded rows next to each
 * other, the runs cover the host order once inside the chunks, and the
 * chunk plan counts the folded rows, the partner table and the seam.
 */

import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../../src/backends/backend.js';
import { chunkRuns, deviceRows, foldedPosition, foldedRows, stateSegments } from '../../../src/backends/webgpu/antisymmetric-layout.js';
import { planChunks } from '../../../src/backends/webgpu/chunk-plan.js';
import { triangleRowStart } from '../../../src/model/antisymmetric.js';
import { createAntisymmetricLayout, createSectorLayout } from '../../../src/model/layout.js';

describe('the folded triangle of basis "antisymmetric"', () => {
  it.each([1, 2, 3, 4, 9, 12, 13])('N = %i: each triangle row has one place, the rows of N + 1 blocks fill but for odd N\'s padding', (N) => {
    const R = foldedRows(N);
    expect(R).toBe(Math.ceil(N / 2));
    const used = new Int32Array(R * (N + 1)).fill(-1);
    for (let t = 0; t < N; t++) {
      const { row, block } = foldedPosition(N, t);
      expect(row).toBe(Math.min(t, N - 1 - t));
      for (let k = 0; k < N - t; k++) {
        expect(used[row * (N + 1) + block + k], `block (${t}, ${t + k})`).toBe(-1);
        used[row * (N + 1) + block + k] = t;
      }
      // Electron A's neighbour rows t - 1 and t + 1 lie in this folded row or the next to it.
      for (const u of [t - 1, t + 1]) if (u >= 0 && u < N) expect(Math.abs(foldedPosition(N, u).row - row)).toBeLessThanOrEqual(1);
    }
    const free = used.filter((t) => t < 0).length;
    expect(free).toBe(N % 2 === 1 ? (N + 1) / 2 : 0);
  });

  it('runs: the host order once, in order, each inside one chunk, at the block\'s device place', () => {
    const layout = createAntisymmetricLayout(13, 3, 1);
    const C = layout.blockSize;
    const { rows, rowAmps } = deviceRows(layout);
    expect([rows, rowAmps]).toEqual([7, 14 * C]);
    const plan = planChunks(layout, 4, { bindingBytes: 2 ** 30, maxChunkBytes: 3 * rowAmps * 8, reduceWorkgroupSize: 128 });
    expect(plan.chunks.map((c) => c.rows)).toEqual([2, 2, 3]);
    const runs = chunkRuns(layout, plan);
    expect(runs).toHaveLength(13);
    let host = 0;
    for (const [t, r] of runs.entries()) {
      expect(r.host).toBe(host);
      expect(r.host).toBe(triangleRowStart(13, t) * C);
      expect(r.amps).toBe((13 - t) * C);
      expect(r.offset + r.amps).toBeLessThanOrEqual(r.chunk.amps);
      const { row, block } = foldedPosition(13, t);
      expect(r.chunk.rowStart * rowAmps + r.offset).toBe(row * rowAmps + block * C);
      host += r.amps;
    }
    expect(host).toBe(layout.dim);
    // The sector: one run per chunk, the orders agree.
    const sector = createSectorLayout(13, 3, 2, 1);
    const sectorPlan = planChunks(sector, 4, { bindingBytes: 2 ** 30, maxChunkBytes: 5 * 13 * C * 8, reduceWorkgroupSize: 128 });
    expect(chunkRuns(sector, sectorPlan).map((r) => [r.chunk.index, r.offset, r.amps])).toEqual(sectorPlan.chunks.map((c) => [c.index, 0, c.amps]));
    expect(stateSegments(sector)).toEqual([{ host: 0, device: 0, amps: sector.dim }]);
  });

  it('the plan: folded rows, the partner table and the seam counted; a seam larger than a binding refused', () => {
    const layout = createAntisymmetricLayout(12, 4, 2);
    const C = layout.blockSize;
    const plan = planChunks(layout, 4, { bindingBytes: 2 ** 30, reduceWorkgroupSize: 128, tableBytes: undefined });
    expect(plan.stateBytes).toBe(6 * 13 * C * 8);
    expect(plan.stateBytes).toBe(layout.dim * 8);
    // Without the built tables, the J_ex gather lists at their bound, 2 K per configuration.
    expect(plan.tableBytes).toBe(4 * (4 * 12 * C + 2 * C + C + 12 + (C + 1) + 4 * C + 2 * 4 * C + C));
    // One row fits, the seam (about two rows) in front of the diagonal does not.
    const rowBytes = 13 * C * 8;
    expect(() => planChunks(layout, 1, { bindingBytes: rowBytes + 8, reduceWorkgroupSize: 128 })).toThrow(ResourceError);
    expect(() => planChunks(layout, 1, { bindingBytes: rowBytes + 8, reduceWorkgroupSize: 128 })).toThrow(/the tables of H \(.*basis "antisymmetric".*78 blocks\)\) need/);
  });
});
