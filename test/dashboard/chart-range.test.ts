// The line charts' scale ranges in Node: never empty, so uPlot's ticks always end.
import uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { flatSafeRange, safeRange, spanning } from '../../src/dashboard/chart-range.js';

describe('flatSafeRange', () => {
  it('is uPlot\'s own range where that is not empty', () => {
    for (const [a, b] of [[-3, 5], [0.663, 1.00000000002], [0, 1e-8], [1, 1], [0, 0]]) expect(flatSafeRange(null, a, b)).toEqual(uPlot.rangeNum(a, b, 0.1, true));
  });

  it.each([
    ['a concurrence of 1 early in a run', 0.999999982530766, 1.000000000000022],
    ['local spins of 1/2 early in a run', 0.4999999918, 0.5000000000000112],
    ['neighbour correlations of 1/4', 0.2499999948, 0.25000000000000744],
  ])('gives %s, which uPlot ranges to one number, a range 10 %% of the value wide', (_, a, b) => {
    const [ulo, uhi] = uPlot.rangeNum(a, b, 0.1, true);
    expect(uhi! - ulo!).toBeLessThan(1e-15);
    const [lo, hi] = flatSafeRange(null, a, b) as [number, number];
    expect(lo).toBeLessThan(a);
    expect(hi).toBeGreaterThan(b);
    expect(hi - lo).toBeCloseTo(0.1 * b + (b - a), 6);
  });

  it('has a range for a series of gaps only', () => {
    expect(flatSafeRange(null, null, null)).toEqual([0, 1]);
    expect(safeRange(null, null, null)).toEqual([0, 1]);
  });
});

describe('spanning', () => {
  it('widens the data\'s range to the values an axis always shows, and keeps it otherwise', () => {
    expect(spanning(0, 0, [0, 1])).toEqual([0, 1]);
    expect(spanning(0.4, 0.7, [0, 1])).toEqual([0, 1]);
    expect(spanning(-0.1, 1.2, [0, 1])).toEqual([-0.1, 1.2]);
    expect(spanning(null, null, [0])).toEqual([0, 0]);
    expect(spanning(null, null)).toEqual([null, null]);
    expect(spanning(0.4, 0.7)).toEqual([0.4, 0.7]);
  });
});
