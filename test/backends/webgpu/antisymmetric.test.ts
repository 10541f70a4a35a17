/**
 * Basis "antisymmetric" on WebGPU (shaders/antisymmetric-*.wgsl, the folded
 * triangle of src/backends/webgpu/antisymmetric-layout.ts): the f32 kernels
 * against the f64 CPU antisymmetric kernels one expansion at a time, the
 * states read back in the triangle's order and mapped to the sector
 * (antisymmetricToSector) against the CPU sector state, whole runs against
 * the f64 CPU run in this basis AND in the sector, the initial state built
 * on the device, split buffers (the seam gather), the theta sweep's pair,
 * the memory it counts, and "auto" taking it on WebGPU.
 * Cases: every initial state, both electronSpin, all three sdTerms, odd and
 * even N, packets across the ring's wrap (the triangle's wrapped edges) and
 * overlapping on the diagonal xA = xB, a chain over most of the ring.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { ResourceError } from '../../../src/backends/backend.js';
import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import { chunkRuns, foldedRows } from '../../../src/backends/webgpu/antisymmetric-layout.js';
import { planChunks } from '../../../src/backends/webgpu/chunk-plan.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import { antisymmetricToSector } from '../../../src/model/antisymmetric.js';
import type { BasisChoice } from '../../../src/model/basis.js';
import type { RunConfigInput } from '../../../src/model/config.js';
import { initialProductState, initialState, thetaComponents } from '../../../src/model/initial-state.js';
import { type CrossReduction } from '../../../src/model/observables.js';
import { runPairPropagation } from '../../../src/propagator/pair-propagation.js';
import { simulate } from '../../../src/simulate.js';
import { engineConfig } from '../../helpers/engine-config.js';
import { expectClose } from '../../helpers/expect-close.js';
import { expectConserved, expectSameRun } from '../../helpers/result-checks.js';
import { describeWebGpu, expectNoGpuErrors, testDevice } from '../../helpers/webgpu.js';
import { TOLERANCES, WEBGPU_CONSERVATION, WEBGPU_KERNEL, WEBGPU_SPLIT_CONSISTENCY } from '../../tolerances.js';
import { expectReductionClose, loadPair, problemFor } from './fixtures.js';

// Even N, both packets astride the ring's seam (x = N - 1 | 0) and moving across it, the chain just after it.
const SEAM: RunConfigInput = { N: 12, L: 3, spinStart: 1, x2: 0, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, basis: 'antisymmetric' };
// Odd N, overlapping packets (d = 1) on the chain: much weight on and next to the diagonal xA = xB.
const DIAGONAL: RunConfigInput = { ...SEAM, N: 13, L: 4, spinStart: 4, x2: 6, d: 1, sigma: 2 };
// Odd N, a chain over most of the ring, the seam inside the packets: every special block at once.
const RING: RunConfigInput = { ...SEAM, N: 9, L: 6, spinStart: 1, x2: 8, d: 2, sigma: 1.5 };

const STATES: RunConfigInput[] = [
  { state: 'singlet' }, { state: 'T0' }, { state: 'T+' }, { state: 'T-' }, { state: 'theta', theta: 1.1 },
];
const COUPLINGS: RunConfigInput[] = [
  {}, { electronSpin: 'pauli' }, { sdTerms: 'zz' }, { sdTerms: 'flip', electronSpin: 'pauli', Jex: -0.3 },
];
const CASES = [
  ...STATES.flatMap((s) => COUPLINGS.map((c) => ({ name: `seam, ${JSON.stringify({ ...s, ...c })}`, config: { ...SEAM, ...s, ...c } }))),
  ...STATES.map((s) => ({ name: `diagonal (odd N), ${JSON.stringify(s)}`, config: { ...DIAGONAL, ...s } })),
  ...STATES.map((s) => ({ name: `chain over the ring (odd N), ${JSON.stringify(s)}`, config: { ...RING, ...s } })),
];

/** Bytes of one folded row on the device: N + 1 blocks of C amplitudes. */
const rowBytes = (c: RunConfigInput) => {
  const layout = problemFor(c).hamiltonian.layout;
  return (layout.N + 1) * layout.blockSize * 8;
};

