import { describe, expect, it } from 'vitest';
import { withPresumedBasis } from '../src/model/basis.js';
import { parseRunConfig } from '../src/model/config.js';
import { CancelledError, ResourceError } from '../src/backends/backend.js';
import { ConfigError } from '../src/model/config.js';
import { memoryEstimate, simulate } from '../src/simulate.js';

describe('simulate()', () => {
  it('returns every key of the INTERFACE.md result, one entry per output time', async () => {
    const r = await simulate({ N: 12, L: 2, spinStart: 6, x2: 2, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5 }, { backend: 'cpu' });
    expect(r.config.N).toBe(12);
    // "auto" takes the antisymmetric basis on the CPU backend: the orbital blocks xA <= xB, each with the sector's
    // configurations (up-up with one of the 2 local spins down, and ud, du with the chain up).
    expect(r.config.basis).toBe('antisymmetric');
    expect(r.dim).toBe(((12 * 13) / 2) * (2 + 1 + 1));
    expect(r.backend).toBe('cpu');
    expect(r.precision).toBe('f64');
    expect(r.t).toEqual([0, 0.5, 1, 1.5, 2]);
    for (const key of ['norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz', 'SzSites', 'density'] as const) {
      expect(r[key]).toHaveLength(5);
    }
    expect(r.SzSites[0]).toHaveLength(2);
    expect(r.density[0]).toHaveLength(12);
    for (const p of ['S', 'T0', 'T+', 'T-'] as const) expect(r.probabilities![p]).toHaveLength(5);
    expect(r.chainIntervals).toHaveLength(2);
    expect(r.timing.matvecs).toBeGreaterThan(0);
    expect(r.deltaSigmaZ[0]).toBe(0);
    // The singlet starts as a singlet with the chain all up.
    expect(r.probabilities!.S[0]).toBeCloseTo(1, 12);
    expect(r.SzSites[0]).toEqual([0.5, 0.5].map((v) => expect.closeTo(v, 12)));
  });

  it('omits the probabilities for one electron', async () => {
    const r = await simulate({ N: 8, L: 1, state: 'single', tEnd: 1, basis: 'full' }, { backend: 'cpu' });
    expect(r.probabilities).toBeUndefined();
    expect(r.dim).toBe(8 * 2 * 2);
    expect(r.sigmaZ[0]).toBeCloseTo(-0.5, 14);
    expect(r.chainIntervals).toHaveLength(1);
  });

  it('refuses a bad config with ConfigError before running', async () => {
    await expect(simulate({ N: 2 })).rejects.toBeInstanceOf(ConfigError);
  });

  it('refuses a triplet with d = 0 (its orbital part vanishes), naming d', async () => {
    await expect(simulate({ N: 12, L: 1, state: 'T0', d: 0, tEnd: 1 })).rejects.toMatchObject({ key: 'd' });
  });

  it('refuses a state that does not fit in memory before allocating, with the bytes needed', async () => {
    // Too large even with one accumulator (the fallback when several do not fit), in the full basis and in the
    // antisymmetric basis "auto" takes: refused before a backend starts, with the bytes of the basis the run would use.
    for (const config of [{ N: 8000, L: 20, basis: 'full' }, { N: 8000, L: 20 }]) {
      const needed = memoryEstimate(withPresumedBasis(parseRunConfig(config)), 1);
      const err = await simulate(config).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResourceError);
      expect((err as ResourceError).bytesNeeded).toBe(needed);
      expect((err as ResourceError).message).toContain(String(needed));
      expect((err as ResourceError).message).toContain(`basis "${config.basis ?? 'antisymmetric'}"`);
    }
  });

  it('stops with CancelledError when aborted, and reports progress before that', async () => {
    const controller = new AbortController();
    const fractions: number[] = [];
    const run = simulate({ N: 16, L: 2, tEnd: 50, dt: 0.5 }, {
      backend: 'cpu',
      outputsPerExpansion: 1,
      signal: controller.signal,
      onProgress: (p) => {
        fractions.push(p.fraction);
        if (p.step === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(fractions.length).toBe(3);
    expect(fractions[2]).toBeCloseTo(3 / 100, 12);
  });
});
