/**
 * Basis "sector" on WebGPU (shaders/sector-hamiltonian.wgsl and the sector
 * reductions): the f32 kernels against the f64 CPU sector kernels one
 * expansion at a time, whole runs against the f64 CPU run in the sector AND
 * in the full basis (the sector changes nothing physical), the split-buffer
 * path, the theta sweep, and the limits a sector state is refused by.
 * Cases: every initial state, both electronSpin, all three sdTerms, one and
 * two electrons, L = 1 (no exchange flips), and a chain filling most of the
 * ring (N = 10, L = 8).
 */

import { engineConfig } from '../../helpers/engine-config.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ResourceError } from '../../../src/backends/backend.js';
import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import { planChunks } from '../../../src/backends/webgpu/chunk-plan.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import { type RunConfigInput } from '../../../src/model/config.js';
import { thetaComponents } from '../../../src/model/initial-state.js';
import { combineThetaReduction, normOf, sigmaZOf, type CrossReduction } from '../../../src/model/observables.js';
import { runPairPropagation } from '../../../src/propagator/pair-propagation.js';
import { simulate } from '../../../src/simulate.js';
import { expectClose } from '../../helpers/expect-close.js';
import { expectConserved, expectSameRun } from '../../helpers/result-checks.js';
import { describeWebGpu, expectNoGpuErrors, testDevice } from '../../helpers/webgpu.js';
import { TOLERANCES, WEBGPU_CONSERVATION, WEBGPU_KERNEL, WEBGPU_SPLIT_CONSISTENCY } from '../../tolerances.js';
import { expectReductionClose, loadPair, problemFor } from './fixtures.js';

// N = 14 ring, chain from site 6, leading packet on the chain: the sd terms act from the first term.
const BASE: RunConfigInput = { N: 14, L: 3, spinStart: 6, x2: 6, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, basis: 'sector' };

interface Case {
  name: string;
  config: RunConfigInput;
  reduceWorkgroupSize?: number;
}

const CASES: Case[] = [
  { name: 'singlet', config: { state: 'singlet' } },
  { name: 'T0', config: { state: 'T0' } },
  { name: 'T+ (K = 0: one configuration)', config: { state: 'T+' } },
  { name: 'T- (K = 2)', config: { state: 'T-' } },
  { name: 'theta 1.1', config: { state: 'theta', theta: 1.1 } },
  { name: 'single down', config: { state: 'single' } },
  { name: 'single up (K = 0)', config: { state: 'single', singleSpin: 'up' } },
  { name: 'singlet, pauli', config: { state: 'singlet', electronSpin: 'pauli' } },
  { name: 'T-, pauli', config: { state: 'T-', electronSpin: 'pauli' } },
  { name: 'single, pauli', config: { state: 'single', electronSpin: 'pauli' } },
  { name: 'T0, sdTerms zz', config: { state: 'T0', sdTerms: 'zz' } },
  { name: 'T-, sdTerms flip, Jex < 0', config: { state: 'T-', sdTerms: 'flip', Jex: -0.3 } },
  { name: 'theta, pauli, flip', config: { state: 'theta', theta: 2.5, electronSpin: 'pauli', sdTerms: 'flip' } },
  { name: 'singlet, L = 1', config: { state: 'singlet', L: 1, spinStart: 6 } },
  { name: 'T-, L = 1', config: { state: 'T-', L: 1, spinStart: 6 } },
  { name: 'single, L = 1', config: { state: 'single', L: 1, spinStart: 6 } },
  { name: 'singlet, N = 10, L = 8', config: { state: 'singlet', N: 10, L: 8, spinStart: 1, x2: 4 } },
  { name: 'T-, N = 10, L = 8 (C = 45)', config: { state: 'T-', N: 10, L: 8, spinStart: 1, x2: 4 } },
  { name: 'single, N = 10, L = 8', config: { state: 'single', N: 10, L: 8, spinStart: 1, x2: 4 } },
  // C = 21 configurations against 16 invocations: the reduction loops stride.
  { name: 'T-, L = 5, C > reduction workgroup', config: { state: 'T-', L: 5, spinStart: 5 }, reduceWorkgroupSize: 16 },
];

