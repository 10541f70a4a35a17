import { it } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import type { SimulationResult } from '../../../src/model/result.js';
import { simulate } from '../../../src/simulate.js';

function dev(a: SimulationResult, b: SimulationResult): Record<string, number> {
  const out: Record<string, number> = {};
  const m = (k: string, x: number[], y: number[]) => { let v = out[k] ?? 0; x.forEach((u, i) => (v = Math.max(v, Math.abs(u - y[i])))); out[k] = v; };
  m('dsz', a.deltaSigmaZ, b.deltaSigmaZ);
  if (b.probabilities) for (const k of ['S', 'T0', 'T+', 'T-'] as const) m('prob', a.probabilities![k], b.probabilities[k]);
  a.SzSites.forEach((row, k) => m('szSites', row, b.SzSites[k]));
  m('Sz', a.Sz, b.Sz);
  a.density.forEach((row, k) => m('n', row, b.density[k]));
  m('norm', a.norm, b.norm);
  m('energy', a.energy, b.energy);
  return out;
}
function drift(a: SimulationResult): Record<string, number> {
  const w = a.config.electronSpin === 'pauli' ? 0.5 : 1;
  let n = 0, e = 0, s = 0;
  a.t.forEach((_, k) => { n = Math.max(n, Math.abs(a.norm[k] - a.norm[0])); e = Math.max(e, Math.abs(a.energy[k] - a.energy[0])); s = Math.max(s, Math.abs(w * a.sigmaZ[k] + a.Sz[k] - w * a.sigmaZ[0] - a.Sz[0])); });
  return { normDrift: n, energyDrift: e, totalSzDrift: s };
}
const fmt = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k}=${v.toExponential(1)}`).join(' ');

const BASE = { N: 14, L: 3, spinStart: 6, x2: 6, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, basis: 'sector' };
const CASES: Record<string, unknown>[] = [
  { state: 'singlet' }, { state: 'T0' }, { state: 'T+' }, { state: 'T-' }, { state: 'theta', theta: 1.1 }, { state: 'single' }, { state: 'single', singleSpin: 'up' },
  { state: 'singlet', electronSpin: 'pauli' }, { state: 'T-', electronSpin: 'pauli' }, { state: 'single', electronSpin: 'pauli' },
  { state: 'T0', sdTerms: 'zz' }, { state: 'T-', sdTerms: 'flip', Jex: -0.3 }, { state: 'theta', theta: 2.5, electronSpin: 'pauli', sdTerms: 'flip' },
  { state: 'singlet', L: 1 }, { state: 'T-', L: 1 }, { state: 'single', L: 1 },
  { state: 'singlet', N: 10, L: 8, spinStart: 1, x2: 4 }, { state: 'T-', N: 10, L: 8, spinStart: 1, x2: 4 }, { state: 'single', N: 10, L: 8, spinStart: 1, x2: 4 },
];

it('measure', async () => {
  const gpu = createWebGpuBackend();
  const all: Record<string, number> = {}, allF: Record<string, number> = {};
  for (const c of CASES) {
    const input = { ...BASE, ...c };
    const g = await simulate(input, { backend: gpu });
    const s = await simulate(input, { backend: 'cpu', threads: 1 });
    const f = await simulate({ ...input, basis: 'full' }, { backend: 'cpu', threads: 1 });
    const ds = dev(g, s), df = dev(g, f);
    for (const k in ds) { all[k] = Math.max(all[k] ?? 0, ds[k]); allF[k] = Math.max(allF[k] ?? 0, df[k]); }
  }
  console.log('SMALL vs sector cpu', fmt(all));
  console.log('SMALL vs full cpu', fmt(allF));
  const big: [string, Record<string, unknown>, boolean][] = [
    ['test ring N=24 L=3 singlet 12 fs', { N: 24, L: 3, spinStart: 12, x2: 6, d: 5, sigma: 2, tEnd: 12, dt: 0.5, state: 'singlet', basis: 'sector' }, true],
    ['N=100 L=4 singlet 80 fs', { N: 100, L: 4, tEnd: 80, dt: 0.5, state: 'singlet', basis: 'sector' }, true],
    ['N=40 L=32 singlet 20 fs', { N: 40, L: 32, tEnd: 20, dt: 0.5, state: 'singlet', basis: 'sector', x2: 10, d: 8, sigma: 3 }, false],
    ['N=40 L=16 T- 20 fs', { N: 40, L: 16, tEnd: 20, dt: 0.5, state: 'T-', basis: 'sector', x2: 6, d: 8, sigma: 3 }, false],
  ];
  for (const [name, input, full] of big) {
    const t0 = performance.now();
    const g = await simulate(input, { backend: gpu });
    const t1 = performance.now();
    const s = await simulate(input, { backend: 'cpu', threads: 1 });
    console.log(name, 'dim', g.dim ?? '', 'gpu s', ((t1 - t0) / 1000).toFixed(1), 'maxDsz', Math.max(...g.deltaSigmaZ).toFixed(4));
    console.log('  vs sector cpu', fmt(dev(g, s)), fmt(drift(g)));
    if (full) {
      const f = await simulate({ ...input, basis: 'full' }, { backend: 'cpu', threads: 1 });
      console.log('  vs full cpu', fmt(dev(g, f)));
    }
  }
  await gpu.dispose();
}, 3600_000);
