// The dashboard's live-run wrapper (src/dashboard/live-series.ts) watches the
// reductions a backend returns and must hand runPropagation every other member
// of the backend unchanged: a member it dropped (loadProduct, advanceSeveral,
// phaseTiming, readStateChunks, expansionsInFlight …) would silently send the
// page's runs down a slower path or lose their per-phase timing.

import { describe, expect, it } from 'vitest';
import type { PropagationBackend } from '../../src/backends/backend.js';
import { watchReductions } from '../../src/dashboard/live-series.js';
import { parseRunConfig } from '../../src/model/config.js';
import { emptyReduction, type StateReduction } from '../../src/model/observables.js';
import { simulate } from '../../src/simulate.js';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';

const TINY = { N: 12, L: 2, spinStart: 6, x2: 3, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, Jsd: 0.6, basis: 'sector' as const };

/** A reduction whose energy labels it, so the kept series shows which call returned it. */
function labelled(energy: number): StateReduction {
  return { ...emptyReduction(4, 2, 12), energy };
}

describe('watchReductions', () => {
  it('passes every member of a device-like backend through, and keeps what advanceSeveral returns', async () => {
    const calls: string[] = [];
    const inner: PropagationBackend & { extra: () => string } = {
      name: 'stub', precision: 'f32', description: 'stub device', preferredOutputsPerExpansion: 2,
      bases: ['sector', 'full'], extendedTerms: true, expansionsInFlight: 3,
      load: async () => void calls.push('load'),
      loadProduct: async () => void calls.push('loadProduct'),
      reduce: async () => labelled(0),
      advance: async () => [labelled(1)],
      advanceSeveral: async (_s, count) => Array.from({ length: count }, (_, i) => labelled(10 + i)),
      phaseTiming: () => ({ terms: 1, reductions: 2, transfers: 3, source: 'wall clock' }) as never,
      readState: async () => new Float64Array(2),
      outputStates: async () => [new Float64Array(2)],
      readStateChunks: undefined,
      dispose: async () => void calls.push('dispose'),
      extra: () => 'own',
    } as PropagationBackend & { extra: () => string };
    const { backend, partial } = watchReductions({ ...parseRunConfig(TINY), basis: 'sector' }, inner);
    expect(backend.bases).toEqual(['sector', 'full']);
    expect(backend.extendedTerms).toBe(true);
    expect(backend.expansionsInFlight).toBe(3);
    expect(backend.phaseTiming!()).toMatchObject({ terms: 1 });
    expect((backend as typeof inner).extra()).toBe('own');
    expect(typeof backend.outputStates).toBe('function');
    await backend.loadProduct!({} as never, {} as never);
    await backend.reduce();
    await backend.advanceSeveral!({} as never, 2);
    await backend.advance({} as never);
    expect(calls).toEqual(['loadProduct']);
    expect(partial(0).energy).toEqual([0, 10, 11, 1]);
    // A new load forgets the previous run's series.
    await backend.load({} as never, new Float64Array(0));
    expect(partial(0).energy).toEqual([]);
  });

  it('leaves a run on the CPU backend unchanged: the same numbers, and the series it watched', async () => {
    const inner = createCpuBackend({ threads: 1 });
    try {
      const { backend, partial } = watchReductions({ ...parseRunConfig(TINY), basis: 'sector' }, inner);
      const watched = await simulate(TINY, { backend });
      const plain = await simulate(TINY, { backend: 'cpu', threads: 1 });
      expect(watched.deltaSigmaZ).toEqual(plain.deltaSigmaZ);
      expect(partial(0).deltaSigmaZ).toEqual(plain.deltaSigmaZ);
    } finally {
      await inner.dispose();
    }
  });
});
