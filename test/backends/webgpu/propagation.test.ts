/**
 * Whole runs through simulate() on WebGPU against the f64 CPU backend: every
 * observable of the result within TOLERANCES.webgpu, and the conserved
 * quantities (norm, energy, total S_z, sum of n(x)) kept on WebGPU too.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import type { RunConfigInput } from '../../../src/model/config.js';
import type { SimulationResult } from '../../../src/model/result.js';
import { simulate } from '../../../src/simulate.js';
import { expectClose } from '../../helpers/expect-close.js';
import { describeWebGpu, testDevice } from '../../helpers/webgpu.js';
import { TOLERANCES, WEBGPU_CONSERVATION } from '../../tolerances.js';

// The conservation test's ring: the packets pass through the chain within tEnd.
const BASE: RunConfigInput = { N: 24, L: 3, spinStart: 12, x2: 6, d: 5, sigma: 2, tEnd: 12, dt: 0.5 };

const CASES: RunConfigInput[] = [
  { state: 'singlet' },
  { state: 'T0' },
  { state: 'T+' },
  { state: 'T-' },
  { state: 'theta', theta: 1.1 },
  { state: 'single' },
  { state: 'singlet', electronSpin: 'pauli' },
  { state: 'T0', sdTerms: 'flip' },
  { state: 'T-', sdTerms: 'zz', Jex: -0.3 },
];

function compare(gpu: SimulationResult, cpu: SimulationResult): void {
  const tol = TOLERANCES.webgpu;
  expect(gpu.t).toEqual(cpu.t);
  for (const key of ['norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz', 'SzSites', 'density'] as const) {
    expectClose(gpu[key], cpu[key], { ...tol, label: key });
  }
  if (cpu.probabilities) {
    for (const chi of ['S', 'T0', 'T+', 'T-'] as const) expectClose(gpu.probabilities![chi], cpu.probabilities[chi], { ...tol, label: `P(${chi})` });
  } else {
    expect(gpu.probabilities).toBeUndefined();
  }
}

function expectConserved(r: SimulationResult): void {
  const tol = WEBGPU_CONSERVATION;
  const w = r.config.electronSpin === 'pauli' ? 0.5 : 1;
  const electrons = r.config.state === 'single' ? 1 : 2;
  const n = r.t.length;
  expectClose(r.norm, new Array(n).fill(1), { ...tol, label: 'norm' });
  expectClose(r.energy, new Array(n).fill(r.energy[0]), { ...tol, label: 'energy drift' });
  expectClose(r.t.map((_, k) => w * r.sigmaZ[k] + r.Sz[k]), new Array(n).fill(w * r.sigmaZ[0] + r.Sz[0]), { ...tol, label: 'total S_z' });
  expectClose(r.density.map((row) => row.reduce((a, b) => a + b, 0)), new Array(n).fill(electrons), { ...tol, label: 'sum of n(x)' });
}

describeWebGpu('WebGPU runs against the f64 CPU backend', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('propagation.test');
  });
  afterAll(() => device?.destroy());

  it.each(CASES)('%j: every observable within TOLERANCES.webgpu, conserved quantities kept', async (extra) => {
    const config = { ...BASE, ...extra };
    const backend = createWebGpuBackend({ device });
    try {
      const gpu = await simulate(config, { backend });
      expect(gpu.backend).toBe('webgpu');
      expect(gpu.precision).toBe('f32');
      const cpu = await simulate(config, { backend: 'cpu', threads: 1 });
      compare(gpu, cpu);
      expectConserved(gpu);
      // The run does something: spin moves (except with zz only, or from T+ on an all-up chain).
      if (config.sdTerms !== 'zz' && config.state !== 'T+') expect(Math.max(...gpu.deltaSigmaZ)).toBeGreaterThan(1e-3);
    } finally {
      await backend.dispose();
    }
  });

  it('gives the same result with 1, 2 and 4 output times per expansion', async () => {
    const config = { ...BASE, state: 'T0' as const };
    const results: SimulationResult[] = [];
    for (const outputsPerExpansion of [1, 2, 4]) {
      const backend = createWebGpuBackend({ device });
      try {
        results.push(await simulate(config, { backend, outputsPerExpansion }));
      } finally {
        await backend.dispose();
      }
    }
    const cpu = await simulate(config, { backend: 'cpu', threads: 1 });
    for (const r of results) compare(r, cpu);
  });

  it('runs through simulate({ backend: "webgpu" }) with its own device', async () => {
    const r = await simulate({ ...BASE, tEnd: 1 }, { backend: 'webgpu' });
    expect(r.backend).toBe('webgpu');
    expect(r.precision).toBe('f32');
    expect(r.t).toHaveLength(3);
  });
});
