/**
 * Basis "antisymmetric" on the f64 CPU backend against basis "sector": the
 * same sector with one amplitude of each exchange pair (MODEL.md, Exchange
 * antisymmetry), so every observable at every output time agrees to rounding.
 * Every initial state, both electron-spin conventions, every sdTerms choice,
 * odd and even N, packets that cross the ring's seam (the triangle's wrapped
 * edges) and packets that overlap (the diagonal xA = xB), one thread and
 * worker threads, and the theta sweep's two-state decomposition.
 */

import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../../src/backends/backend.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import type { RunConfigInput } from '../../../src/model/config.js';
import { simulate } from '../../../src/simulate.js';
import { runStudy, thetaSweep } from '../../../src/studies/index.js';
import { expectConserved, expectSameRun } from '../../helpers/result-checks.js';
import { TOLERANCES } from '../../tolerances.js';

const BASE: RunConfigInput = { N: 20, L: 3, spinStart: 10, x2: 5, d: 4, sigma: 2, tEnd: 5, dt: 0.5 };

const STATES: RunConfigInput[] = [
  { state: 'singlet' },
  { state: 'T0' },
  { state: 'T+' },
  { state: 'T-' },
  { state: 'theta', theta: 2.2 },
  { state: 'theta', theta: 0.4 },
];
const COUPLINGS: RunConfigInput[] = [
  {},
  { electronSpin: 'pauli' },
  { sdTerms: 'zz' },
  { sdTerms: 'flip', electronSpin: 'pauli', Jex: -0.35 },
];
const GEOMETRIES: RunConfigInput[] = [
  // Odd N, the chain across the middle.
  { N: 21, L: 4, spinStart: 9 },
  // Both packets astride the seam (x = N - 1 | 0), moving across it, and a chain just after it.
  { N: 16, L: 3, spinStart: 1, x2: 0, d: 3, sigma: 1.5, tEnd: 6 },
  // Overlapping packets (d = 1): much weight on and next to the diagonal xA = xB, on the chain.
  { N: 15, L: 5, spinStart: 4, x2: 6, d: 1, sigma: 2.5 },
  // A chain over most of the ring, the seam inside the packets: every special block at once.
  { N: 10, L: 8, spinStart: 1, x2: 9, d: 2, sigma: 1.5, tEnd: 3 },
];

const CASES = STATES.flatMap((s) => COUPLINGS.map((c) => ({ ...s, ...c }))).concat(
  STATES.flatMap((s) => GEOMETRIES.map((g) => ({ ...s, ...g }))),
);

async function bothBases(config: RunConfigInput, threads = 1) {
  const sector = await simulate({ ...BASE, ...config, basis: 'sector' }, { backend: 'cpu', threads });
  const half = await simulate({ ...BASE, ...config, basis: 'antisymmetric' }, { backend: 'cpu', threads });
  return { sector, half };
}

