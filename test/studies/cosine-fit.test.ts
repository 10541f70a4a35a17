import { describe, expect, it } from 'vitest';
import { fitCosine } from '../../src/studies/cosine-fit.js';
import { equallySpacedAngles } from '../../src/studies/theta-sweep.js';

describe('fitCosine: final = C + D cos(theta + phi0)', () => {
  it.each([
    { C: 0.12, D: 0.05, phi0: -2 },
    { C: 0.3, D: 0.01, phi0: Math.PI },
    { C: -1, D: 2, phi0: 0.4 },
  ])('recovers C = $C, D = $D, phi0 = $phi0 exactly from clean data', ({ C, D, phi0 }) => {
    const theta = equallySpacedAngles(16);
    const fit = fitCosine(theta, theta.map((t) => C + D * Math.cos(t + phi0)));
    expect(fit.C).toBeCloseTo(C, 12);
    expect(fit.D).toBeCloseTo(D, 12);
    expect(fit.phi0).toBeCloseTo(phi0, 12);
    expect(fit.rms).toBeLessThan(1e-13);
  });

  it('reports D >= 0 and phi0 in (-pi, pi] for a negative amplitude', () => {
    const theta = [0, 1, 2, 3, 4, 5];
    const fit = fitCosine(theta, theta.map((t) => 1 - 0.5 * Math.cos(t)));
    expect(fit.D).toBeCloseTo(0.5, 12);
    expect(fit.phi0).toBeCloseTo(Math.PI, 12);
    expect(fit.phi0).toBeLessThanOrEqual(Math.PI);
    expect(fit.phi0).toBeGreaterThan(-Math.PI);
  });

  it('gives the rms residual of what a cosine cannot fit', () => {
    const theta = equallySpacedAngles(8);
    // cos(2 theta) is orthogonal to 1, cos and sin on equally spaced angles: all of it is residual.
    const fit = fitCosine(theta, theta.map((t) => 0.01 * Math.cos(2 * t)));
    expect(fit.D).toBeLessThan(1e-15);
    expect(fit.rms).toBeCloseTo(0.01 / Math.SQRT2, 12);
  });

  it('refuses fewer than three angles, or angles that cannot determine a cosine', () => {
    expect(() => fitCosine([0, 1], [1, 2])).toThrow(/at least 3/);
    expect(() => fitCosine([0, 2 * Math.PI, 4 * Math.PI], [1, 1, 1])).toThrow(/do not determine/);
  });
});
