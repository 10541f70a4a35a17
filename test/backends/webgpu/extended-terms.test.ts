/**
 * The terms beyond the paper on WebGPU (docs/model.md, "Beyond the paper"):
 * fieldElectron, fieldLocal, anisotropy, JsdSites, JexBonds, alone and
 * together, and local spins S = 1 and 3/2 in the sector, against the f64 CPU
 * backend in the same basis: every observable of whole runs within
 * TOLERANCES.webgpu, single expansions within WEBGPU_KERNEL, the conserved
 * quantities (total S_z among them) within WEBGPU_CONSERVATION; the edges
 * (T+, theta, L = 1), the theta sweep's pair, one backend switching between
 * the paper's model and these terms; the
 * entanglement observables from the WebGPU output states; the tables counted
 * in the memory plan; and the paper's model untouched (no override, no
 * weight table, the same diagonal). States singlet, T0, T-, single; both
 * electronSpin conventions.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import { operatorTableBytes } from '../../../src/backends/webgpu/chunk-plan.js';
import { diagonalTable, fullOperatorTable, sectorTableData, termConstants, usesExtendedOperator } from '../../../src/backends/webgpu/kernels.js';
import type { RunConfigInput } from '../../../src/model/config.js';
import { thetaComponents } from '../../../src/model/initial-state.js';
import type { CrossReduction } from '../../../src/model/observables.js';
import { runPairPropagation } from '../../../src/propagator/pair-propagation.js';
import type { SimulationResult } from '../../../src/model/result.js';
import { simulate } from '../../../src/simulate.js';
import { engineConfig } from '../../helpers/engine-config.js';
import { expectClose } from '../../helpers/expect-close.js';
import { expectConserved, expectSameRun } from '../../helpers/result-checks.js';
import { describeWebGpu, expectNoGpuErrors, testDevice } from '../../helpers/webgpu.js';
import { TOLERANCES, WEBGPU_CONSERVATION, WEBGPU_KERNEL } from '../../tolerances.js';
import { expectReductionClose, loadPair, problemFor } from './fixtures.js';

// N = 14 ring, chain of 3 from site 6, the leading packet on the chain: every term acts from the first step.
const BASE: RunConfigInput = { N: 14, L: 3, spinStart: 6, x2: 6, d: 3, sigma: 1.5, tEnd: 1.5, dt: 0.5 };

/** Each term beyond the paper alone, then all together (values large enough to move every observable). */
const TERMS: Record<string, RunConfigInput> = {
  fieldElectron: { fieldElectron: 0.15 },
  fieldLocal: { fieldLocal: -0.12 },
  anisotropy: { anisotropy: 0.2 },
  JsdSites: { JsdSites: [0.5, -0.2, 0.35] },
  JexBonds: { JexBonds: [0.3, -0.45] },
};
const ALL: RunConfigInput = Object.assign({}, ...Object.values(TERMS));
const STATES: RunConfigInput[] = [{ state: 'singlet' }, { state: 'T0' }, { state: 'T-' }, { state: 'single' }];

interface Case {
  name: string;
  config: RunConfigInput;
}

/**
 * Spin 1/2 in `basis`: each term alone on every state (the conventions alternate
 * over the states, so each term meets both), and all together on every state in both.
 */
function spinHalfCases(basis: 'sector' | 'full'): Case[] {
  const cases: Case[] = [];
  for (const [term, set] of Object.entries(TERMS)) {
    STATES.forEach((s, i) => {
      const electronSpin = i % 2 === 0 ? 'half' : 'pauli';
      cases.push({ name: `${basis}, ${term}, ${s.state}, ${electronSpin}`, config: { ...BASE, basis, ...s, electronSpin, ...set } });
    });
  }
  for (const s of STATES) {
    for (const electronSpin of ['half', 'pauli'] as const) {
      cases.push({ name: `${basis}, all terms, ${s.state}, ${electronSpin}`, config: { ...BASE, basis, ...s, electronSpin, ...ALL } });
    }
  }
  return cases;
}

