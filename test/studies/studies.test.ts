/**
 * The studies against the runs they are made of: every series of a study is
 * the series of the single run with the derived config, and the physics the
 * paper states for each figure holds on a small ring.
 */

import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/backends/backend.js';
import { ConfigError } from '../../src/model/config.js';
import { simulate } from '../../src/simulate.js';
import type { RunCache, StudyProgress } from '../../src/studies/index.js';
import { runStudy } from '../../src/studies/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { TOLERANCES } from '../tolerances.js';

const BASE = { N: 16, L: 3, x2: 5, d: 4, sigma: 1.5, Jsd: 0.6, tEnd: 5, dt: 0.5 };
const cpu = { backend: 'cpu' };

describe('fig2a', () => {
  it('holds the Delta sigma_z of each state as its own run gives it, T+ transferring nothing', async () => {
    const study = await runStudy('fig2a', BASE, cpu);
    expect(Object.keys(study.series).sort()).toEqual(['T+', 'T-', 'T0', 'single', 'singlet']);
    for (const state of ['singlet', 'T0', 'T-', 'single'] as const) {
      const run = await simulate({ ...BASE, state, singleSpin: 'down' }, cpu);
      expectClose(study.series[state], run.deltaSigmaZ, { ...TOLERANCES.cpu, label: state });
      expect(Math.max(...study.series[state])).toBeGreaterThan(1e-4);
    }
    expectClose(study.series['T+'], new Array(study.t.length).fill(0), { abs: 1e-12, label: 'T+' });
    expect(study.t).toEqual((await simulate(BASE, cpu)).t);
    expect(study.chainIntervals).toHaveLength(2);
    expect(study.study).toBe('fig2a');
    expect(study.backend).toBe('cpu');
    expect(study.runs.map((r) => r.label)).toEqual(['singlet', 'T0', 'T-', 'T+', 'single']);
    for (const r of study.runs) {
      expect(r.normDrift).toBeLessThan(1e-10);
      expect(r.totalSzDrift).toBeLessThan(1e-10);
    }
  });

  it('takes the single spin-down electron even when the base config says up', async () => {
    const study = await runStudy('fig2a', { ...BASE, singleSpin: 'up' }, cpu);
    const down = await simulate({ ...BASE, state: 'single', singleSpin: 'down' }, cpu);
    expectClose(study.series.single, down.deltaSigmaZ, TOLERANCES.cpu);
  });
});

describe('fig2b', () => {
  it('gives the final Delta sigma_z per d for singlet, T0 and T-', async () => {
    const d = [2, 5];
    const study = await runStudy('fig2b', BASE, { ...cpu, d });
    expect(study.d).toEqual(d);
    for (const state of ['singlet', 'T0', 'T-'] as const) {
      expect(study.final[state]).toHaveLength(2);
      for (const [i, di] of d.entries()) {
        const run = await simulate({ ...BASE, state, d: di }, cpu);
        expectClose(study.final[state][i], run.deltaSigmaZ.at(-1)!, { ...TOLERANCES.cpu, label: `${state} d=${di}` });
      }
    }
  });

  it('runs as a sweep: resumes from its cache after an abort, with the study\'s own run labels', async () => {
    const store = new Map<string, unknown>();
    const cache: RunCache = { get: async (k) => store.get(k), set: async (k, v) => void store.set(k, structuredClone(v)) };
    const controller = new AbortController();
    const labels = new Set<string>();
    const interrupted = runStudy('fig2b', BASE, {
      ...cpu,
      d: [2, 5],
      cache,
      signal: controller.signal,
      onProgress: (p) => {
        labels.add(p.label);
        if (p.runsDone === 2) controller.abort();
      },
    });
    await expect(interrupted).rejects.toBeInstanceOf(CancelledError);
    expect(store.size).toBe(2);
    const done: string[] = [];
    const resumed = await runStudy('fig2b', BASE, { ...cpu, d: [2, 5], cache, onRunDone: (label) => done.push(label) });
    expect(resumed.runs.map((r) => r.resumed === true)).toEqual([true, true, false, false, false, false]);
    expect(done).toEqual(['d=2 singlet', 'd=2 T0', 'd=2 T-', 'd=5 singlet', 'd=5 T0', 'd=5 T-']);
    expect(resumed.runs.map((r) => r.label)).toEqual(done);
    expect([...labels].every((l) => done.includes(l))).toBe(true);
    expect(resumed.final).toEqual((await runStudy('fig2b', BASE, { ...cpu, d: [2, 5] })).final);
  });

  it('refuses d = 0 for the triplets before running anything, naming d', async () => {
    const progress: StudyProgress[] = [];
    const attempt = runStudy('fig2b', BASE, { ...cpu, d: [3, 0], onProgress: (p) => progress.push(p) });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/\bd\b/);
    expect(progress).toHaveLength(0);
  });

  it('refuses a negative d and options of other studies', async () => {
    await expect(runStudy('fig2b', BASE, { ...cpu, d: [-1] })).rejects.toThrow(/\bd\b.*>= 0|d/);
    await expect(runStudy('fig2a', BASE, { ...cpu, points: 4 })).rejects.toThrow(/points belongs to fig4/);
  });
});

