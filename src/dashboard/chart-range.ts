/**
 * The value ranges of the line charts' scales, never empty: uPlot's ticks
 * over an empty or vanishing range never end ("Invalid array length").
 */

import uPlot from 'uplot';

/**
 * A padded range that is never empty: uPlot's own ranging of a second scale
 * fails ("Invalid array length") on a series that is still all gaps or constant.
 */
export function safeRange(_u: unknown, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const pad = Math.max((max - min) * 0.1, 0.05 * Math.max(1, Math.abs(max)));
  return [min - pad, max + pad];
}

/**
 * uPlot's own range of a scale, unless it is empty: for a span far below the
 * values (a concurrence from 1 − 2e-8 to 1 + 2e-16 early in a run) uPlot
 * rounds both ends to one number, and its ticks over that never end
 * ("Invalid array length"). Such data is drawn about flat instead.
 */
export function flatSafeRange(_u: unknown, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const [lo, hi] = uPlot.rangeNum(min, max, 0.1, true);
  const size = Math.max(Math.abs(min), Math.abs(max));
  if (lo != null && hi != null && hi - lo > 1e-9 * size) return [lo, hi];
  const pad = Math.max((max - min) * 0.1, 0.05 * size) || 1;
  return [min - pad, max + pad];
}

/** [min, max] widened to span `include` (values an axis always shows, like 0 and 1 for a concurrence); null stays null without any. */
export function spanning(min: number | null, max: number | null, include: readonly number[] = []): [number | null, number | null] {
  if (!include.length) return [min, max];
  return [Math.min(min ?? Infinity, ...include), Math.max(max ?? -Infinity, ...include)];
}