/** Local spins S = 1 and 3/2 in the sector: alone (the ladder factors only) and with every term, every state; pauli on two. */
const SPIN_S_CASES: Case[] = [1, 1.5].flatMap((localSpin) =>
  STATES.flatMap((s, i): Case[] => [
    { name: `S = ${localSpin}, ${s.state}`, config: { ...BASE, basis: 'sector', localSpin, ...s } },
    {
      name: `S = ${localSpin}, all terms, ${s.state}${i % 2 ? ', pauli' : ''}`,
      config: { ...BASE, basis: 'sector', localSpin, ...s, ...ALL, ...(i % 2 ? { electronSpin: 'pauli' as const } : {}) },
    },
  ]),
);

/** The edges: no down spin (T+, K = 0: one configuration), the phase state, one local spin (no bond). */
const EDGE_CASES: Case[] = [
  { name: 'sector, all terms, T+', config: { ...BASE, basis: 'sector', state: 'T+', ...ALL } },
  { name: 'sector, S = 1, all terms, T+', config: { ...BASE, basis: 'sector', state: 'T+', localSpin: 1, ...ALL } },
  { name: 'full, all terms, theta 1.1', config: { ...BASE, basis: 'full', state: 'theta', theta: 1.1, ...ALL } },
  { name: 'sector, S = 3/2, all terms, theta 1.1, pauli', config: { ...BASE, basis: 'sector', state: 'theta', theta: 1.1, localSpin: 1.5, electronSpin: 'pauli', ...ALL } },
  ...(['full', 'sector'] as const).map((basis) => ({
    name: `${basis}, L = 1, fieldElectron, JsdSites, anisotropy, T-`,
    config: { ...BASE, basis, L: 1, state: 'T-' as const, fieldElectron: 0.15, JsdSites: [0.5], anisotropy: 0.2 },
  })),
];

/** The largest |difference| over the series expectSameRun compares. */
function runDistance(a: SimulationResult, b: SimulationResult): number {
  let m = 0;
  for (const key of ['energy', 'sigmaZ', 'Sz', 'SzSites', 'density'] as const) {
    const x = [a[key]].flat(2), y = [b[key]].flat(2);
    for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  }
  return m;
}

describe('the paper\'s model on WebGPU is what it was (no adapter needed)', () => {
  it.each(['sector', 'full'] as const)('basis %s: no override, no weight table, the diagonal of exchangeDiagonal + shift', (basis) => {
    for (const state of ['singlet', 'T-', 'single'] as const) {
      const p = problemFor({ ...BASE, basis, state });
      const h = p.hamiltonian;
      expect(usesExtendedOperator(h)).toBe(false);
      expect(termConstants(h.layout, 100, 4)).not.toHaveProperty('EXTENDED_TERMS');
      // The table as it was: exchangeDiagonal + shift of H~, then of H.
      const S = h.exchangeDiagonal.length;
      const before = new Float32Array(2 * S);
      for (let m = 0; m < S; m++) {
        before[m] = p.scaled.exchangeDiagonal[m] + p.scaled.shift;
        before[S + m] = h.exchangeDiagonal[m] + h.shift;
      }
      expect(diagonalTable(p.scaled, h)).toEqual(before);
      if (basis === 'sector') {
        expect(sectorTableData(h.sector!, h.spinAtSite, h).data).toEqual(sectorTableData(h.sector!, h.spinAtSite).data);
      } else {
        expect(fullOperatorTable(h)).toEqual(Int32Array.from(h.spinAtSite));
      }
    }
  });

  it('a term that only shifts the diagonal (fieldLocal, anisotropy) needs no override: it is in exchangeDiagonal', () => {
    expect(usesExtendedOperator(problemFor({ ...BASE, basis: 'full', fieldLocal: 0.1, anisotropy: 0.2 }).hamiltonian)).toBe(false);
    expect(usesExtendedOperator(problemFor({ ...BASE, basis: 'sector', fieldElectron: 0.1 }).hamiltonian)).toBe(false);
    expect(usesExtendedOperator(problemFor({ ...BASE, basis: 'full', fieldElectron: 0.1 }).hamiltonian)).toBe(true);
    expect(usesExtendedOperator(problemFor({ ...BASE, basis: 'sector', localSpin: 1 }).hamiltonian)).toBe(true);
  });

  it('counts the weight tables exactly in the plan\'s table bytes (memory budget)', () => {
    for (const config of [
      { ...BASE, basis: 'sector' as const, state: 'T-' as const, ...ALL },
      { ...BASE, basis: 'sector' as const, state: 'T0' as const, localSpin: 1.5, JsdSites: [0.3, 0.1, 0.2] },
      { ...BASE, basis: 'sector' as const, state: 'single' as const, localSpin: 1 },
    ]) {
      const p = problemFor(config);
      const h = p.hamiltonian;
      const bytes = diagonalTable(p.scaled, h).byteLength + sectorTableData(h.sector!, h.spinAtSite, h).data.byteLength;
      expect(operatorTableBytes(h.layout, h.sector!.exchangeNeighbours.length, true)).toBe(bytes);
      expect(operatorTableBytes(h.layout, undefined, true)).toBeGreaterThanOrEqual(bytes);
      expect(bytes).toBeGreaterThan(operatorTableBytes(h.layout, h.sector!.exchangeNeighbours.length));
    }
    const p = problemFor({ ...BASE, basis: 'full', state: 'T0', ...ALL });
    const bytes = diagonalTable(p.scaled, p.hamiltonian).byteLength + fullOperatorTable(p.hamiltonian).byteLength;
    expect(operatorTableBytes(p.hamiltonian.layout, undefined, true)).toBe(bytes);
  });
});

