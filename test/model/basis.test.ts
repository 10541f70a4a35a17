/**
 * Basis "auto" (src/model/basis.ts): resolved from the backend's own list of
 * bases, fastest first, per state; the result, checkpoints and sweeps hold
 * the basis actually used; and what "auto" takes gives the same physics as
 * the full basis.
 */

import { describe, expect, it } from 'vitest';
import { assertRunsBasis } from '../../src/backends/backend.js';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import { presumedBasis, resolveBasis, type BasisChoice } from '../../src/model/basis.js';
import { ConfigError, parseRunConfig, type Basis } from '../../src/model/config.js';
import type { Checkpoint } from '../../src/propagator/checkpoint.js';
import { resumeSimulation, simulate } from '../../src/simulate.js';
import { planSweep, runSweep, type SweepRow, type SweepStore } from '../../src/sweeps/run-sweep.js';
import { watchReductions } from '../../src/dashboard/live-series.js';
import { expectSameRun } from '../helpers/result-checks.js';
import { TOLERANCES } from '../tolerances.js';

const TINY = { N: 12, L: 2, spinStart: 6, x2: 3, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, Jsd: 0.6 };
const CPU = { name: 'cpu', bases: ['sector', 'full'] as const };
/** gpu.js's list: its kernels index the canonical layout only. */
const FULL_ONLY = { name: 'gpujs-webgl2', bases: ['full'] as const };

