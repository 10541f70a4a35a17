/**
 * The initial state built on the GPU from its product terms
 * (shaders/initial-state.wgsl, loadProduct; issue 19 item 4): the state read
 * back equals the f64 initialState within f32 rounding, in every state, both
 * bases, one electron and two, with the state in one buffer and split into
 * chunks; its reductions match the CPU's; and simulate() on WebGPU, which
 * loads this way, matches the CPU run.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import type { RunConfigInput } from '../../../src/model/config.js';
import { initialProductState, initialState } from '../../../src/model/initial-state.js';
import { simulate } from '../../../src/simulate.js';
import { expectClose } from '../../helpers/expect-close.js';
import { describeWebGpu, expectNoGpuErrors, testDevice } from '../../helpers/webgpu.js';
import { TOLERANCES, WEBGPU_KERNEL } from '../../tolerances.js';
import { expectReductionClose, problemFor } from './fixtures.js';

const BASE: RunConfigInput = { N: 10, L: 3, spinStart: 4, x2: 4, d: 3, sigma: 1.5, ke: 0.9, tEnd: 2, dt: 0.5 };
/** f32 rounding of amplitudes of size <= 1: the packets and coefficients are rounded once, multiplied once. */
const F32_AMPLITUDES = { abs: 2e-7 };

const STATES: RunConfigInput[] = [
  { state: 'singlet' }, { state: 'T0' }, { state: 'T-' }, { state: 'theta', theta: 1.1 }, { state: 'single' }, { state: 'single', singleSpin: 'up' },
];
const CASES = (['full', 'sector'] as const).flatMap((basis) =>
  STATES.flatMap((s) => [false, true].map((split) => ({ name: `${basis}, ${JSON.stringify(s)}${split ? ', split' : ''}`, config: { ...s, basis }, split }))),
);

describeWebGpu('WebGPU initial state from product terms', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('initial-state.test');
  });
  afterAll(() => device?.destroy());

  it.each(CASES)('$name: the state and its reductions', async ({ config, split }) => {
    const p = problemFor({ ...BASE, ...config });
    const rowBytes = 8 * (p.hamiltonian.layout.dim / p.config.N);
    const gpu = createWebGpuBackend({ device, maxChunkBytes: split ? 3 * rowBytes : undefined });
    const cpu = createCpuBackend({ threads: 1 });
    try {
      await expectNoGpuErrors(device, async () => {
        await gpu.loadProduct(p, initialProductState(p.config));
        if (split) expect(gpu.plan!.chunks.length).toBeGreaterThan(1);
        await cpu.load(p, initialState(p.config));
        expectClose(await gpu.readState(), initialState(p.config), { ...F32_AMPLITUDES, label: 'state' });
        expectReductionClose(await gpu.reduce(), await cpu.reduce(), WEBGPU_KERNEL, 'reduce()');
      });
    } finally {
      await Promise.all([gpu.dispose(), cpu.dispose()]);
    }
  });

  it('refuses a product state without terms or with a bad scale', async () => {
    const p = problemFor({ ...BASE, state: 'T0' });
    const gpu = createWebGpuBackend({ device });
    try {
      expect(() => gpu.loadProduct(p, { terms: [], scale: 1 })).toThrow(/at least one term and a finite scale > 0, got 0 terms/);
      expect(() => gpu.loadProduct(p, { ...initialProductState(p.config), scale: Number.NaN })).toThrow(/scale NaN/);
    } finally {
      await gpu.dispose();
    }
  });

  it('simulate() on WebGPU (which loads the product terms) matches the CPU run', async () => {
    const config = { ...BASE, state: 'theta' as const, theta: 0.7, basis: 'sector' as const };
    const gpu = await simulate(config, { backend: createWebGpuBackend({ device }) });
    const cpu = await simulate(config, { backend: createCpuBackend({ threads: 1 }) });
    expectClose(gpu.norm, cpu.norm, { ...TOLERANCES.webgpu, label: 'norm' });
    expectClose(gpu.deltaSigmaZ, cpu.deltaSigmaZ, { ...TOLERANCES.webgpu, label: 'delta sigma_z' });
    expectClose(gpu.density.flat(), cpu.density.flat(), { ...TOLERANCES.webgpu, label: 'n(x)' });
  });
});
