// The dashboard's long-chain helpers in Node: which basis the form's estimates
// assume, the predicted time of a run or a sweep study, the chain-length
// preset's size (L = 64 in minutes on 2 cores), and what a long chain's view
// and CSV hold (a map of ⟨S_z,j⟩, the total and picked sites as lines, every
// site in the CSV).
import { beforeAll, describe, expect, it } from 'vitest';
import { withPresumedBasis } from '../../src/model/basis.js';
import { layoutForConfig } from '../../src/model/layout.js';
import type { SimulationResult } from '../../src/model/result.js';
import { planStudy } from '../../src/studies/run-study.js';
import { memoryEstimate, simulate } from '../../src/simulate.js';
import { LONG_CHAIN_L, MAX_PICKED_SITES, runView, withPicked } from '../../src/dashboard/chart-data.js';
import { checkConfig } from '../../src/dashboard/config-check.js';
import { chartsToCsv } from '../../src/dashboard/export.js';
import { LENGTH_BASE, LENGTH_CHAIN_LENGTHS } from '../../src/dashboard/presets.js';
import { basisForRun, withRunBasis } from '../../src/dashboard/run-basis.js';
import { estimateRun } from '../../src/dashboard/run-estimate.js';
import { predictRuns, runMatvecs } from '../../src/dashboard/sweep-form.js';

/** The preset's form values as a run config. */
const LENGTH_INPUT = Object.fromEntries(Object.entries(LENGTH_BASE).map(([k, v]) => [k, Number(v)]));

/** A 16-spin chain the packets reach within t_end: small enough to run here in a second or two. */
const LONG = { N: 48, L: 16, basis: 'sector', tEnd: 16, dt: 0.5, state: 'T0', sigma: 2, d: 8, x2: 8 } as const;

describe('the basis the form assumes', () => {
  it('keeps "full" and "sector" and resolves "auto" as the engine does: antisymmetric on cpu, webgpu and auto (two electrons), the full basis on gpu.js', () => {
    for (const backend of ['auto', 'cpu', 'webgpu', 'gpujs', 'gpujs-webgl2']) {
      expect(basisForRun({ basis: 'full' }, backend)).toBe('full');
      expect(basisForRun({ basis: 'sector' }, backend)).toBe('sector');
    }
    expect(['auto', 'cpu', 'webgpu'].map((b) => basisForRun({ basis: 'auto' }, b))).toEqual(['antisymmetric', 'antisymmetric', 'antisymmetric']);
    // One electron has no exchange partner: the sector.
    expect(['cpu', 'webgpu'].map((b) => basisForRun({ basis: 'auto', state: 'single' }, b))).toEqual(['sector', 'sector']);
    expect(['gpujs', 'gpujs-webgl2', 'gpujs-webasm'].map((b) => basisForRun({ basis: 'auto' }, b))).toEqual(['full', 'full', 'full']);
    // The keys beyond the paper steer it as in the engine: spin S > 1/2 takes the sector everywhere; WebGPU's antisymmetric kernels hold the paper's terms only.
    expect(['cpu', 'webgpu'].map((b) => basisForRun({ basis: 'auto', localSpin: 1.5 } as never, b))).toEqual(['sector', 'sector']);
    expect(['cpu', 'webgpu'].map((b) => basisForRun({ basis: 'auto', fieldLocal: 0.1 } as never, b))).toEqual(['antisymmetric', 'sector']);
    expect(basisForRun({ basis: 'auto', entanglement: false, fieldLocal: 0 } as never, 'webgpu')).toBe('antisymmetric');
    expect(withRunBasis({ N: 20, basis: 'auto' }, 'cpu')).toEqual({ N: 20, basis: 'antisymmetric' });
    expect(withRunBasis({ N: 20, basis: 'auto' }, 'gpujs')).toEqual({ N: 20, basis: 'full' });
    // Anything else is left for the validation to name.
    expect(withRunBasis({ basis: 'diagonal' }, 'cpu')).toEqual({ basis: 'diagonal' });
  });

  it('lets the form check a config with basis "auto": the state size and memory are the resolved basis\'s', () => {
    const input = { N: 60, L: 6, tEnd: 4, dt: 0.5, basis: 'auto' };
    const onCpu = checkConfig(withRunBasis(input, 'cpu'));
    expect(onCpu.errors).toEqual({});
    expect(onCpu.config!.basis).toBe('antisymmetric');
    expect(onCpu.dim).toBe(((60 * 61) / 2) * 8);
    const onGpuJs = checkConfig(withRunBasis(input, 'gpujs'));
    expect(onGpuJs.dim).toBe(60 * 60 * 4 * 64);
    expect(onGpuJs.bytesNeeded!).toBeGreaterThan(onCpu.bytesNeeded!);
  });

  it('sizes the state and the time in that basis: "auto" on cpu predicts the antisymmetric run, on gpu.js the full one', () => {
    const input = { N: 60, L: 6, tEnd: 4, dt: 0.5, basis: 'auto' };
    const cpu = estimateRun(withRunBasis(input, 'cpu'), undefined, {})!;
    const gpujs = estimateRun(withRunBasis(input, 'gpujs'), undefined, {})!;
    expect(cpu.runBasis).toBe('antisymmetric');
    expect(gpujs.runBasis).toBe('full');
    // K = 1: N(N + 1)/2·(L + 2) against N²·4·2^L amplitudes.
    expect(cpu.work / cpu.matvecs).toBe(((60 * 61) / 2) * 8);
    expect(gpujs.work / gpujs.matvecs).toBe(60 * 60 * 4 * 64);
  });
});

