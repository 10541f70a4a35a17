/**
 * The split-buffer path forced on small states: the state cut into several
 * buffers by rows (maxChunkBytes), the xA +- 1 neighbours read from the
 * chunks on either side, the reductions added chunk by chunk. It must agree
 * with one buffer (same arithmetic per amplitude) and with the f64 CPU path.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunConfigInput } from '../../../src/model/config.js';
import { expectClose } from '../../helpers/expect-close.js';
import { describeWebGpu, expectNoGpuErrors, testDevice } from '../../helpers/webgpu.js';
import { WEBGPU_KERNEL, WEBGPU_SPLIT_CONSISTENCY } from '../../tolerances.js';
import { expectReductionClose, loadPair, problemFor } from './fixtures.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';

const TWO: RunConfigInput = { N: 13, L: 3, spinStart: 5, x2: 5, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, state: 'theta', theta: 0.7, basis: 'full' };
const ONE: RunConfigInput = { ...TWO, state: 'single' };
const rowBytes = (c: RunConfigInput) => (c.state === 'single' ? 1 : c.N!) * (c.state === 'single' ? 2 : 4) * 2 ** c.L! * 8;

const CASES = [
  { name: 'two electrons, 3 uneven chunks (4, 4, 5 rows)', config: TWO, rows: 5, chunks: 3 },
  { name: 'two electrons, 2 chunks (12 + 1 rows: the same row is both neighbours)', config: TWO, rows: 12, chunks: 2 },
  { name: 'two electrons, one row per chunk', config: TWO, rows: 1, chunks: 13 },
  { name: 'one electron, one block per chunk', config: ONE, rows: 1, chunks: 13 },
  { name: 'one electron, 2 chunks', config: ONE, rows: 7, chunks: 2 },
];

describeWebGpu('WebGPU with the state split across buffers', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('split.test');
  });
  afterAll(() => device?.destroy());

  it.each(CASES)('$name: matches one buffer and the CPU', async ({ config, rows, chunks }) => {
    const p = problemFor(config);
    await expectNoGpuErrors(device, async () => {
      const pair = await loadPair(p, { device, maxChunkBytes: rows * rowBytes(config) });
      const whole = createWebGpuBackend({ device });
      try {
        await whole.load(p, p.psi);
        expect(pair.gpu.plan!.chunks).toHaveLength(chunks);
        expect(whole.plan!.chunks).toHaveLength(1);
        expect(pair.gpu.description).toMatch(new RegExp(`state in ${chunks} chunks`));
        expectReductionClose(await pair.gpu.reduce(), await whole.reduce(), WEBGPU_SPLIT_CONSISTENCY, 'reduce() split vs whole');
        expectReductionClose(await pair.gpu.reduce(), await pair.cpu.reduce(), WEBGPU_KERNEL, 'reduce() split vs CPU');
        for (let step = 0; step < 2; step++) {
          const series = p.series(3);
          const split = await pair.gpu.advance(series);
          const one = await whole.advance(series);
          const cpu = await pair.cpu.advance(series);
          split.forEach((r, q) => {
            expectReductionClose(r, one[q], WEBGPU_SPLIT_CONSISTENCY, `step ${step} output ${q}, split vs whole`);
            expectReductionClose(r, cpu[q], WEBGPU_KERNEL, `step ${step} output ${q}, split vs CPU`);
          });
        }
        // The terms do the same arithmetic per amplitude whatever the chunks: the states agree exactly.
        expectClose(await pair.gpu.readState(), await whole.readState(), { abs: 0, label: 'state split vs whole' });
        expectClose(await pair.gpu.readState(), await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: 'state split vs CPU' });
      } finally {
        await pair.dispose();
        await whole.dispose();
      }
    });
  });

  it('cuts the state anew when more accumulators are asked for than a binding holds', async () => {
    const p = problemFor(TWO);
    // A binding of 10 rows: planned for 4 accumulators, chunks of 2 rows; 6 accumulators need chunks of 1 row.
    const pair = await loadPair(p, { device, maxBindingBytes: 10 * rowBytes(TWO) });
    try {
      expect(Math.max(...pair.gpu.plan!.chunks.map((c) => c.rows))).toBe(2);
      const series = p.series(6);
      const got = await pair.gpu.advance(series);
      const want = await pair.cpu.advance(series);
      expect(Math.max(...pair.gpu.plan!.chunks.map((c) => c.rows))).toBe(1);
      got.forEach((r, q) => expectReductionClose(r, want[q], WEBGPU_KERNEL, `output ${q}`));
      expectClose(await pair.gpu.readState(), await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: 'state' });
    } finally {
      await pair.dispose();
    }
  });
});
