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
import { expectSameRun, expectWholeRunLikeCpu } from '../../helpers/result-checks.js';
import { describeWebGpu, testDevice } from '../../helpers/webgpu.js';
import { TOLERANCES, WEBGPU_CONSERVATION } from '../../tolerances.js';

// The conservation test's ring: the packets pass through the chain within tEnd.
// The full basis's kernels (the sector's: sector.test.ts).
const BASE: RunConfigInput = { N: 24, L: 3, spinStart: 12, x2: 6, d: 5, sigma: 2, tEnd: 12, dt: 0.5, basis: 'full' };

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


describeWebGpu('WebGPU runs against the f64 CPU backend', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('propagation.test');
  });
  afterAll(() => device?.destroy());

  it.each(CASES)('%j: every observable within TOLERANCES.webgpu, conserved quantities kept', (extra) =>
    expectWholeRunLikeCpu(createWebGpuBackend({ device }), { ...BASE, ...extra }, { name: 'webgpu', precision: 'f32' }, TOLERANCES.webgpu, WEBGPU_CONSERVATION),
  );

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
    for (const r of results) expectSameRun(r, cpu, TOLERANCES.webgpu);
  });

  it('runs through simulate({ backend: "webgpu" }) with its own device', async () => {
    const r = await simulate({ ...BASE, tEnd: 1 }, { backend: 'webgpu' });
    expect(r.backend).toBe('webgpu');
    expect(r.precision).toBe('f32');
    expect(r.t).toHaveLength(3);
  });
});
