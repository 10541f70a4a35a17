import { describe, expect, it } from 'vitest';
import { besselJ, besselJSequence } from '../../src/propagator/bessel.js';
import { chebyshevWeights, SERIES_TOLERANCE } from '../../src/propagator/chebyshev.js';

// Published values (Abramowitz & Stegun, Table 9.1 and 9.4; DLMF), 15+ digits.
const PUBLISHED: [number, number, number][] = [
  [0, 1, 0.7651976865579666],
  [1, 1, 0.4400505857449335],
  [0, 2, 0.22389077914123567],
  [1, 2, 0.5767248077568734],
  [2, 2, 0.35283402861563773],
  [0, 10, -0.2459357644513483],
  [1, 10, 0.04347274616886144],
  [5, 10, -0.2340615281867936],
  [10, 10, 0.20748610663335886],
  [20, 10, 1.1513369247813403e-5],
  [3, 0.5, 0.002563729994587244],
  [50, 1, 2.906004948173273e-80],
  [0, 100, 0.019985850304223122],
  [100, 100, 0.09636667329586155],
];

describe('besselJ (Miller backward recurrence)', () => {
  it.each(PUBLISHED)('J_%i(%f) matches the published value', (n, x, value) => {
    const got = besselJ(n, x);
    expect(Math.abs(got - value)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(value)) + 1e-15 * Math.abs(value));
    expect(Math.abs(got - value) / Math.abs(value)).toBeLessThan(1e-12);
  });

  it('satisfies the sum rule J_0 + 2 sum J_2k = 1 and sum J_k^2 normalization', () => {
    for (const x of [0.01, 1.97, 7.9, 55.5, 320]) {
      const j = besselJSequence(x, Math.ceil(x) + 60);
      let even = j[0], squares = j[0] * j[0];
      for (let k = 1; k < j.length; k++) {
        if (k % 2 === 0) even += 2 * j[k];
        squares += 2 * j[k] * j[k];
      }
      // The alternating even sum cancels to O(sqrt(x)) eps; the squares do not.
      expect(Math.abs(even - 1)).toBeLessThan(1e-12);
      expect(Math.abs(squares - 1)).toBeLessThan(1e-14);
    }
  });

  it('gives J_0(0) = 1 and J_k(0) = 0', () => {
    expect(Array.from(besselJSequence(0, 3))).toEqual([1, 0, 0, 0]);
  });

  it('refuses negative or non-finite x', () => {
    expect(() => besselJSequence(-1, 2)).toThrow(RangeError);
    expect(() => besselJSequence(Number.POSITIVE_INFINITY, 2)).toThrow(RangeError);
  });
});

describe('chebyshevWeights', () => {
  it('cuts the series where the remaining weights fall below the tolerance', () => {
    for (const alpha of [0.1, 1.97, 10, 200]) {
      for (const tol of [SERIES_TOLERANCE.f64, SERIES_TOLERANCE.f32]) {
        const w = chebyshevWeights(alpha, tol);
        expect(w.length).toBeGreaterThan(alpha);
        const tail = besselJSequence(alpha, w.length + 10).slice(w.length);
        for (const v of tail) expect(2 * Math.abs(v)).toBeLessThan(tol);
      }
    }
  });

  it('needs about a dozen terms for dt = 0.5 fs at the paper defaults', () => {
    // halfWidth ~ 2.6 eV: alpha = 2.6 * 0.5 / 0.658 ~ 2
    const n = chebyshevWeights(2, SERIES_TOLERANCE.f64).length;
    expect(n).toBeGreaterThanOrEqual(12);
    expect(n).toBeLessThanOrEqual(20);
  });
});