describeWebGpu('WebGPU runs the terms beyond the paper', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('extended-terms.test');
  });
  afterAll(() => device?.destroy());

  // The CPU run of the same config without the terms beyond the paper (spin S kept): each case must differ from it.
  const plain = new Map<string, Promise<SimulationResult>>();
  const plainRun = (c: RunConfigInput) => {
    const input = Object.fromEntries(Object.entries(c).filter(([k]) => !(k in ALL)));
    const key = JSON.stringify(input);
    if (!plain.has(key)) plain.set(key, simulate(input, { backend: 'cpu', threads: 1 }));
    return plain.get(key)!;
  };

  async function wholeRun({ config }: Case): Promise<void> {
    const backend = createWebGpuBackend({ device });
    try {
      const gpu = await expectNoGpuErrors(device, () => simulate(config, { backend }));
      expect(gpu.backend).toBe('webgpu');
      expect(gpu.config.basis).toBe(config.basis);
      const cpu = await simulate(config, { backend: 'cpu', threads: 1 });
      expectSameRun(gpu, cpu, TOLERANCES.webgpu);
      expectConserved(gpu, WEBGPU_CONSERVATION);
      // The terms changed the run (so agreeing with the CPU says they reached the kernels), the paper's model excepted.
      if (Object.keys(config).some((k) => k in ALL)) {
        expect(runDistance(cpu, await plainRun(config))).toBeGreaterThan(1e-3);
      }
    } finally {
      await backend.dispose();
    }
  }

  it.each(spinHalfCases('sector'))('$name: every observable within TOLERANCES.webgpu of the f64 CPU sector run, S_z conserved', wholeRun, 60_000);
  it.each(spinHalfCases('full'))('$name: every observable within TOLERANCES.webgpu of the f64 CPU full-basis run, S_z conserved', wholeRun, 60_000);
  it.each(SPIN_S_CASES)('$name: every observable within TOLERANCES.webgpu of the f64 CPU sector run, S_z conserved', wholeRun, 60_000);
  it.each(EDGE_CASES)('$name: every observable within TOLERANCES.webgpu of the f64 CPU run, S_z conserved', wholeRun, 60_000);

  it('one backend runs the paper\'s model, the terms beyond it and the paper\'s model again: each with its own pipelines', async () => {
    const backend = createWebGpuBackend({ device });
    try {
      for (const extra of [{}, ALL, {}, { localSpin: 1 }]) {
        const input = { ...BASE, basis: 'sector' as const, state: 'T-' as const, ...extra };
        expectSameRun(await simulate(input, { backend }), await simulate(input, { backend: 'cpu', threads: 1 }), TOLERANCES.webgpu);
      }
    } finally {
      await backend.dispose();
    }
  });

  it('theta sweep with every term: two WebGPU sector propagations give the cross terms of the CPU pair', async () => {
    const config = engineConfig({ ...BASE, basis: 'sector', state: 'theta', theta: 0.7, ...ALL });
    const { a, b } = thetaComponents(config);
    const gpus = [createWebGpuBackend({ device }), createWebGpuBackend({ device })] as const;
    const cpus = [createCpuBackend({ threads: 1 }), createCpuBackend({ threads: 1 })] as const;
    try {
      const g = await runPairPropagation(config, gpus, [a, b]);
      const c = await runPairPropagation(config, cpus, [a, b]);
      g.aa.forEach((r, k) => expectReductionClose(r, c.aa[k], TOLERANCES.webgpu, `<a|O|a> at t${k}`));
      g.bb.forEach((r, k) => expectReductionClose(r, c.bb[k], TOLERANCES.webgpu, `<b|O|b> at t${k}`));
      const flat = (x: CrossReduction) => [...x.rho, ...x.szSites, ...x.density, ...x.energy];
      g.ab.forEach((x, k) => expectClose(flat(x), flat(c.ab[k]), { ...TOLERANCES.webgpu, label: `<a|O|b> at t${k}` }));
    } finally {
      for (const backend of [...gpus, ...cpus]) await backend.dispose();
    }
  });

  const KERNEL_CASES: Case[] = [
    { name: 'sector, all terms, T-', config: { ...BASE, basis: 'sector', state: 'T-', ...ALL } },
    { name: 'full, all terms, T0, pauli', config: { ...BASE, basis: 'full', state: 'T0', electronSpin: 'pauli', ...ALL } },
    { name: 'S = 1, all terms, T-', config: { ...BASE, basis: 'sector', state: 'T-', localSpin: 1, ...ALL } },
    { name: 'S = 3/2, all terms, single', config: { ...BASE, basis: 'sector', state: 'single', localSpin: 1.5, ...ALL } },
  ];

  it.each(KERNEL_CASES)('$name: reductions, one expansion of 3 outputs and its states against the f64 kernels, whole and in chunks of 3 rows', async ({ config }) => {
    const p = problemFor(config);
    const layout = p.hamiltonian.layout;
    const rowBytes = (layout.electrons === 2 ? layout.N : 1) * layout.blockSize * 8;
    for (const maxChunkBytes of [undefined, 3 * rowBytes]) {
      await expectNoGpuErrors(device, async () => {
        const pair = await loadPair(p, { device, maxChunkBytes });
        try {
          if (maxChunkBytes) expect(pair.gpu.plan!.chunks.length).toBeGreaterThan(1);
          expectReductionClose(await pair.gpu.reduce(), await pair.cpu.reduce(), WEBGPU_KERNEL, 'reduce()');
          const series = p.series(3);
          const got = await pair.gpu.advance(series);
          const want = await pair.cpu.advance(series);
          got.forEach((r, q) => expectReductionClose(r, want[q], WEBGPU_KERNEL, `output ${q}`));
          const gs = await pair.gpu.outputStates!();
          const cs = await pair.cpu.outputStates!();
          gs.forEach((s, q) => expectClose(s, cs[q], { ...WEBGPU_KERNEL, label: `output state ${q}` }));
        } finally {
          await pair.dispose();
        }
      });
    }
  });

  it('holds the weight tables in its buffers: what the plan counts is allocated', async () => {
    const p = problemFor({ ...BASE, basis: 'sector', state: 'T-', localSpin: 1, ...ALL });
    const backend = createWebGpuBackend({ device });
    try {
      await backend.load(p, p.psi);
      // The accumulators of 4 outputs (the plan's) exist once an advance asked for them.
      await backend.advance(p.series(4));
      const plan = backend.plan!;
      const h = p.hamiltonian;
      expect(plan.tableBytes).toBe(diagonalTable(p.scaled, h).byteLength + sectorTableData(h.sector!, h.spinAtSite, h).data.byteLength);
      expect(backend.bytesAllocated).toBeGreaterThanOrEqual(plan.totalBytes);
    } finally {
      await backend.dispose();
    }
  });

  const ENTANGLEMENT: Case[] = [
    { name: 'sector, singlet, all terms', config: { ...BASE, basis: 'sector', state: 'singlet', ...ALL } },
    { name: 'full, T0, all terms, pauli', config: { ...BASE, basis: 'full', state: 'T0', electronSpin: 'pauli', ...ALL } },
    { name: 'sector, S = 1, T-, all terms', config: { ...BASE, basis: 'sector', state: 'T-', localSpin: 1, ...ALL } },
    { name: 'sector, S = 3/2, single', config: { ...BASE, basis: 'sector', state: 'single', localSpin: 1.5 } },
  ];

  it.each(ENTANGLEMENT)('entanglement: true, $name: the observables from the WebGPU output states within TOLERANCES.webgpu of the CPU', async ({ config }) => {
    const input = { ...config, entanglement: true };
    const backend = createWebGpuBackend({ device });
    try {
      const gpu = await expectNoGpuErrors(device, () => simulate(input, { backend }));
      const cpu = await simulate(input, { backend: 'cpu', threads: 1 });
      expectSameRun(gpu, cpu, TOLERANCES.webgpu);
      const g = gpu.entanglement!, c = cpu.entanglement!;
      expect(g.chainEntropyTimes).toEqual(c.chainEntropyTimes);
      expect(g.chainEntropy).toHaveLength(c.chainEntropy.length);
      expectClose(g.chainEntropy, c.chainEntropy, { ...TOLERANCES.webgpu, label: 'chain entropy' });
      expectClose(g.szCorrelations.flat(), c.szCorrelations.flat(), { ...TOLERANCES.webgpu, label: 'S_z correlations' });
      if (c.concurrence) expectClose(g.concurrence!, c.concurrence, { ...TOLERANCES.webgpu, label: 'concurrence' });
      else expect(g.concurrence).toBeUndefined();
      // The observables move: not a comparison of constants.
      expect(Math.max(...c.chainEntropy)).toBeGreaterThan(1e-3);
    } finally {
      await backend.dispose();
    }
  });

  it('runs the keys beyond the paper in the sector and the full basis only: "auto" passes over the antisymmetric basis for them, naming why; a named antisymmetric basis is refused before it allocates', async () => {
    const backend = createWebGpuBackend({ device });
    try {
      const plain = await simulate({ ...BASE, state: 'T0' }, { backend });
      expect(plain.config.basis).toBe('antisymmetric');
      let told = '';
      const run = await simulate({ ...BASE, state: 'T0', fieldLocal: 0.05, entanglement: true }, { backend, onBackend: (_n, _d, _r, basis) => void (told = basis.reason) });
      expect(run.config.basis).toBe('sector');
      expect(told).toMatch(/passed over: "antisymmetric": backend webgpu runs fieldLocal, entanglement in "sector" or "full" only/);
      const cpu = await simulate({ ...BASE, state: 'T0', fieldLocal: 0.05, entanglement: true, basis: 'sector' }, { backend: 'cpu', threads: 1 });
      expectSameRun(run, cpu, TOLERANCES.webgpu);
      await expect(simulate({ ...BASE, state: 'T0', anisotropy: 0.1, basis: 'antisymmetric' }, { backend: createWebGpuBackend({ device }) }))
        .rejects.toThrow(/basis "antisymmetric" on backend webgpu runs the paper's terms only, not anisotropy/);
    } finally {
      await backend.dispose();
    }
  });

  it('refuses basis "full" of spin S > 1/2 before it allocates, naming the sector', async () => {
    const backend = createWebGpuBackend({ device });
    try {
      await expect(simulate({ ...BASE, basis: 'full', state: 'T0', localSpin: 1 }, { backend }))
        .rejects.toThrow(/"basis" = "full" is not allowed; allowed: "auto" or "sector" for localSpin = 1 on backend webgpu/);
      expect(backend.bytesAllocated).toBe(0);
      // "auto" takes the sector.
      const run = await simulate({ ...BASE, state: 'T0', localSpin: 1 }, { backend });
      expect(run.config.basis).toBe('sector');
    } finally {
      await backend.dispose();
    }
  });
});