describe('the predicted time', () => {
  it('is the runs\' amplitude-terms at the measured cost, plus a set-up time per run', () => {
    const study = planStudy('length', { N: 60, sigma: 3, d: 10, basis: 'sector' }, { L: [2, 4] });
    if (!('sweep' in study)) throw new Error('the length study is a sweep');
    const configs = study.sweep.points.map((p) => p.config);
    const work = configs.reduce((sum, c) => sum + runMatvecs(c) * layoutForConfig(withPresumedBasis(c)).dim, 0);
    const calibration = { seconds: 10, matvecs: 1000, dim: 1e6 }; // 10 ns per amplitude-term
    const cost = predictRuns(configs, calibration);
    expect(cost.basis).toBe('measured');
    expect(cost.nsPerAmplitudeTerm).toBeCloseTo(10, 12);
    expect(cost.work).toBe(work);
    expect(cost.seconds).toBeCloseTo(work * 1e-8 + configs.length * 0.05, 9);
    const viaPreset = estimateRun({ N: 60, sigma: 3, d: 10, basis: 'sector' }, 'length', { L: [2, 4] }, calibration)!;
    expect(viaPreset.runs).toBe(8);
    expect(viaPreset.seconds).toBeCloseTo(cost.seconds, 9);
  });

  it('is not given for studies whose runs are not known before they run (fig2a, fig3, fig4)', () => {
    expect(estimateRun({ N: 20, L: 2 }, 'fig2a', {})).toBeUndefined();
  });

  it('names the quantity to change when the study cannot run (a ring too short for the longest chain)', () => {
    expect(() => estimateRun({ ...LENGTH_INPUT, N: 90, basis: 'sector' }, 'length', { L: [64] })).toThrow(/"N" = 90 .*N >= 100 for L = 64/);
  });
});

