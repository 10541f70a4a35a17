/**
 * The gpu.js backend against the f64 CPU backend: one reduction and a few
 * expansions from the same state (every state, both electronSpin, every
 * sdTerms, one electron), then whole runs through simulate() with the
 * conserved quantities kept. The webasm mode runs in Node: if it cannot
 * start it skips outside CI and fails with CI set. WebGL2 exists only in a
 * browser: browser.test.ts runs it in headless Chromium; here only its clear
 * failure in Node is checked.
 */

import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import { createGpuJsBackend, gpuJsModeSupport, type GpuJsMode } from '../../../src/backends/gpujs/gpujs-backend.js';
import type { RunConfigInput } from '../../../src/model/config.js';
import { selectBackend } from '../../../src/backends/select.js';
import { simulate } from '../../../src/simulate.js';
import { expectClose } from '../../helpers/expect-close.js';
import { expectSameRun, expectWholeRunLikeCpu } from '../../helpers/result-checks.js';
import { inCI } from '../../helpers/webgpu.js';
import { GPUJS_CONSERVATION, GPUJS_KERNEL, TOLERANCES } from '../../tolerances.js';
import { expectReductionClose, problemFor } from '../webgpu/fixtures.js';

// dim = 12^2 * 4 * 8 = 4608 amplitudes: the packets reach the chain within tEnd.
const BASE: RunConfigInput = { N: 12, L: 3, spinStart: 7, x2: 3, d: 3, sigma: 1.5, tEnd: 4, dt: 0.5 };

const CASES: RunConfigInput[] = [
  { state: 'singlet' },
  { state: 'T0' },
  { state: 'T+' },
  { state: 'T-' },
  { state: 'theta', theta: 1.1 },
  { state: 'single' },
  { state: 'singlet', electronSpin: 'pauli' },
  { state: 'single', electronSpin: 'pauli' },
  { state: 'T0', sdTerms: 'flip' },
  { state: 'T-', sdTerms: 'zz', Jex: -0.3 },
  { state: 'singlet', sdTerms: 'zz' },
];

function suiteFor(mode: GpuJsMode): typeof describe | typeof describe.skip {
  const support = gpuJsModeSupport(mode);
  if (support.ok || inCI()) return describe;
  console.warn(`gpu.js ${mode} — SKIPPED: ${support.reason}; with CI=true this fails`);
  return describe.skip;
}


suiteFor('webasm')('gpu.js webasm against the f64 CPU backend', () => {
  it('starts in webasm mode with the contract names', () => {
    const b = createGpuJsBackend({ mode: 'webasm' });
    expect(b.name).toBe('gpujs-webasm');
    expect(b.precision).toBe('f32');
    expect(b.description).toMatch(/webasm/);
  });

  it.each(CASES)('%j: reductions of the loaded state and of three expansions within GPUJS_KERNEL', async (extra) => {
    const p = problemFor({ ...BASE, ...extra });
    const cpu = createCpuBackend({ threads: 1 });
    const gpu = createGpuJsBackend({ mode: 'webasm' });
    try {
      await cpu.load(p, p.psi);
      await gpu.load(p, p.psi);
      expectReductionClose(await gpu.reduce(), await cpu.reduce(), GPUJS_KERNEL, 'loaded');
      for (let step = 0; step < 3; step++) {
        const series = p.series(2);
        const [a, b] = [await gpu.advance(series), await cpu.advance(series)];
        expect(a).toHaveLength(2);
        a.forEach((r, q) => expectReductionClose(r, b[q], GPUJS_KERNEL, `step ${step}, output ${q}`));
      }
      expectClose(await gpu.readState(), await cpu.readState(), { ...GPUJS_KERNEL, label: 'state' });
    } finally {
      await Promise.all([cpu.dispose(), gpu.dispose()]);
    }
  });

  it.each(CASES.slice(0, 6).concat(CASES.slice(8, 10)))('%j: a whole run within TOLERANCES.gpujs, conserved quantities kept', (extra) =>
    expectWholeRunLikeCpu(createGpuJsBackend({ mode: 'webasm' }), { ...BASE, ...extra }, { name: 'gpujs-webasm', precision: 'f32' }, TOLERANCES.gpujs, GPUJS_CONSERVATION),
  );

  it('is safe to dispose twice and refuses use after dispose', async () => {
    const p = problemFor({ ...BASE, state: 'single' });
    const gpu = createGpuJsBackend({ mode: 'webasm' });
    await gpu.load(p, p.psi);
    await gpu.dispose();
    await gpu.dispose();
    await expect(gpu.reduce()).rejects.toThrow(/after dispose/);
  });
});

describe('gpu.js cpu mode (plain JavaScript, the same kernel source)', () => {
  it('agrees with the f64 CPU backend on one electron and on a singlet', async () => {
    for (const state of ['single', 'singlet'] as const) {
      const config = { ...BASE, tEnd: 2, state };
      const backend = createGpuJsBackend({ mode: 'cpu' });
      try {
        const gpu = await simulate(config, { backend });
        expect(gpu.backend).toBe('gpujs-cpu');
        expectSameRun(gpu, await simulate(config, { backend: 'cpu', threads: 1 }), TOLERANCES.gpujs);
      } finally {
        await backend.dispose();
      }
    }
  });
});

describe('--backend gpujs names', () => {
  it('gpujs picks the best mode here (webasm in Node) and gpujs-webasm forces it', async () => {
    for (const [name, expected] of [['gpujs', 'gpujs-webasm'], ['gpujs-webasm', 'gpujs-webasm']] as const) {
      const { backend, reason } = await selectBackend(name);
      try {
        expect(backend.name).toBe(expected);
        expect(reason).toMatch(/requested/);
      } finally {
        await backend.dispose();
      }
    }
  });

  it('gpujs-webgl2 fails clearly in Node, where there is no WebGL2 context', async () => {
    await expect(selectBackend('gpujs-webgl2')).rejects.toThrow(/gpu\.js mode "webgl2" cannot start: .*WebGL2/);
  });

  it('auto does not choose gpu.js', async () => {
    const { backend } = await selectBackend('auto', { threads: 1 });
    try {
      expect(backend.name).not.toMatch(/^gpujs/);
    } finally {
      await backend.dispose();
    }
  });
});

describe('auto and the WebGL2 renderer', () => {
  it('tells software rasterizers from GPUs by the renderer string', async () => {
    const { isSoftwareRenderer } = await import('../../../src/backends/gpujs/webgl2-renderer.js');
    for (const r of ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver']) {
      expect(isSoftwareRenderer(r)).toBe(true);
    }
    for (const r of ['ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0)', 'Apple M2', 'Mesa Intel(R) UHD Graphics 620 (KBL GT2)']) {
      expect(isSoftwareRenderer(r)).toBe(false);
    }
  });
});
