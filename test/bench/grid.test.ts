/**
 * The grid's rules without a backend: the cases, the time prediction, and
 * that every case of every target leaves a record — measured, or skipped with
 * its reason (unavailable, memory with bytes, time with the prediction).
 */

import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../src/backends/backend.js';
import { caseDim, gridCases, isMeasured, predictSeconds, type MeasuredRecord } from '../../bench/core/grid.js';
import { runGrid, type BenchTarget, type GridTarget } from '../../bench/core/run-grid.js';

describe('the benchmark grid', () => {
  it('has L = 2 … 12 by 2 × N = 50 … 400 by doubling, smallest state first', () => {
    const cases = gridCases();
    expect(cases).toHaveLength(24);
    const dims = cases.map(caseDim);
    expect(dims).toEqual([...dims].sort((a, b) => a - b));
    expect(caseDim({ N: 100, L: 4 })).toBe(100 * 100 * 4 * 16);
    expect(cases[0]).toEqual({ N: 50, L: 2 });
    expect(cases.at(-1)).toEqual({ N: 400, L: 12 });
  });

  it('predicts a case from the largest smaller state of the same L, else of the nearest smaller L', () => {
    const m = (N: number, L: number, ampsPerSecond: number) => ({ N, L, dim: caseDim({ N, L }), ampsPerSecond }) as MeasuredRecord;
    expect(predictSeconds({ N: 50, L: 2 }, 10, 3, [])).toBeUndefined();
    const measured = [m(50, 2, 500), m(100, 2, 1000), m(50, 4, 250), m(400, 2, 1)];
    // (1 warm-up + 3 samples) × 10 terms × dim at the throughput of N = 100, L = 2 (same L, largest smaller state).
    expect(predictSeconds({ N: 200, L: 2 }, 10, 3, measured)).toBeCloseTo((40 * caseDim({ N: 200, L: 2 })) / 1000, 9);
    // L = 4 takes the L = 4 record, slower per amplitude, though a larger L = 2 state was measured.
    expect(predictSeconds({ N: 100, L: 4 }, 10, 3, measured)).toBeCloseTo((40 * caseDim({ N: 100, L: 4 })) / 250, 9);
    // L = 6, none measured: the nearest smaller L (4).
    expect(predictSeconds({ N: 50, L: 6 }, 10, 3, measured)).toBeCloseTo((40 * caseDim({ N: 50, L: 6 })) / 250, 9);
  });
});

/** A backend whose term takes `secondsPerAmplitude` per amplitude (no real work), refusing states above `maxDim`. */
function fakeTarget(secondsPerAmplitude: number, maxDim: number): BenchTarget & { measured: number[] } {
  const measured: number[] = [];
  return {
    measured,
    backend: 'fake', precision: 'f64', threads: 1, bytesPerAmplitudeTerm: 80, description: 'fake',
    memory: (c) => {
      const dim = caseDim(c);
      if (dim > maxDim) throw new ResourceError('too large', dim * 64, maxDim * 64);
      return { bytes: dim * 64, allowed: maxDim * 64, limit: 'test' };
    },
    measure: async (c) => {
      measured.push(caseDim(c));
      const s = caseDim(c) * secondsPerAmplitude;
      return { perTerm: { median: s, min: s, max: s, samples: 3 }, normAfter: 1, description: 'fake' };
    },
    reference: async () => ({ gbs: 10, what: 'test copy' }),
  };
}

describe('runGrid', () => {
  it('lists every case of every target: measured, or skipped for memory, time or availability, with the figures that decided it', async () => {
    const cases = [{ N: 4, L: 1 }, { N: 8, L: 1 }, { N: 16, L: 1 }, { N: 32, L: 1 }];
    const fast = fakeTarget(1e-9, caseDim({ N: 16, L: 1 }));
    // 1e-4 s per amplitude and term: N = 8 (512 amplitudes) takes 4 × terms × 0.05 s ≫ the 1 s budget.
    const slow = fakeTarget(1e-4, Infinity);
    const targets: GridTarget[] = [fast, { ...slow, backend: 'slow' }, { backend: 'absent', precision: 'f32', threads: 1, unavailable: 'no adapter' }];
    const records = await runGrid(targets, cases, { reps: 3, maxCaseSeconds: 1 });
    expect(records).toHaveLength(targets.length * cases.length);

    const fake = records.filter((r) => r.backend === 'fake');
    expect(fake.filter(isMeasured).map((r) => r.N)).toEqual([4, 8, 16]);
    const refused = fake.find((r) => r.N === 32)!;
    expect(refused).toMatchObject({ skipKind: 'memory', bytesNeeded: caseDim({ N: 32, L: 1 }) * 64, bytesAllowed: caseDim({ N: 16, L: 1 }) * 64 });
    expect(fast.measured).not.toContain(caseDim({ N: 32, L: 1 }));

    const measured = fake.filter(isMeasured);
    for (const r of measured) {
      expect(r.ampsPerSecond).toBeCloseTo(1e9, 3);
      expect(r.effectiveGBs).toBeCloseTo(80, 9);
      expect(r.bandwidthRatio).toBeCloseTo(8, 9);
    }

    const slowRecords = records.filter((r) => r.backend === 'slow');
    expect(isMeasured(slowRecords[0])).toBe(true); // the smallest case always runs: nothing to predict it from
    for (const r of slowRecords.slice(1)) {
      expect(r).toMatchObject({ skipKind: 'time', maxCaseSeconds: 1 });
      expect(r.skipped).toMatch(/predicted .* s > budget 1 s/);
      if (!isMeasured(r)) expect(r.predictedSeconds).toBeGreaterThan(1);
    }
    expect(slow.measured).toEqual([caseDim(cases[0])]); // the cases over the budget never ran

    const absent = records.filter((r) => r.backend === 'absent');
    expect(absent.map((r) => (isMeasured(r) ? 'measured' : r.skipKind))).toEqual(['unavailable', 'unavailable', 'unavailable', 'unavailable']);
    expect(absent[0].skipped).toMatch(/no adapter/);
  });
});