describe('resolveBasis', () => {
  it('takes the first basis of the backend\'s list that holds the state, and says why', () => {
    const c = parseRunConfig({ N: 20, L: 4 });
    expect(c.basis).toBe('auto');
    const cpu = resolveBasis(c, CPU);
    expect(cpu.basis).toBe('sector');
    expect(cpu.reason).toBe('auto: the fastest of the bases backend cpu runs ("sector" or "full", fastest first)');
    expect(resolveBasis(c, FULL_ONLY)).toEqual({ basis: 'full', reason: 'auto: the only basis backend gpujs-webgl2 runs' });
    // The order is the backend's: a backend that lists the full basis first gets it.
    expect(resolveBasis(c, { name: 'x', bases: ['full', 'sector'] }).basis).toBe('full');
    // A backend without a list runs the full basis only.
    expect(resolveBasis(c, { name: 'old' }).basis).toBe('full');
  });

  it('passes over a basis that cannot hold the state, naming it', () => {
    const long = parseRunConfig({ N: 80, L: 30 });
    const r = resolveBasis(long, { name: 'x', bases: ['full', 'sector'] });
    expect(r.basis).toBe('sector');
    expect(r.reason).toContain('passed over: "full": the full basis stops at 24 local spins (L = 30)');
  });

  it('local spins S > 1/2 and entanglement: the antisymmetric basis passes, the sector holds them (the CPU backend\'s own list)', () => {
    const cpu = createCpuBackend({ threads: 1 });
    expect(resolveBasis(parseRunConfig({ N: 20, L: 4, state: 'T-' }), cpu).basis).toBe('antisymmetric');
    const spin = resolveBasis(parseRunConfig({ N: 20, L: 4, state: 'T-', localSpin: 1.5 }), cpu);
    expect(spin.basis).toBe('sector');
    expect(spin.reason).toContain('"antisymmetric": its tables hold local spins S = 1/2 only (localSpin = 1.5; the sector and the full basis run 0.5 … 3.5)');
    // The entanglement observables count each kept block's exchange partner (model/entanglement.ts): the antisymmetric basis holds them.
    expect(resolveBasis(parseRunConfig({ N: 20, L: 4, state: 'singlet', entanglement: true }), cpu).basis).toBe('antisymmetric');
    // One electron: the sector either way; S = 1/2 keeps the antisymmetric basis for two.
    expect(resolveBasis(parseRunConfig({ N: 20, L: 4, state: 'single', localSpin: 2 }), cpu).basis).toBe('sector');
    expect(resolveBasis(parseRunConfig({ N: 20, L: 4, state: 'T0', localSpin: 0.5 }), cpu).basis).toBe('antisymmetric');
    // The full basis holds S > 1/2 in its mixed-radix layout up to (2S + 1)^L = 2^24 chain configurations.
    expect(resolveBasis(parseRunConfig({ N: 20, L: 4, localSpin: 1 }), { name: 'x', bases: ['antisymmetric', 'full'] }).basis).toBe('full');
    expect(() => resolveBasis(parseRunConfig({ N: 40, L: 16, localSpin: 1 }), { name: 'x', bases: ['antisymmetric', 'full'] }))
      .toThrow(/no basis backend x runs holds this state: "antisymmetric": its tables hold local spins S = 1\/2 only .*"full": the full basis holds at most 2\^24 chain configurations per electron spin; localSpin = 1 and L = 16 give 3\^16 = 43046721 \(L <= 15 for localSpin = 1\); basis "sector" holds this state/);
  });

  it('refuses, naming the basis key and what the backend runs, when no basis it runs holds the state', () => {
    let err: unknown;
    try {
      resolveBasis(parseRunConfig({ N: 80, L: 30 }), FULL_ONLY);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('basis');
    expect((err as ConfigError).message).toContain('"full" on backend gpujs-webgl2');
    expect((err as ConfigError).message).toContain('the full basis stops at 24 local spins (L = 30)');
  });

  it('keeps a basis the config names, and continues a checkpoint in its own basis', () => {
    expect(resolveBasis(parseRunConfig({ basis: 'full' }), CPU)).toEqual({ basis: 'full', reason: 'requested' });
    expect(resolveBasis(parseRunConfig({}), CPU, 'full').basis).toBe('full');
    // A checkpoint basis the backend does not run: "auto" takes the backend's own (and the checkpoint is then refused).
    expect(resolveBasis(parseRunConfig({}), FULL_ONLY, 'sector').basis).toBe('full');
  });

  it('presumes, before a backend is chosen, the fastest basis of the engine that holds the state', () => {
    expect(presumedBasis(parseRunConfig({}))).toBe('antisymmetric');
    // One electron has no exchange partner: the sector.
    expect(presumedBasis(parseRunConfig({ state: 'single' }))).toBe('sector');
    expect(presumedBasis(parseRunConfig({ basis: 'full' }))).toBe('full');
  });
});

describe('a backend refusing a basis', () => {
  it('names what it runs, from its own list, and never claims another backend\'s', () => {
    const message = (backend: { name: string; bases?: readonly Basis[] }) => {
      try {
        assertRunsBasis(backend, 'sector');
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(message(FULL_ONLY)).toBe(
      'invalid run config: "basis" = "sector" is not allowed; allowed: "auto" or "full" on backend gpujs-webgl2 (backend gpujs-webgl2 runs only "full", not "sector")',
    );
    expect(message(CPU)).toBe('accepted');
    expect(message(createCpuBackend())).toBe('accepted');
  });
});

describe('simulate() with basis "auto"', () => {
  it('runs the antisymmetric basis on the CPU backend (two electrons), records it, tells it, and gives the full basis\'s numbers', async () => {
    const told: BasisChoice[] = [];
    const auto = await simulate(TINY, { backend: 'cpu', threads: 1, onBackend: (_n, _d, _r, basis) => told.push(basis) });
    const full = await simulate({ ...TINY, basis: 'full' }, { backend: 'cpu', threads: 1 });
    expect(auto.config.basis).toBe('antisymmetric');
    expect(full.config.basis).toBe('full');
    expect(auto.dim).toBeLessThan(full.dim);
    expect(told).toEqual([{ basis: 'antisymmetric', reason: expect.stringMatching(/^auto: /) }]);
    expectSameRun(auto, full, TOLERANCES.cpu);
    // The recorded config re-runs the same basis.
    expect((await simulate(auto.config, { backend: 'cpu', threads: 1 })).deltaSigmaZ).toEqual(auto.deltaSigmaZ);
  });

  it('runs through the dashboard\'s watching wrapper, which keeps the backend\'s bases', async () => {
    const inner = createCpuBackend({ threads: 1 });
    try {
      const watched = watchReductions({ ...parseRunConfig(TINY), basis: 'sector' }, inner);
      expect(watched.backend.bases).toEqual(inner.bases);
      const r = await simulate({ ...TINY, basis: 'sector' }, { backend: watched.backend });
      expect(r.config.basis).toBe('sector');
      expect(watched.partial(0).deltaSigmaZ).toEqual(r.deltaSigmaZ);
    } finally {
      await inner.dispose();
    }
  });

  it('checkpoints in the resolved basis, and a config with "auto" resumes it to the uninterrupted run', async () => {
    const taken: Checkpoint[] = [];
    const whole = await simulate(TINY, { backend: 'cpu', threads: 1, outputsPerExpansion: 2, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    expect(taken.length).toBeGreaterThan(1);
    expect(taken[0].config.basis).toBe('antisymmetric');
    expect(taken[0].dim).toBe(whole.dim);
    const resumed = await simulate(TINY, { backend: 'cpu', threads: 1, resumeFrom: taken[0] });
    expect(resumed.config.basis).toBe('antisymmetric');
    expect(resumed.deltaSigmaZ).toEqual(whole.deltaSigmaZ);
    expect((await resumeSimulation(taken[0], { backend: 'cpu', threads: 1 })).deltaSigmaZ).toEqual(whole.deltaSigmaZ);
  });

  it('continues a full-basis checkpoint in the full basis', async () => {
    const taken: Checkpoint[] = [];
    const whole = await simulate({ ...TINY, basis: 'full' }, { backend: 'cpu', threads: 1, outputsPerExpansion: 2, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    const resumed = await simulate(TINY, { backend: 'cpu', threads: 1, resumeFrom: taken[0] });
    expect(resumed.config.basis).toBe('full');
    expect(resumed.deltaSigmaZ).toEqual(whole.deltaSigmaZ);
  });
});

describe('sweeps with basis "auto"', () => {
  const grid = { Jsd: [0.3, 0.6] };

  it('have one id whether the basis is left to "auto" or named', () => {
    const auto = planSweep({ base: TINY, grid }).id;
    expect(planSweep({ base: { ...TINY, basis: 'auto' }, grid }).id).toBe(auto);
    expect(planSweep({ base: { ...TINY, basis: 'sector' }, grid }).id).toBe(auto);
    expect(planSweep({ base: { ...TINY, basis: 'full' }, grid }).id).toBe(auto);
    // What a point computes still changes the id.
    expect(planSweep({ base: { ...TINY, Jex: 0.1 }, grid }).id).not.toBe(auto);
  });

  it('resume a store begun in the sector with "auto": done points do not run again', async () => {
    const rows = new Map<number, SweepRow>();
    let runs = 0;
    const store: SweepStore = {
      async get(point) {
        return rows.get(point.index);
      },
      async put(point, row, result) {
        rows.set(point.index, row);
        if (result) runs++;
      },
    };
    const first = await runSweep({ base: { ...TINY, basis: 'sector' }, grid }, { backend: 'cpu', threads: 1, store, shard: { index: 0, count: 2 } });
    expect(runs).toBe(1);
    const all = await runSweep({ base: TINY, grid }, { backend: 'cpu', threads: 1, store });
    expect(runs).toBe(2);
    expect(all.sweep).toBe(first.sweep);
    expect(all.complete).toBe(true);
  });
});