describeWebGpu('WebGPU basis "sector"', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('sector.test');
  });
  afterAll(() => device?.destroy());

  it.each(CASES)('$name: reductions, one expansion with 3 outputs and the state, against the f64 sector kernels', async ({ config, reduceWorkgroupSize }) => {
    const p = problemFor({ ...BASE, ...config });
    expect(p.hamiltonian.layout.basis).toBe('sector');
    await expectNoGpuErrors(device, async () => {
      const pair = await loadPair(p, { device, reduceWorkgroupSize });
      try {
        expect(pair.gpu.description).toMatch(/basis sector/);
        expectReductionClose(await pair.gpu.reduce(), await pair.cpu.reduce(), WEBGPU_KERNEL, 'reduce()');
        const series = p.series(3);
        const got = await pair.gpu.advance(series);
        const want = await pair.cpu.advance(series);
        got.forEach((r, q) => expectReductionClose(r, want[q], WEBGPU_KERNEL, `output ${q}`));
        // States in the sector's own order, every output time.
        const gs = await pair.gpu.outputStates!();
        const cs = await pair.cpu.outputStates!();
        expect(gs).toHaveLength(3);
        gs.forEach((s, q) => expectClose(s, cs[q], { ...WEBGPU_KERNEL, label: `output state ${q}` }));
        expectClose(await pair.gpu.readState(), await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: 'state' });
      } finally {
        await pair.dispose();
      }
    });
  });

  it.each(CASES)('$name: a whole run equals the f64 CPU run in the sector and in the full basis', async ({ config, reduceWorkgroupSize }) => {
    const input = { ...BASE, tEnd: 3, ...config };
    const backend = createWebGpuBackend({ device, reduceWorkgroupSize });
    try {
      const gpu = await simulate(input, { backend });
      expect(gpu.backend).toBe('webgpu');
      expect(gpu.precision).toBe('f32');
      const sector = await simulate(input, { backend: 'cpu', threads: 1 });
      const full = await simulate({ ...input, basis: 'full' }, { backend: 'cpu', threads: 1 });
      expectSameRun(gpu, sector, TOLERANCES.webgpu);
      expectSameRun(gpu, full, TOLERANCES.webgpu);
      expectConserved(gpu, WEBGPU_CONSERVATION);
      if (input.sdTerms !== 'zz' && input.state !== 'T+' && !(input.state === 'single' && input.singleSpin === 'up')) {
        expect(Math.max(...gpu.deltaSigmaZ)).toBeGreaterThan(1e-3);
      }
    } finally {
      await backend.dispose();
    }
  });

  const TWO: RunConfigInput = { ...BASE, N: 13, L: 3, spinStart: 5, x2: 5, state: 'theta', theta: 0.7 };
  const ONE: RunConfigInput = { ...TWO, state: 'single' };
  // A row: N blocks of C configurations (two electrons), one block (one electron); 8 bytes per amplitude.
  const rowBytes = (c: RunConfigInput) => {
    const layout = problemFor(c).hamiltonian.layout;
    return (layout.electrons === 2 ? layout.N : 1) * layout.blockSize * 8;
  };
  const SPLIT = [
    { name: 'two electrons, 3 uneven chunks (4, 4, 5 rows)', config: TWO, rows: 5, chunks: 3 },
    { name: 'two electrons, one row per chunk', config: TWO, rows: 1, chunks: 13 },
    { name: 'T- (C = 10), two chunks (12 + 1 rows)', config: { ...TWO, state: 'T-' as const }, rows: 12, chunks: 2 },
    { name: 'one electron, one block per chunk', config: ONE, rows: 1, chunks: 13 },
  ];

  it.each(SPLIT)('split buffers, $name: matches one buffer and the CPU', async ({ config, rows, chunks }) => {
    const p = problemFor(config);
    await expectNoGpuErrors(device, async () => {
      const pair = await loadPair(p, { device, maxChunkBytes: rows * rowBytes(config) });
      const whole = createWebGpuBackend({ device });
      try {
        await whole.load(p, p.psi);
        expect(pair.gpu.plan!.chunks).toHaveLength(chunks);
        expect(whole.plan!.chunks).toHaveLength(1);
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
        expectClose(await pair.gpu.readState(), await whole.readState(), { abs: 0, label: 'state split vs whole' });
        expectClose(await pair.gpu.readState(), await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: 'state split vs CPU' });
      } finally {
        await pair.dispose();
        await whole.dispose();
      }
    });
  });

  it('split buffers: cuts a sector state anew when more accumulators are asked for than a binding holds', async () => {
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

  it('split buffers: a whole run equals the CPU full-basis run', async () => {
    const input = { ...TWO, state: 'T0' as const, tEnd: 3 };
    const backend = createWebGpuBackend({ device, maxChunkBytes: 4 * rowBytes(TWO) });
    try {
      const gpu = await simulate(input, { backend });
      expect(backend.plan!.chunks.length).toBe(4);
      expectSameRun(gpu, await simulate({ ...input, basis: 'full' }, { backend: 'cpu', threads: 1 }), TOLERANCES.webgpu);
    } finally {
      await backend.dispose();
    }
  });

  it('theta sweep: two WebGPU sector propagations give the cross terms of the CPU full-basis pair, and the phase state', async () => {
    const sectorConfig = engineConfig({ ...TWO, tEnd: 3 });
    const fullConfig = engineConfig({ ...TWO, tEnd: 3, basis: 'full' });
    const s = thetaComponents(sectorConfig);
    const f = thetaComponents(fullConfig);
    const gpus = [createWebGpuBackend({ device }), createWebGpuBackend({ device })] as const;
    const cpus = [createCpuBackend({ threads: 1 }), createCpuBackend({ threads: 1 })] as const;
    try {
      const g = await runPairPropagation(sectorConfig, gpus, [s.a, s.b]);
      const c = await runPairPropagation(fullConfig, cpus, [f.a, f.b]);
      expect(g.t).toEqual(c.t);
      g.aa.forEach((r, k) => expectReductionClose(r, c.aa[k], TOLERANCES.webgpu, `<a|O|a> at t${k}`));
      g.bb.forEach((r, k) => expectReductionClose(r, c.bb[k], TOLERANCES.webgpu, `<b|O|b> at t${k}`));
      const flat = (x: CrossReduction) => [...x.rho, ...x.szSites, ...x.density, ...x.energy];
      g.ab.forEach((x, k) => expectClose(flat(x), flat(c.ab[k]), { ...TOLERANCES.webgpu, label: `<a|O|b> at t${k}` }));
      // Combined at the config's angle (as thetaSweep does), they are the direct run of state "theta" in the full basis.
      const direct = await simulate({ ...TWO, tEnd: 3, basis: 'full' }, { backend: 'cpu', threads: 1 });
      const z = normOf(combineThetaReduction(g.aa[0], g.bb[0], g.ab[0], TWO.theta!, 1));
      g.aa.forEach((_, k) => {
        const r = combineThetaReduction(g.aa[k], g.bb[k], g.ab[k], TWO.theta!, z);
        const at = { ...TOLERANCES.webgpu, label: `theta ${TWO.theta} at t${k}` };
        expectClose([normOf(r), sigmaZOf(r, 'half'), ...r.szSites, ...r.density], [direct.norm[k], direct.sigmaZ[k], ...direct.SzSites[k], ...direct.density[k]], at);
      });
    } finally {
      for (const b of [...gpus, ...cpus]) await b.dispose();
    }
  });

  it('runs full, sector, full again on one backend: the pipelines of each basis, the buffers of each load', async () => {
    const backend = createWebGpuBackend({ device });
    try {
      for (const basis of ['full', 'sector', 'full'] as const) {
        const input = { ...BASE, tEnd: 1, state: 'T0' as const, basis };
        const gpu = await simulate(input, { backend });
        expect(backend.description).toMatch(basis === 'sector' ? /basis sector/ : /^(?!.*basis sector)/);
        expectSameRun(gpu, await simulate(input, { backend: 'cpu', threads: 1 }), TOLERANCES.webgpu);
      }
    } finally {
      await backend.dispose();
    }
  });

  it('counts the sector tables in the memory it needs and refuses above maxTotalBytes with bytes needed and allowed', async () => {
    const p = problemFor({ ...BASE, state: 'T-', L: 6 });
    const probe = createWebGpuBackend({ device });
    let needed: number;
    try {
      await probe.load(p, p.psi);
      await probe.advance(p.series(4));
      const plan = probe.plan!;
      // The diagonal (2 C floats) and the one table buffer (sectorTableData), exactly.
      const C = 28;
      expect(plan.tableBytes).toBe(4 * (2 * C + 14 + (C + 1) + p.hamiltonian.sector!.exchangeNeighbours.length + 2 * 6 * C + C));
      needed = plan.totalBytes;
      // What the backend holds once 4 outputs ran: the plan, and only uniforms and coefficients beyond it.
      expect(probe.bytesAllocated).toBeGreaterThanOrEqual(needed);
      expect(probe.bytesAllocated - needed).toBeLessThan(64 * 1024);
    } finally {
      await probe.dispose();
    }
    const tight = createWebGpuBackend({ device, maxTotalBytes: needed - 1 });
    try {
      const err = await tight.load(p, p.psi).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ResourceError);
      expect((err as ResourceError).bytesNeeded).toBe(needed);
      expect((err as ResourceError).bytesAllowed).toBe(needed - 1);
      expect((err as ResourceError).message).toMatch(/basis "sector" \(K = 2 down spins: 28 configurations per orbital block\).*tables of H/);
    } finally {
      await tight.dispose();
    }
    // The plan the backend made is the one planChunks makes from the layout and the tables' true size.
    expect(planChunks(p.hamiltonian.layout, 4, { bindingBytes: 2 ** 30, reduceWorkgroupSize: 128 }).totalBytes).toBeGreaterThanOrEqual(needed);
  });
});