describe('fig3', () => {
  it('holds the four spin-state probabilities of each sdTerms variant from a singlet and a T0 start', async () => {
    const study = await runStudy('fig3', BASE, cpu);
    for (const sdTerms of ['zz', 'flip', 'full'] as const) {
      for (const start of ['singlet', 'T0'] as const) {
        const run = await simulate({ ...BASE, state: start, sdTerms }, cpu);
        const panel = study.panels[sdTerms][start];
        for (const chi of ['S', 'T0', 'T+', 'T-'] as const) {
          expectClose(panel[chi], run.probabilities![chi], { ...TOLERANCES.cpu, label: `${sdTerms} ${start} P(${chi})` });
        }
        // The four states span the electron spin space: probabilities add to the norm, 1.
        const sum = study.t.map((_, k) => panel.S[k] + panel.T0[k] + panel['T+'][k] + panel['T-'][k]);
        expectClose(sum, new Array(study.t.length).fill(1), { abs: 1e-10, label: 'sum of probabilities' });
      }
    }
    // sigma_z S_z alone cannot flip an electron spin: T+ and T- stay empty from a singlet start.
    expectClose(study.panels.zz.singlet['T+'], new Array(study.t.length).fill(0), { abs: 1e-14 });
    expectClose(study.panels.zz.singlet['T-'], new Array(study.t.length).fill(0), { abs: 1e-14 });
    // The flip terms raise an electron while they lower a local spin: T+ appears. T- never does: the
    // chain starts at its largest S_z, and total S_z is conserved.
    for (const sdTerms of ['flip', 'full'] as const) {
      expect(Math.max(...study.panels[sdTerms].singlet['T+'])).toBeGreaterThan(1e-6);
      expectClose(study.panels[sdTerms].singlet['T-'], new Array(study.t.length).fill(0), { abs: 1e-14 });
    }
  });
});

describe('fig4', () => {
  it('sweeps K angles from two propagations: final, series, average, single and the fit', async () => {
    const study = await runStudy('fig4', BASE, { ...cpu, points: 8 });
    expect(study.theta).toHaveLength(8);
    expect(study.theta[1]).toBeCloseTo(Math.PI / 4, 15);
    expect(study.series).toHaveLength(8);
    for (const k of [0, 3, 6]) {
      const run = await simulate({ ...BASE, state: 'theta', theta: study.theta[k] }, cpu);
      expectClose(study.series[k], run.deltaSigmaZ, { ...TOLERANCES.cpu, label: `theta ${study.theta[k]}` });
      expectClose(study.final[k], run.deltaSigmaZ.at(-1)!, TOLERANCES.cpu);
    }
    const mean = study.t.map((_, i) => study.series.reduce((s, x) => s + x[i], 0) / 8);
    expectClose(study.average, mean, { abs: 1e-15 });
    const single = await simulate({ ...BASE, state: 'single', singleSpin: 'down' }, cpu);
    expectClose(study.single, single.deltaSigmaZ, TOLERANCES.cpu);
    // The fit describes the finals: residual rms is what is left over.
    const rms = Math.sqrt(study.theta.reduce((s, th, k) => s + (study.final[k] - study.fit.C - study.fit.D * Math.cos(th + study.fit.phi0)) ** 2, 0) / 8);
    expect(study.fit.rms).toBeCloseTo(rms, 14);
    expect(study.fit.D).toBeGreaterThan(0);
    // Two propagations, not eight: the matvecs of the sweep are those of two runs.
    const direct = await simulate({ ...BASE, state: 'theta', theta: 0 }, cpu);
    expect(study.runs[0].matvecs).toBe(2 * direct.timing.matvecs);
  });

  it('refuses fewer than 3 points, naming the allowed range', async () => {
    await expect(runStudy('fig4', BASE, { ...cpu, points: 2 })).rejects.toThrow(/points must be an integer in 3 … 4096, got 2/);
  });
});

describe('the study machinery', () => {
  it('reports progress that only grows and ends at 1, naming the runs', async () => {
    const seen: StudyProgress[] = [];
    const done: string[] = [];
    await runStudy('fig3', BASE, { ...cpu, onProgress: (p) => seen.push(p), onRunDone: (label, o) => done.push(`${label}:${o.record.label}`) });
    expect(done).toEqual(['zz singlet', 'zz T0', 'flip singlet', 'flip T0', 'full singlet', 'full T0'].map((l) => `${l}:${l}`));
    const fractions = seen.map((p) => p.fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] - 1e-12);
    expect(fractions.at(-1)).toBe(1);
    expect(seen.at(-1)!.runsDone).toBe(6);
    expect(new Set(seen.map((p) => p.label))).toEqual(new Set(['zz singlet', 'zz T0', 'flip singlet', 'flip T0', 'full singlet', 'full T0']));
  });

  it('resumes an interrupted study from the runs it finished, with the same result', async () => {
    const store = new Map<string, unknown>();
    const cache: RunCache = { get: async (k) => store.get(k), set: async (k, v) => void store.set(k, structuredClone(v)) };
    const controller = new AbortController();
    const interrupted = runStudy('fig2a', BASE, {
      ...cpu,
      cache,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.runsDone === 2) controller.abort();
      },
    });
    await expect(interrupted).rejects.toBeInstanceOf(CancelledError);
    expect(store.size).toBe(2);
    const resumed = await runStudy('fig2a', BASE, { ...cpu, cache });
    expect(resumed.runs.map((r) => r.resumed === true)).toEqual([true, true, false, false, false]);
    const fresh = await runStudy('fig2a', BASE, cpu);
    expect(resumed.series).toEqual(fresh.series);
    // A different config does not take the cached runs.
    const other = await runStudy('fig2a', { ...BASE, Jsd: 0.5 }, { ...cpu, cache });
    expect(other.runs.some((r) => r.resumed)).toBe(false);
  });
});