describe('the chain-length preset', () => {
  it('reaches L = 64 at a size a 2-core tab runs in minutes: under 5 minutes at the 8 ns per amplitude-term of the sector benchmarks, and T− at L = 64 under 4 GiB', () => {
    const L = LENGTH_CHAIN_LENGTHS.split(/[\s,]+/).map(Number);
    expect(Math.max(...L)).toBe(64);
    const input = withRunBasis({ ...LENGTH_INPUT, basis: 'auto' }, 'cpu');
    const eightNs = { seconds: 8, matvecs: 1000, dim: 1e6 };
    const e = estimateRun(input, 'length', { L }, eightNs)!;
    expect(e.runBasis).toBe('antisymmetric');
    expect(e.runs).toBe(4 * L.length);
    expect(e.seconds).toBeGreaterThan(30);
    expect(e.seconds).toBeLessThan(300);
    const study = planStudy('length', input, { L });
    if (!('sweep' in study)) throw new Error('the length study is a sweep');
    const tMinus64 = study.sweep.points.find((p) => p.params.L === 64 && p.params.state === 'T-')!.config;
    // Two down spins among L + 2 places, C(66, 2), in each of the N(N + 1)/2 orbital blocks xA <= xB.
    expect(layoutForConfig(withPresumedBasis(tMinus64)).dim).toBe(((100 * 101) / 2) * 2145);
    // What a tab may hope for (backends/memory.ts: half of Chrome's 8 GiB device-memory cap).
    expect(memoryEstimate(withPresumedBasis(tMinus64))).toBeLessThan(4 * 2 ** 30);
    // The estimate names that run as the study's largest, so the page can refuse it before the first run.
    expect(e.largest).toEqual({ bytes: memoryEstimate(withPresumedBasis(tMinus64)), label: 'L=64, state=T-' });
  });
});

describe('a long chain\'s view', () => {
  let long: SimulationResult;
  let short: SimulationResult;
  beforeAll(async () => {
    [long, short] = await Promise.all([
      simulate(LONG, { backend: 'cpu', threads: 1 }),
      simulate({ N: 12, L: 2, tEnd: 2, dt: 0.5 }, { backend: 'cpu', threads: 1 }),
    ]);
  });

  it('draws ⟨S_z,j⟩ as a map over (j, t) beside a line chart of the chain total and the picked sites', () => {
    expect(long.config.L).toBeGreaterThan(LONG_CHAIN_L);
    const v = runView(long, [], [3, 0]);
    expect(v.maps.map((m) => m.id)).toEqual(['sz-map', 'density']);
    const map = v.maps[0];
    expect(map.columns).toBe(16);
    expect(map.values).toEqual(long.SzSites);
    expect(map.describeColumn(3)).toBe(`j = 3 (site ${long.config.spinStart + 3})`);
    const sz = v.charts.find((c) => c.id === 'sz')!;
    expect(sz.series.map((s) => s.label)).toEqual([`j=3 (site ${long.config.spinStart + 3})`, `j=0 (site ${long.config.spinStart})`, 'chain total S_z (right axis)']);
    expect(sz.series[0].values).toEqual(long.SzSites.map((row) => row[3]));
    // Without picks the chart holds the total alone, on its own (left) axis.
    const alone = runView(long).charts.find((c) => c.id === 'sz')!;
    expect(alone.series.map((s) => [s.label, !!s.rightAxis])).toEqual([['chain total S_z', false]]);
    // The total is the sum of the sites at every time (the map and the line show one quantity).
    long.SzSites.forEach((row, k) => expect(Math.abs(row.reduce((a, b) => a + b, 0) - long.Sz[k])).toBeLessThan(1e-12));
  });

  it('keeps ⟨S_z,j⟩ of every site in the CSV, and a short chain unchanged (a line per site, n(x, t) the only map)', () => {
    const csv = chartsToCsv([...runView(long).charts, ...runView(long).csvOnly]);
    const header = csv.split('\n')[1].split(',');
    for (let j = 0; j < 16; j++) expect(header.some((h) => h.includes(`j=${j} (site ${long.config.spinStart + j})`))).toBe(true);
    const s = runView(short);
    expect(s.maps.map((m) => m.id)).toEqual(['density']);
    expect(s.csvOnly).toEqual([]);
    expect(s.charts.find((c) => c.id === 'sz')!.series).toHaveLength(3);
  });

  it('picks at most MAX_PICKED_SITES sites, each once, dropping the oldest', () => {
    let picked: number[] = [];
    for (let j = 0; j < MAX_PICKED_SITES + 2; j++) picked = withPicked(picked, j);
    expect(picked).toEqual(Array.from({ length: MAX_PICKED_SITES }, (_, i) => i + 2));
    expect(withPicked(picked, 5)).toEqual(picked);
  });
});
