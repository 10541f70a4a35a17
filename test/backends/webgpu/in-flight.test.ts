/**
 * Expansions in flight and the per-phase timing (issue 19, items 2 and 6):
 * advanceSeveral(series, n) gives what n advance() calls give (the same
 * kernels in the same order, so the same f32 numbers), in both bases and
 * with the state split into chunks; the phases it reports are positive, come
 * from the device's timestamp queries where the device has them and from the
 * host's clock otherwise, and reach the result's timing through simulate().
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import { EXPANSIONS_IN_FLIGHT } from '../../../src/backends/webgpu/chunk-plan.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import type { RunConfigInput } from '../../../src/model/config.js';
import { simulate } from '../../../src/simulate.js';
import { expectClose } from '../../helpers/expect-close.js';
import { describeWebGpu, expectNoGpuErrors, testDevice } from '../../helpers/webgpu.js';
import { TOLERANCES, WEBGPU_KERNEL } from '../../tolerances.js';
import { expectReductionClose, loadPair, problemFor } from './fixtures.js';

const BASE: RunConfigInput = { N: 10, L: 3, spinStart: 4, x2: 4, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5 };

/** Same f32 arithmetic in the same order: only a different submit structure separates them. */
const SAME_KERNELS = { abs: 1e-7 };

const CASES: { name: string; config: RunConfigInput; maxChunkBytes?: number }[] = [
  { name: 'full basis, T0', config: { state: 'T0' } },
  { name: 'sector, T-', config: { state: 'T-', basis: 'sector', L: 4 } },
  { name: 'full basis, split into 3 chunks', config: { state: 'singlet' }, maxChunkBytes: 4 * 10 * 4 * 8 * 8 },
];

describeWebGpu('WebGPU expansions in flight and phase timing', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('in-flight.test');
  });
  afterAll(() => device?.destroy());

  it.each(CASES)('$name: advanceSeveral(series, 3) = three advance() calls, and the f64 CPU', async ({ config, maxChunkBytes }) => {
    const p = problemFor({ ...BASE, ...config });
    const series = p.series(2);
    await expectNoGpuErrors(device, async () => {
      const pair = await loadPair(p, { device, maxChunkBytes });
      const one = createWebGpuBackend({ device, maxChunkBytes });
      try {
        if (maxChunkBytes) expect(pair.gpu.plan!.chunks.length).toBeGreaterThan(1);
        await one.load(p, p.psi);
        const several = await pair.gpu.advanceSeveral(series, 3);
        expect(several).toHaveLength(6);
        const singly = [...(await one.advance(series)), ...(await one.advance(series)), ...(await one.advance(series))];
        const cpu = [...(await pair.cpu.advance(series)), ...(await pair.cpu.advance(series)), ...(await pair.cpu.advance(series))];
        several.forEach((r, i) => {
          expectReductionClose(r, singly[i], SAME_KERNELS, `output ${i}: advanceSeveral against advance`);
          expectReductionClose(r, cpu[i], WEBGPU_KERNEL, `output ${i}: advanceSeveral against the CPU`);
        });
        expectClose(await pair.gpu.readState(), await one.readState(), { ...SAME_KERNELS, label: 'state after 3 expansions' });
        // The last expansion's output states are what outputStates() gives.
        const states = await pair.gpu.outputStates!();
        expect(states).toHaveLength(2);
      } finally {
        await Promise.all([pair.dispose(), one.dispose()]);
      }
    });
  });

  it('the step loop sends whole expansions to advanceSeveral, one by one when a checkpoint is due after every expansion', async () => {
    // 12 output times, 4 per expansion: 3 expansions.
    const config = { ...BASE, state: 'T0' as const, tEnd: 6 };
    const counted = () => {
      const b = createWebGpuBackend({ device });
      const calls = { several: [] as number[], single: 0 };
      const several = b.advanceSeveral.bind(b), single = b.advance.bind(b);
      b.advanceSeveral = (series, count) => (calls.several.push(count), several(series, count));
      b.advance = (series) => (calls.single++, single(series));
      return { b, calls };
    };
    const free = counted();
    await simulate(config, { backend: free.b });
    expect(free.calls).toEqual({ several: [3], single: 0 });
    const steps: number[] = [];
    const every = counted();
    await simulate(config, { backend: every.b, checkpoint: { everySeconds: 0, write: (c) => void steps.push(c.step) } });
    expect(every.calls).toEqual({ several: [], single: 3 });
    expect(steps).toEqual([4, 8]);
  });

  it('refuses a count outside 1 … EXPANSIONS_IN_FLIGHT', async () => {
    const p = problemFor({ ...BASE, state: 'T0' });
    const gpu = createWebGpuBackend({ device });
    try {
      await gpu.load(p, p.psi);
      await expect(gpu.advanceSeveral(p.series(1), 0)).rejects.toThrow(/count must be an integer from 1 to 4, got 0/);
      await expect(gpu.advanceSeveral(p.series(1), EXPANSIONS_IN_FLIGHT + 1)).rejects.toThrow(/got 5/);
    } finally {
      await gpu.dispose();
    }
  });

  it.each([
    { timestampQueries: true, source: 'timestamp-query' },
    { timestampQueries: false, source: 'wall-clock' },
  ] as const)('times the terms, the reductions and the transfers ($source)', async ({ timestampQueries, source }) => {
    expect(device.features.has('timestamp-query')).toBe(true); // SwiftShader and hardware adapters have it; the test device requests it
    const p = problemFor({ ...BASE, state: 'singlet' });
    const gpu = createWebGpuBackend({ device, timestampQueries });
    try {
      await gpu.load(p, p.psi);
      const loaded = gpu.phaseTiming();
      expect(loaded.source).toBe(source);
      expect(loaded.terms).toBe(0);
      expect(loaded.transfers).toBeGreaterThan(0); // the upload of the state
      await gpu.advanceSeveral(p.series(4), 2);
      const after = gpu.phaseTiming();
      expect(after.terms).toBeGreaterThan(0);
      expect(after.reductions).toBeGreaterThan(0);
      expect(after.transfers).toBeGreaterThan(loaded.transfers);
      await gpu.readState();
      expect(gpu.phaseTiming().transfers).toBeGreaterThan(after.transfers);
      expect(gpu.phaseTiming().terms).toBe(after.terms);
    } finally {
      await gpu.dispose();
    }
  });

  it('simulate(): a run of several expansions in flight matches the f64 CPU, and its timing has the phases', async () => {
    // 12 output times, 4 per expansion: the step loop gives the 3 expansions to advanceSeveral at once.
    const config = { ...BASE, state: 'T+' as const, tEnd: 6 };
    const gpu = await simulate(config, { backend: createWebGpuBackend({ device }) });
    const cpu = await simulate(config, { backend: createCpuBackend({ threads: 1 }) });
    expect(gpu.timing.phases).toMatchObject({ source: 'timestamp-query' });
    expect(gpu.timing.phases!.terms).toBeGreaterThan(0);
    expect(gpu.timing.phases!.terms + gpu.timing.phases!.reductions).toBeLessThanOrEqual(gpu.timing.seconds);
    expect(cpu.timing.phases).toBeUndefined();
    expectClose(gpu.deltaSigmaZ, cpu.deltaSigmaZ, { ...TOLERANCES.webgpu, label: 'delta sigma_z' });
    expectClose(gpu.probabilities!.T0, cpu.probabilities!.T0, { ...TOLERANCES.webgpu, label: 'P(T0)' });
    expectClose(gpu.density.flat(), cpu.density.flat(), { ...TOLERANCES.webgpu, label: 'n(x)' });
  });
});