describe('basis "antisymmetric" against basis "sector" (f64 CPU)', () => {
  it.each(CASES)('%j: every observable at every output time within 1e-10', async (config) => {
    const { sector, half } = await bothBases(config);
    expectSameRun(half, sector, TOLERANCES.cpu);
    expectConserved(half, TOLERANCES.cpu);
    expect(half.config.basis).toBe('antisymmetric');
    const N = half.config.N;
    expect(half.dim).toBe((sector.dim / (N * N)) * ((N * (N + 1)) / 2));
  });

  // The terms beyond the paper reach this basis through the sector kernel's shared in-block code
  // (sectorTermOnBlockAt, sectorRowStretch) with its tables' weights: fields, anisotropy, per-site J_sd, per-bond J_ex.
  const EXTENDED: RunConfigInput = { fieldElectron: 0.07, fieldLocal: -0.05, anisotropy: 0.12, JsdSites: [0.6, -0.3, 0.9], JexBonds: [0.4, -0.25] };
  it.each([
    ...STATES.map((s) => ({ ...s, ...EXTENDED })),
    { state: 'T0', ...EXTENDED, electronSpin: 'pauli' },
    { state: 'singlet', ...EXTENDED, sdTerms: 'flip' },
    // The seam inside the packets and a chain of 8 with its own couplings: every special block.
    { state: 'T-', N: 10, L: 8, spinStart: 1, x2: 9, d: 2, sigma: 1.5, tEnd: 3, fieldElectron: -0.1, fieldLocal: 0.08, anisotropy: -0.2,
      JsdSites: [0.9, 0.1, -0.4, 0.7, 0.3, -0.8, 0.5, 0.2], JexBonds: [0.3, -0.6, 0.2, 0.5, -0.1, 0.4, 0.25] },
  ] as RunConfigInput[])('with a field, anisotropy and per-site couplings, %j: the sector\'s run within 1e-10', async (config) => {
    const { sector, half } = await bothBases(config);
    expect(half.config.basis).toBe('antisymmetric');
    expect(half.config.JsdSites).toEqual(config.JsdSites);
    expectSameRun(half, sector, TOLERANCES.cpu);
    expectConserved(half, TOLERANCES.cpu);
    // Not trivially equal: the local spins move (T+ on the all-up chain is fully polarized: nothing flips).
    const sz = half.SzSites[half.SzSites.length - 1];
    if (config.state !== 'T+') expect(Math.max(...sz.map((v) => Math.abs(v - 0.5)))).toBeGreaterThan(1e-4);
  });

  it('with the terms beyond the paper on worker threads: the sector\'s run within 1e-10', async () => {
    const config = { N: 23, L: 3, spinStart: 11, x2: 6, d: 4, state: 'T0' as const, tEnd: 3, ...EXTENDED };
    const { sector, half } = await bothBases(config, 2);
    expectSameRun(half, sector, TOLERANCES.cpu);
  });

  it('refuses local spins S > 1/2, naming the key; "auto" takes the sector for them', async () => {
    await expect(simulate({ ...BASE, state: 'T-', basis: 'antisymmetric', localSpin: 1 }, { backend: 'cpu', threads: 1 }))
      .rejects.toThrow(/"localSpin" = 1 is not allowed; allowed: 0.5 in basis "antisymmetric"; 0.5 … 3.5 in basis "sector", "full" or "auto"/);
    const auto = await simulate({ ...BASE, state: 'T-', localSpin: 1, tEnd: 1 }, { backend: 'cpu', threads: 1 });
    expect(auto.config.basis).toBe('sector');
  });

  it('agrees on worker threads (blocks split inside rows), and with one thread to 1e-12', async () => {
    const config = { N: 41, L: 6, spinStart: 20, x2: 12, d: 5, state: 'T-' as const, tEnd: 4 };
    const { sector, half } = await bothBases(config, 2);
    expectSameRun(half, sector, TOLERANCES.cpu);
    const one = await simulate({ ...BASE, ...config, basis: 'antisymmetric' }, { backend: 'cpu', threads: 1 });
    expectSameRun(half, one, { abs: 1e-12 });
  });

  it('gives the theta sweep of the sector basis', async () => {
    const config = { ...BASE, state: 'theta' as const, L: 4, spinStart: 9, x2: 18, d: 3 };
    const thetas = [0, 0.7, Math.PI, 5];
    const sector = await thetaSweep({ ...config, basis: 'sector' }, thetas, { backend: 'cpu', threads: 1 });
    const half = await thetaSweep({ ...config, basis: 'antisymmetric' }, thetas, { backend: 'cpu', threads: 1 });
    half.results.forEach((r, q) => expectSameRun(r, sector.results[q], TOLERANCES.cpu));
  });

  it('gives the fig2a study of the sector basis (every state, the single electron too)', async () => {
    const base = { ...BASE, tEnd: 3 };
    const sector = await runStudy('fig2a', { ...base, basis: 'sector' }, { backend: 'cpu', threads: 1 });
    const half = await runStudy('fig2a', { ...base, basis: 'antisymmetric' }, { backend: 'cpu', threads: 1 });
    for (const [state, series] of Object.entries(sector.series)) {
      const mine = (half.series as Record<string, number[]>)[state];
      series.forEach((x, k) => expect(Math.abs(mine[k] - x)).toBeLessThan(1e-10));
    }
  });

  it('is run by the WebGPU backend, listed first there as here (no adapter needed; test/backends/webgpu/antisymmetric.test.ts runs it)', async () => {
    const backend = createWebGpuBackend();
    try {
      expect(backend.bases).toEqual(['antisymmetric', 'sector', 'full']);
    } finally {
      await backend.dispose();
    }
  });

  it('is refused by the backends that do not run it, naming the bases they run', async () => {
    await expect(simulate({ ...BASE, basis: 'antisymmetric' }, { backend: 'gpujs-webasm' })).rejects.toThrow(
      /"basis" = "antisymmetric".*"auto" or "full" on backend gpujs-webasm \(backend gpujs-webasm runs only "full", not "antisymmetric"\)/,
    );
  });

  it('is what a sector run refused for memory is pointed to, with its own size', async () => {
    const err = await simulate({ N: 4000, L: 400, state: 'T-', basis: 'sector' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as Error).message).toMatch(/in basis "sector".*--basis antisymmetric \("basis": "antisymmetric"\) needs [0-9.]+ [KMGTP]iB \([0-9]+ bytes\) for this state/);
  });

  it('runs one electron in the sector layout (no exchange partner)', async () => {
    const config = { state: 'single' as const };
    const { sector, half } = await bothBases(config);
    expectSameRun(half, sector, TOLERANCES.cpu);
    expect(half.dim).toBe(sector.dim);
  });

  it('moves spin and density across the seam: the comparison is not trivially empty', async () => {
    const { half } = await bothBases({ state: 'T0', N: 16, L: 3, spinStart: 1, x2: 0, d: 3, sigma: 1.5, tEnd: 6 });
    expect(Math.max(...half.deltaSigmaZ)).toBeGreaterThan(1e-3);
    // The density on the seam's two sites changes by more than rounding.
    const seam = (k: number) => half.density[k][0] + half.density[k][15];
    expect(Math.abs(seam(half.t.length - 1) - seam(0))).toBeGreaterThan(1e-2);
  });
});
