/**
 * Accuracy of f32 over a long run (issue 19, item 8): the WebGPU backend
 * against the f64 CPU backend over at least 2,500 H applications on a chain
 * of L = 32 local spins in the K = 2 sector (T-: both electrons down), every
 * output time: Delta sigma_z, the four spin-state probabilities and S_z on
 * every site within TOLERANCES.webgpu = 1e-4. N = 32 is the smallest ring that
 * holds the chain (L <= N), so the whole ring is chain and the sd exchange acts
 * on both electrons from the first term: the longest, densest use of every
 * term of H the sector kernel has (C = 561 configurations per block). It runs
 * in basis "antisymmetric", the one "auto" takes for two electrons on WebGPU
 * (the sector's term kernel and tables, on N (N + 1) / 2 = 528 of the 1024
 * blocks: 296,208 amplitudes). The largest differences are printed for
 * docs/webgpu.md's error table. Slow on SwiftShader (296,208 amplitudes x
 * 2,512 H applications: 500 s on 2 quiet cores, 2026-12-05):
 * hence its own suite, `npm run test:long` (vitest.long.config.ts), outside
 * the default one; on a hardware adapter it takes seconds.
 */

import { expect, it } from 'vitest';
import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import { parseRunConfig, type RunConfigInput } from '../../../src/model/config.js';
import { simulate } from '../../../src/simulate.js';
import { expectClose } from '../../helpers/expect-close.js';
import { describeWebGpu } from '../../helpers/webgpu.js';
import { TOLERANCES } from '../../tolerances.js';
import { problemFor } from './fixtures.js';

const MIN_H_APPLICATIONS = 2500;
const OUTPUTS_PER_EXPANSION = 4;

const BASE: RunConfigInput = { N: 32, L: 32, spinStart: 0, state: 'T-', basis: 'antisymmetric', x2: 8, d: 12, sigma: 2, dt: 0.5, tEnd: 2 };

/** tEnd (a whole number of expansions of 4 outputs) so that the f32 run applies H at least MIN_H_APPLICATIONS times. */
function longEnough(): RunConfigInput {
  const terms = problemFor(BASE).series(OUTPUTS_PER_EXPANSION).terms;
  // Per expansion: terms - 1 applications in the recurrence, one per output for <H>.
  const expansions = Math.ceil(MIN_H_APPLICATIONS / (terms - 1 + OUTPUTS_PER_EXPANSION));
  return { ...BASE, tEnd: expansions * OUTPUTS_PER_EXPANSION * (BASE.dt as number) };
}

const maxAbs = (a: number[], b: number[]) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describeWebGpu('WebGPU f32 over a long run (L = 32, K = 2)', () => {
  it(`stays within 1e-4 of the f64 CPU over >= ${MIN_H_APPLICATIONS} H applications`, async () => {
    const config = longEnough();
    expect(parseRunConfig(config).L).toBeGreaterThanOrEqual(32);
    const gpu = await simulate(config, { backend: createWebGpuBackend(), outputsPerExpansion: OUTPUTS_PER_EXPANSION });
    const cpu = await simulate(config, { backend: createCpuBackend({ threads: 1 }), outputsPerExpansion: OUTPUTS_PER_EXPANSION });
    expect(gpu.dim).toBe(((32 * 33) / 2) * 561);
    expect(gpu.config.basis).toBe('antisymmetric');
    expect(gpu.timing.matvecs).toBeGreaterThanOrEqual(MIN_H_APPLICATIONS);
    const tol = TOLERANCES.webgpu;
    expectClose(gpu.deltaSigmaZ, cpu.deltaSigmaZ, { ...tol, label: 'delta sigma_z' });
    for (const s of ['S', 'T0', 'T+', 'T-'] as const) expectClose(gpu.probabilities![s], cpu.probabilities![s], { ...tol, label: `P(${s})` });
    expectClose(gpu.SzSites.flat(), cpu.SzSites.flat(), { ...tol, label: 'S_z per site' });
    const figures = {
      tEnd: config.tEnd,
      matvecs: gpu.timing.matvecs,
      deltaSigmaZ: maxAbs(gpu.deltaSigmaZ, cpu.deltaSigmaZ),
      deltaSigmaZReached: Math.max(...cpu.deltaSigmaZ),
      probabilities: Math.max(...(['S', 'T0', 'T+', 'T-'] as const).map((s) => maxAbs(gpu.probabilities![s], cpu.probabilities![s]))),
      SzSites: maxAbs(gpu.SzSites.flat(), cpu.SzSites.flat()),
      Sz: maxAbs(gpu.Sz, cpu.Sz),
      density: maxAbs(gpu.density.flat(), cpu.density.flat()),
      norm: maxAbs(gpu.norm, cpu.norm),
      energy: maxAbs(gpu.energy, cpu.energy),
      phases: gpu.timing.phases,
      seconds: gpu.timing.seconds,
    };
    console.log(`long run, largest |WebGPU - CPU|: ${JSON.stringify(figures)}`);
  }, 7_200_000);
});