describeWebGpu('WebGPU basis "antisymmetric"', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('antisymmetric.test');
  });
  afterAll(() => device?.destroy());

  it.each(CASES)('$name: reductions, one expansion with 3 outputs and the states, against the f64 kernels of both bases', async ({ config }) => {
    const p = problemFor(config);
    expect(p.hamiltonian.layout.basis).toBe('antisymmetric');
    const sector = problemFor({ ...config, basis: 'sector' });
    const tables = p.hamiltonian.sector!;
    const N = p.config.N;
    await expectNoGpuErrors(device, async () => {
      const pair = await loadPair(p, { device });
      const cpuSector = createCpuBackend({ threads: 1 });
      try {
        await cpuSector.load(sector, sector.psi);
        expect(pair.gpu.description).toMatch(/basis antisymmetric/);
        expectReductionClose(await pair.gpu.reduce(), await pair.cpu.reduce(), WEBGPU_KERNEL, 'reduce()');
        expectReductionClose(await pair.gpu.reduce(), await cpuSector.reduce(), WEBGPU_KERNEL, 'reduce() against the sector');
        const series = p.series(3);
        const got = await pair.gpu.advance(series);
        const want = await pair.cpu.advance(series);
        const wantSector = await cpuSector.advance(sector.series(3));
        got.forEach((r, q) => {
          expectReductionClose(r, want[q], WEBGPU_KERNEL, `output ${q}`);
          expectReductionClose(r, wantSector[q], WEBGPU_KERNEL, `output ${q} against the sector`);
        });
        // States in the triangle's order, every output time; mapped back, the sector's.
        const gs = await pair.gpu.outputStates!();
        const cs = await pair.cpu.outputStates!();
        const ss = await cpuSector.outputStates!();
        expect(gs).toHaveLength(3);
        gs.forEach((s, q) => {
          expectClose(s, cs[q], { ...WEBGPU_KERNEL, label: `output state ${q}` });
          expectClose(antisymmetricToSector(tables, N, s), ss[q], { ...TOLERANCES.webgpu, label: `output state ${q} as a sector state` });
        });
        const state = await pair.gpu.readState();
        expectClose(state, await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: 'state' });
        expectClose(antisymmetricToSector(tables, N, state), await cpuSector.readState(), { ...TOLERANCES.webgpu, label: 'state as a sector state' });
      } finally {
        await pair.dispose();
        await cpuSector.dispose();
      }
    });
  });

  it.each(CASES)('$name: a whole run equals the f64 CPU run in this basis and in the sector', async ({ config }) => {
    const backend = createWebGpuBackend({ device });
    try {
      const gpu = await simulate(config, { backend });
      expect(gpu.backend).toBe('webgpu');
      expect(gpu.config.basis).toBe('antisymmetric');
      const half = await simulate(config, { backend: 'cpu', threads: 1 });
      const sector = await simulate({ ...config, basis: 'sector' }, { backend: 'cpu', threads: 1 });
      expectSameRun(gpu, half, TOLERANCES.webgpu);
      expectSameRun(gpu, sector, TOLERANCES.webgpu);
      expectConserved(gpu, WEBGPU_CONSERVATION);
      if (config.sdTerms !== 'zz' && config.state !== 'T+') expect(Math.max(...gpu.deltaSigmaZ)).toBeGreaterThan(1e-3);
    } finally {
      await backend.dispose();
    }
  });

  it('moves density across the seam: the comparison is not trivially empty', async () => {
    const backend = createWebGpuBackend({ device });
    try {
      const run = await simulate({ ...SEAM, state: 'T0', N: 16, tEnd: 5 }, { backend });
      const seam = (k: number) => run.density[k][0] + run.density[k][15];
      expect(Math.abs(seam(run.t.length - 1) - seam(0))).toBeGreaterThan(1e-2);
    } finally {
      await backend.dispose();
    }
  });

  it.each([false, true])('builds the initial state on the device from its product terms (split: %s)', async (split) => {
    for (const s of STATES) {
      for (const geometry of [SEAM, DIAGONAL]) {
        const p = problemFor({ ...geometry, ...s });
        const gpu = createWebGpuBackend({ device, maxChunkBytes: split ? 2 * rowBytes(p.config) : undefined });
        const cpu = createCpuBackend({ threads: 1 });
        try {
          await expectNoGpuErrors(device, async () => {
            await gpu.loadProduct(p, initialProductState(p.config));
            if (split) expect(gpu.plan!.chunks.length).toBe(Math.ceil(foldedRows(p.config.N) / 2));
            await cpu.load(p, initialState(p.config));
            expectClose(await gpu.readState(), initialState(p.config), { abs: 2e-7, label: `${JSON.stringify(s)}: state` });
            expectReductionClose(await gpu.reduce(), await cpu.reduce(), WEBGPU_KERNEL, `${JSON.stringify(s)}: reduce()`);
          });
        } finally {
          await Promise.all([gpu.dispose(), cpu.dispose()]);
        }
      }
    }
  });

  const SPLIT = [
    { name: 'odd N, 3 uneven chunks (2, 2, 3 folded rows)', config: { ...DIAGONAL, state: 'theta' as const, theta: 0.7 }, rows: 3, chunks: 3 },
    { name: 'even N, one folded row per chunk', config: { ...SEAM, state: 'T0' as const }, rows: 1, chunks: 6 },
    { name: 'T- (K = 2), two chunks, the seam inside the packets', config: { ...RING, state: 'T-' as const }, rows: 4, chunks: 2 },
  ];

  it.each(SPLIT)('split buffers, $name: the seam gathered, matches one buffer and the CPU', async ({ config, rows, chunks }) => {
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
        // Every amplitude is computed from the same numbers in the same order, from the seam or from the state.
        expectClose(await pair.gpu.readState(), await whole.readState(), { abs: 0, label: 'state split vs whole' });
        expectClose(await pair.gpu.readState(), await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: 'state split vs CPU' });
        const outputs = await pair.gpu.outputStates!();
        (await whole.outputStates!()).forEach((s, q) => expectClose(outputs[q], s, { abs: 0, label: `output state ${q} split vs whole` }));
      } finally {
        await pair.dispose();
        await whole.dispose();
      }
    });
  });

  it('reads a split state back in the triangle\'s order through a small staging buffer, piece by piece', async () => {
    const config = { ...DIAGONAL, state: 'T-' as const };
    const p = problemFor(config);
    const gpu = createWebGpuBackend({ device, maxChunkBytes: 3 * rowBytes(config), readbackBytes: 37 * 8 });
    try {
      await gpu.load(p, p.psi);
      expect(gpu.plan!.chunks.length).toBe(3);
      // One run per triangle row, each inside one chunk, in host order.
      const runs = chunkRuns(p.hamiltonian.layout, gpu.plan!);
      expect(runs).toHaveLength(p.config.N);
      expect(runs.reduce((n, r) => n + r.amps, 0)).toBe(p.hamiltonian.layout.dim);
      await gpu.advance(p.series(2));
      const whole = await gpu.readState();
      const pieces: Float64Array[] = [];
      for await (const piece of gpu.readStateChunks(50)) pieces.push(piece);
      expect(Math.max(...pieces.map((x) => x.length))).toBeLessThanOrEqual(50);
      const joined = new Float64Array(whole.length);
      let at = 0;
      for (const x of pieces) {
        joined.set(x, at);
        at += x.length;
      }
      expect(at).toBe(whole.length);
      expectClose(joined, whole, { abs: 0, label: 'pieces vs readState' });
    } finally {
      await gpu.dispose();
    }
  });

  it('split buffers: cuts the state anew when more accumulators are asked for than a binding holds', async () => {
    const config = { ...DIAGONAL, state: 'T0' as const };
    const p = problemFor(config);
    // A binding of 5 folded rows: planned for 4 accumulators, chunks of 1 row; 6 accumulators fit no row.
    const pair = await loadPair(p, { device, maxBindingBytes: 12 * rowBytes(config) });
    try {
      expect(Math.max(...pair.gpu.plan!.chunks.map((c) => c.rows))).toBe(3);
      const series = p.series(6);
      const got = await pair.gpu.advance(series);
      const want = await pair.cpu.advance(series);
      expect(Math.max(...pair.gpu.plan!.chunks.map((c) => c.rows))).toBe(2);
      got.forEach((r, q) => expectReductionClose(r, want[q], WEBGPU_KERNEL, `output ${q}`));
      expectClose(await pair.gpu.readState(), await pair.cpu.readState(), { ...WEBGPU_KERNEL, label: 'state' });
    } finally {
      await pair.dispose();
    }
  });

  it('split buffers: a whole run equals the CPU sector run', async () => {
    const input = { ...DIAGONAL, state: 'singlet' as const, tEnd: 3 };
    const backend = createWebGpuBackend({ device, maxChunkBytes: 2 * rowBytes(input) });
    try {
      const gpu = await simulate(input, { backend });
      expect(backend.plan!.chunks.length).toBe(4);
      expectSameRun(gpu, await simulate({ ...input, basis: 'sector' }, { backend: 'cpu', threads: 1 }), TOLERANCES.webgpu);
    } finally {
      await backend.dispose();
    }
  });

  it('theta sweep: two WebGPU antisymmetric propagations give the cross terms of the CPU sector pair', async () => {
    const base = { ...DIAGONAL, state: 'theta' as const, theta: 0.7, tEnd: 3 };
    const halfConfig = engineConfig(base);
    const sectorConfig = engineConfig({ ...base, basis: 'sector' });
    const h = thetaComponents(halfConfig);
    const s = thetaComponents(sectorConfig);
    const gpus = [createWebGpuBackend({ device }), createWebGpuBackend({ device })] as const;
    const cpus = [createCpuBackend({ threads: 1 }), createCpuBackend({ threads: 1 })] as const;
    try {
      const g = await runPairPropagation(halfConfig, gpus, [h.a, h.b]);
      const c = await runPairPropagation(sectorConfig, cpus, [s.a, s.b]);
      expect(g.t).toEqual(c.t);
      g.aa.forEach((r, k) => expectReductionClose(r, c.aa[k], TOLERANCES.webgpu, `<a|O|a> at t${k}`));
      g.bb.forEach((r, k) => expectReductionClose(r, c.bb[k], TOLERANCES.webgpu, `<b|O|b> at t${k}`));
      const flat = (x: CrossReduction) => [...x.rho, ...x.szSites, ...x.density, ...x.energy];
      g.ab.forEach((x, k) => expectClose(flat(x), flat(c.ab[k]), { ...TOLERANCES.webgpu, label: `<a|O|b> at t${k}` }));
    } finally {
      for (const b of [...gpus, ...cpus]) await b.dispose();
    }
  });

  it('"auto" takes basis antisymmetric for two electrons on WebGPU and says so; the sector for one', async () => {
    const backend = createWebGpuBackend({ device });
    try {
      const input = { ...SEAM, state: 'T-' as const, basis: 'auto' as const, tEnd: 1 };
      let choice: BasisChoice | undefined;
      const gpu = await simulate(input, { backend, onBackend: (_n, _d, _r, basis) => (choice = basis) });
      expect(gpu.config.basis).toBe('antisymmetric');
      expect(choice?.basis).toBe('antisymmetric');
      expect(choice?.reason).toMatch(/auto: the fastest of the bases backend webgpu runs \("antisymmetric", "sector" or "full", fastest first\)/);
      expect(backend.description).toMatch(/basis antisymmetric/);
      expectSameRun(gpu, await simulate({ ...input, basis: 'sector' }, { backend: 'cpu', threads: 1 }), TOLERANCES.webgpu);
      const single = await simulate({ ...input, state: 'single' }, { backend });
      expect(single.config.basis).toBe('sector');
    } finally {
      await backend.dispose();
    }
  });

  it('runs antisymmetric, sector, full and antisymmetric again on one backend', async () => {
    const backend = createWebGpuBackend({ device });
    try {
      for (const basis of ['antisymmetric', 'sector', 'full', 'antisymmetric'] as const) {
        const input = { ...SEAM, tEnd: 1, state: 'T0' as const, basis };
        const gpu = await simulate(input, { backend });
        expect(backend.description).toMatch(basis === 'full' ? /^(?!.*basis )/ : new RegExp(`basis ${basis}`));
        expectSameRun(gpu, await simulate(input, { backend: 'cpu', threads: 1 }), TOLERANCES.webgpu);
      }
    } finally {
      await backend.dispose();
    }
  });

  it('counts the partner table and the seam in the memory it needs and refuses above maxTotalBytes', async () => {
    const p = problemFor({ ...SEAM, state: 'T-', L: 5 });
    const { N, blockSize: C, L } = p.hamiltonian.layout;
    const probe = createWebGpuBackend({ device });
    let needed: number;
    try {
      await probe.load(p, p.psi);
      await probe.advance(p.series(4));
      const plan = probe.plan!;
      // Seam (4 N C floats), the diagonal (2 C), sigma (C), then the sector's table buffer.
      expect(plan.tableBytes).toBe(4 * (4 * N * C + 2 * C + C + N + (C + 1) + p.hamiltonian.sector!.exchangeNeighbours.length + 2 * L * C + C));
      // The folded rows: ceil(N / 2) of (N + 1) C amplitudes.
      expect(plan.stateBytes).toBe(foldedRows(N) * (N + 1) * C * 8);
      needed = plan.totalBytes;
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
      expect((err as ResourceError).message).toMatch(new RegExp(`basis "antisymmetric" \\(K = 2 down spins: ${C} configurations per orbital block, ${(N * (N + 1)) / 2} blocks\\).*tables of H`));
    } finally {
      await tight.dispose();
    }
    expect(planChunks(p.hamiltonian.layout, 4, { bindingBytes: 2 ** 30, reduceWorkgroupSize: 128 }).totalBytes).toBeGreaterThanOrEqual(needed);
  });
});
