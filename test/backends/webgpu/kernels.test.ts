/**
 * Every WGSL kernel against the f64 CPU kernels, one step at a time: the
 * two-level reductions of the initial state (norm, <H>, rho, S_z per site,
 * n(x)), one Chebyshev expansion with several accumulators (the fused term
 * kernel, then the reductions of every output), and the state itself. The CPU
 * runs the same series (cut for f32), so only f32 rounding separates them.
 * Cases: every initial state, both electronSpin, all three sdTerms, one
 * electron, L = 1 (no exchange flips) and 2^L larger than the reduction
 * workgroup (the other branch of reduce-state.wgsl). The packets start on the
 * chain, so the sd terms act from the first term.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunConfigInput } from '../../../src/model/config.js';
import { expectClose } from '../../helpers/expect-close.js';
import { describeWebGpu, expectNoGpuErrors, testDevice } from '../../helpers/webgpu.js';
import { WEBGPU_KERNEL } from '../../tolerances.js';
import { expectReductionClose, loadPair, problemFor } from './fixtures.js';

// N = 10 ring, chain on sites 4-6, packets at 4 and 1: electrons on local spins from t = 0.
const BASE: RunConfigInput = { N: 10, L: 3, spinStart: 4, x2: 4, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, basis: 'full' };

interface Case {
  name: string;
  config: RunConfigInput;
  reduceWorkgroupSize?: number;
}

const CASES: Case[] = [
  { name: 'singlet', config: { state: 'singlet' } },
  { name: 'T0', config: { state: 'T0' } },
  { name: 'T+', config: { state: 'T+' } },
  { name: 'T-', config: { state: 'T-' } },
  { name: 'theta 1.1', config: { state: 'theta', theta: 1.1 } },
  { name: 'single down', config: { state: 'single' } },
  { name: 'single up', config: { state: 'single', singleSpin: 'up' } },
  { name: 'singlet, electronSpin pauli', config: { state: 'singlet', electronSpin: 'pauli' } },
  { name: 'T0, sdTerms zz', config: { state: 'T0', sdTerms: 'zz' } },
  { name: 'T-, sdTerms flip, Jex < 0', config: { state: 'T-', sdTerms: 'flip', Jex: -0.3 } },
  { name: 'theta, pauli, flip', config: { state: 'theta', theta: 2.5, electronSpin: 'pauli', sdTerms: 'flip' } },
  { name: 'L = 1', config: { state: 'singlet', L: 1, spinStart: 5 } },
  { name: 'L = 5, 2^L > reduction workgroup', config: { state: 'T0', L: 5, spinStart: 3 }, reduceWorkgroupSize: 16 },
  { name: 'single, L = 5, 2^L > reduction workgroup', config: { state: 'single', L: 5, spinStart: 3 }, reduceWorkgroupSize: 16 },
];

describeWebGpu('WebGPU kernels against the f64 CPU kernels', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('kernels.test');
  });
  afterAll(() => device?.destroy());

  it.each(CASES)('$name: reductions, one expansion with 3 outputs, and the state', async ({ config, reduceWorkgroupSize }) => {
    const p = problemFor({ ...BASE, ...config });
    await expectNoGpuErrors(device, async () => {
      const pair = await loadPair(p, { device, reduceWorkgroupSize });
      try {
        expect(pair.gpu.name).toBe('webgpu');
        expect(pair.gpu.precision).toBe('f32');
        expectReductionClose(await pair.gpu.reduce(), await pair.cpu.reduce(), WEBGPU_KERNEL, 'reduce()');
        for (const outputs of [3, 1]) {
          const series = p.series(outputs);
          const want = await pair.cpu.advance(series);
          const got = await pair.gpu.advance(series);
          expect(got).toHaveLength(outputs);
          got.forEach((r, q) => expectReductionClose(r, want[q], WEBGPU_KERNEL, `advance(${outputs}) output ${q}`));
          expectClose(await pair.gpu.readState(), await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: `state after advance(${outputs})` });
        }
      } finally {
        await pair.dispose();
      }
    });
  });

  it('accumulates up to 8 output times in one expansion', async () => {
    const p = problemFor({ ...BASE, state: 'theta', theta: 0.4 });
    const pair = await loadPair(p, { device });
    try {
      const series = p.series(8);
      const want = await pair.cpu.advance(series);
      const got = await pair.gpu.advance(series);
      got.forEach((r, q) => expectReductionClose(r, want[q], WEBGPU_KERNEL, `output ${q}`));
      expectClose(await pair.gpu.readState(), await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: 'state' });
    } finally {
      await pair.dispose();
    }
  });

  it('reloads a new problem on the same backend', async () => {
    const a = problemFor({ ...BASE, state: 'T0' });
    const b = problemFor({ ...BASE, state: 'single', N: 12 });
    const pair = await loadPair(a, { device });
    try {
      await pair.gpu.advance(a.series(2));
      await pair.gpu.load(b, b.psi);
      await pair.cpu.load(b, b.psi);
      const series = b.series(2);
      const want = await pair.cpu.advance(series);
      const got = await pair.gpu.advance(series);
      got.forEach((r, q) => expectReductionClose(r, want[q], WEBGPU_KERNEL, `output ${q}`));
    } finally {
      await pair.dispose();
    }
  });
});
