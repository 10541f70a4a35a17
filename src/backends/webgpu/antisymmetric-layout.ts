/**
 * Basis "antisymmetric" (model/antisymmetric.ts) on the device: the kept
 * triangle of orbital blocks (a, b), a <= b, folded into a rectangle so that
 * every kernel and the chunk plan see rows of equal length, as in the other
 * bases.
 *
 * The host order (readState, load, checkpoints) is the triangle's, row by
 * row: triangle row a holds the N - a blocks (a, a) … (a, N - 1). On the
 * device, folded row p (p < R = ceil(N / 2)) holds triangle row p and then
 * triangle row N - 1 - p: (N - p) + (p + 1) = N + 1 blocks. For odd N the
 * middle row p = (N - 1) / 2 is alone, and the (N + 1) / 2 blocks after it
 * are padding: zeros that every kernel keeps at zero and skips (one half row,
 * 1 / (N + 1) of the state). Each block holds the sector's C configurations.
 *
 * Why fold: the hopping of electron A joins triangle rows a - 1, a, a + 1,
 * which lie in folded rows p - 1, p, p + 1 (row N - 1 - p's neighbours are
 * the second parts of rows p + 1 and p - 1), so the chunk plan cuts the
 * state into whole folded rows and a term on a chunk reads the chunks
 * before and after it, exactly as in the sector. Only the ring's wrap
 * leaves them: triangle row 0 reads the last column (b, N - 1) of every
 * row, and the last column reads row 0 (the partners of (N - 1, b) and
 * (a, 0)). With one chunk they are in the state itself; a state in several
 * chunks gathers them first into the seam (2 N C amplitudes, in front of
 * the diagonal table: shaders/antisymmetric-seam.wgsl).
 *
 * Pure arithmetic: tested without a GPU.
 */

import { triangleRowStart } from '../../model/antisymmetric.js';
import type { Layout } from '../../model/layout.js';
import type { Chunk, ChunkPlan } from './chunk-plan.js';

/** Folded rows on the device: ceil(N / 2). */
export function foldedRows(N: number): number {
  return (N + 1) >> 1;
}

/** Where triangle row t lies on the device: its folded row and its first block there. */
export function foldedPosition(N: number, t: number): { row: number; block: number } {
  if (2 * t <= N - 1) return { row: t, block: 0 };
  const row = N - 1 - t;
  return { row, block: N - row };
}

/**
 * The rows the device stores a layout in, and the amplitudes of each: N rows
 * (one xA, or one x for one electron) in the full basis and the sector, R
 * folded rows of N + 1 blocks in basis "antisymmetric".
 */
export function deviceRows(layout: Layout): { rows: number; rowAmps: number } {
  const { N, blockSize, electrons } = layout;
  if (layout.basis === 'antisymmetric') return { rows: foldedRows(N), rowAmps: (N + 1) * blockSize };
  return { rows: N, rowAmps: electrons === 2 ? N * blockSize : blockSize };
}

/** Floats of the seam in front of the diagonal table: row 0 and the last column, N C complex amplitudes each. */
export function seamFloats(layout: Layout): number {
  return layout.basis === 'antisymmetric' ? 4 * layout.N * layout.blockSize : 0;
}

/** i32 entries in front of the sector's table buffer: sigma, the exchange permutation of the configurations (C). */
export function partnerTableEntries(layout: Layout): number {
  return layout.basis === 'antisymmetric' ? layout.blockSize : 0;
}

/** A run of amplitudes that is contiguous in both orders: host index `host`, device row-major index `device`. */
export interface StateSegment {
  readonly host: number;
  readonly device: number;
  readonly amps: number;
}

/**
 * The state as runs contiguous on the host and on the device, in host
 * order: one run for the full basis and the sector (the orders agree), one
 * per triangle row in basis "antisymmetric". Device indices count from the
 * first row (chunk c starts at rowStart rowAmps).
 */
export function stateSegments(layout: Layout): StateSegment[] {
  if (layout.basis !== 'antisymmetric') return [{ host: 0, device: 0, amps: layout.dim }];
  const { N, blockSize: C } = layout;
  const rowAmps = (N + 1) * C;
  const out: StateSegment[] = [];
  for (let t = 0; t < N; t++) {
    const { row, block } = foldedPosition(N, t);
    out.push({ host: triangleRowStart(N, t) * C, device: row * rowAmps + block * C, amps: (N - t) * C });
  }
  return out;
}

/** A run of `StateSegment` inside one chunk: `offset` amplitudes from the chunk's first. */
export interface ChunkRun {
  readonly chunk: Chunk;
  readonly offset: number;
  readonly amps: number;
  readonly host: number;
}

/**
 * The state as runs in host order, each contiguous on the host and inside
 * one chunk on the device: what a state is uploaded and read back through
 * (the chunks in every basis; the triangle's rows in basis "antisymmetric").
 */
export function chunkRuns(layout: Layout, plan: Pick<ChunkPlan, 'chunks' | 'rowAmps'>): ChunkRun[] {
  const out: ChunkRun[] = [];
  for (const s of stateSegments(layout)) {
    for (let done = 0; done < s.amps;) {
      const at = s.device + done;
      const row = Math.floor(at / plan.rowAmps);
      const chunk = plan.chunks.find((c) => row >= c.rowStart && row < c.rowStart + c.rows);
      if (!chunk) throw new RangeError(`chunkRuns: device row ${row} is in no chunk`);
      const offset = at - chunk.rowStart * plan.rowAmps;
      const amps = Math.min(s.amps - done, chunk.amps - offset);
      out.push({ chunk, offset, amps, host: s.host + done });
      done += amps;
    }
  }
  return out;
}
