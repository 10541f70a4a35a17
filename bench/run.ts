/**
 * npm run bench [-- options]: the benchmark harness in Node (bench.html is the
 * same grid in a browser).
 *
 * The grid (bench/core/): L = 2 … 12 × N = 50 … 400 on every backend this
 * machine has — the CPU backend on 1 thread and on every core, WebGPU where an
 * adapter is found (SwiftShader counts, and is labelled a CPU figure), gpu.js
 * in webasm mode (its webgl2 mode needs a browser) — each case measured or
 * listed as skipped with its reason. Then scipy's CSR product of the same H as
 * the CPU baseline (bench/scipy.ts) and the paper-default run end to end for
 * several outputsPerExpansion (bench/default-run.ts).
 *
 * Writes every record as a JSON array (default bench/results/bench.json), a
 * markdown table next to it (same name, .md), and the generated sections of
 * docs/benchmarks.md.
 */

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { createCpuBackend } from '../src/backends/cpu/cpu-backend.js';
import { noHardwareGpuReason } from '../src/backends/webgpu/device.js';
import { measureHostCopy } from './bandwidth.js';
import { measureBareApply, type BareApplyRecord } from './cpu-bare-apply.js';
import { copyBandwidthCache, hostCopyDescription } from './core/copy-bandwidth.js';
import { nowSeconds, sig } from './core/figures.js';
import { DEFAULT_MAX_CASE_SECONDS, GRID_L, GRID_N, gridCases, isMeasured, QUICK_ALPHA, QUICK_CASES, type GridCase } from './core/grid.js';
import { gridMarkdown } from './core/markdown.js';
import { DEFAULT_ALPHA, runGrid, type GridTarget } from './core/run-grid.js';
import { cpuTarget, gpuJsTarget } from './core/targets.js';
import { webGpuTarget } from './core/webgpu-target.js';
import { measureDefaultRun, type DefaultRunRecord } from './default-run.js';
import { writeSection } from './docs-section.js';
import { writeMarkdown, type BenchReport, type ScipyRecord } from './report.js';
import { runScipy, type ScipyResult } from './scipy.js';
import { describeMachine, machineSentence } from './stats.js';
import { measureThetaSweep, thetaSweepMarkdown, type ThetaSweepRecord } from './theta-sweep.js';
import {
  equalSizeCases, measureDefaultRunBases, measureEqualSizePairs, measureThetaSweepBases, SECTOR_GRID, SECTOR_TARGETS, sectorMarkdown, timedRun, type SectorReport,
} from './sector.js';
import { runsBasis } from '../src/backends/backend.js';
import { BYTE_SIZE_FORMS, parseByteSize } from '../src/backends/webgpu/memory-budget.js';
import { createWebGpuBackend } from '../src/backends/webgpu/webgpu-backend.js';
import { BASES, type Basis } from '../src/model/config.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = here.endsWith(join('dist', 'bench')) ? join(here, '..', '..') : join(here, '..');

interface Args {
  quick: boolean;
  json: string;
  scipy: boolean;
  defaultRun: boolean;
  thetaSweep: boolean;
  grid: boolean;
  docs: boolean;
  webgpu: boolean;
  gpujs: boolean;
  /** undefined: the default for the mode (quick: no budget, its two cases always run). */
  maxCaseSeconds?: number;
  reps?: number;
  ns?: number[];
  ls?: number[];
  /** Basis of the grid's cases (sector: K = 1, a singlet). */
  basis: Basis;
  /** The "sector" section (bench/sector.ts), and its long end-to-end targets. */
  sector: boolean;
  sectorTargets: boolean;
  /** The "sector" section's default runs and end-to-end targets only (a re-measurement of those). */
  sectorTargetsOnly: boolean;
  /** Cap on the WebGPU backend's buffers, bytes (--gpu-memory). */
  gpuMemory?: number;
}

const USAGE = `usage: npm run bench [-- options]
  --quick                 N=50 L=2 and N=100 L=4 on every backend, 3 samples of a shorter series, no default run
  --json FILE             records (JSON array) to FILE and a markdown table to FILE with .md (default bench/results/bench.json)
  --max-case-seconds S    skip a case whose predicted time exceeds S s (default ${DEFAULT_MAX_CASE_SECONDS}; none in --quick)
  --reps R                timed samples per case after one warm-up (default 5, quick 3)
  --N 50,100 --L 2,4      a sub-grid (default N ${GRID_N.join(',')} and L ${GRID_L.join(',')})
  --no-webgpu --no-gpujs  leave a backend out (listed as skipped)
  --no-scipy              no scipy comparison (it needs python3 with numpy and scipy)
  --no-default-run        no paper-default end-to-end runs
  --no-theta-sweep        no timing of Fig. 4's 16-angle sweep against one run (paper defaults)
  --no-grid               no throughput grid (its docs section is left as it is)
  --basis full|sector     basis of the grid's cases (default full; sector: K = 1, from a singlet)
  --no-sector             no "sector" section (basis sector against full, long chains; bench/sector.ts)
  --no-sector-targets     the "sector" section without its three long end-to-end runs (about 15 minutes)
  --sector-targets-only   of the "sector" section, only the default runs in both bases and the end-to-end targets
  --no-docs               leave docs/benchmarks.md as it is
  --gpu-memory BYTES      cap on the WebGPU backend's buffers per case (8G, 512M, 8GiB, 8GB or bytes): a case above it is skipped`;

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, json: join(ROOT, 'bench', 'results', 'bench.json'), scipy: true, defaultRun: true, thetaSweep: true, grid: true, docs: true, webgpu: true, gpujs: true, basis: 'full', sector: true, sectorTargets: true, sectorTargetsOnly: false };
  const fail = (why: string): never => {
    console.error(`${why}\n${USAGE}`);
    process.exit(2);
  };
  const value = (i: number, flag: string) => (i + 1 < argv.length ? argv[i + 1] : fail(`${flag} needs a value`));
  const positive = (s: string, flag: string) => {
    const v = Number(s);
    return v > 0 ? v : fail(`${flag} must be a positive number, got "${s}"`);
  };
  const list = (s: string, flag: string) => s.split(',').map((x) => (Number.isInteger(Number(x)) && Number(x) > 0 ? Number(x) : fail(`${flag}: "${x}" is not a positive integer`)));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') a.quick = true;
    else if (arg === '--no-scipy') a.scipy = false;
    else if (arg === '--no-default-run') a.defaultRun = false;
    else if (arg === '--no-theta-sweep') a.thetaSweep = false;
    else if (arg === '--no-grid') a.grid = false;
    else if (arg === '--no-docs') a.docs = false;
    else if (arg === '--no-webgpu') a.webgpu = false;
    else if (arg === '--no-gpujs') a.gpujs = false;
    else if (arg === '--no-sector') a.sector = false;
    else if (arg === '--no-sector-targets') a.sectorTargets = false;
    else if (arg === '--sector-targets-only') a.sectorTargetsOnly = true;
    else if (arg === '--basis') {
      const b = value(i++, arg);
      a.basis = (BASES as readonly string[]).includes(b) ? (b as Basis) : fail(`--basis: "${b}" is not one of ${BASES.join(', ')}`);
    }
    else if (arg === '--json') a.json = resolve(value(i++, arg));
    else if (arg === '--gpu-memory') {
      const v = value(i++, arg);
      a.gpuMemory = parseByteSize(v) ?? fail(`--gpu-memory "${v}" is not allowed; allowed: ${BYTE_SIZE_FORMS}`);
    }
    else if (arg === '--max-case-seconds') a.maxCaseSeconds = positive(value(i++, arg), arg);
    else if (arg === '--reps') a.reps = Math.round(positive(value(i++, arg), arg));
    else if (arg === '--N') a.ns = list(value(i++, arg), arg);
    else if (arg === '--L') a.ls = list(value(i++, arg), arg);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument "${arg}"`);
  }
  if (a.quick) {
    a.defaultRun = false;
    a.thetaSweep = false;
    a.sector = false;
  }
  return a;
}

const log = (s: string) => console.log(s);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = nowSeconds();
  const machine = describeMachine();
  const date = new Date().toISOString();
  const cores = machine.cores;
  const threadCounts = cores > 1 ? [1, cores] : [1];
  const reps = args.reps ?? (args.quick ? 3 : 5);
  const alpha = args.quick ? QUICK_ALPHA : DEFAULT_ALPHA;
  const maxCaseSeconds = args.maxCaseSeconds ?? (args.quick ? Infinity : DEFAULT_MAX_CASE_SECONDS);
  const cases: GridCase[] = (args.ns || args.ls ? gridCases(args.ns ?? GRID_N, args.ls ?? GRID_L) : args.quick ? [...QUICK_CASES] : gridCases())
    .map((c) => (args.basis === 'sector' ? { ...c, basis: 'sector' as const, K: 1 as const } : c));
  log(`benchmark${args.quick ? ' (quick)' : ''}: ${machine.cpu}, ${cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${machine.node}, load ${machine.loadAverage.start.toFixed(2)}; ` +
    `${cases.length} cases, ${reps} samples each, budget ${maxCaseSeconds === Infinity ? 'none' : `${maxCaseSeconds} s`} per case`);

  // The same operator first: a cheap failure before any long timing.
  let scipyCheck: BenchReport['scipyCheck'];
  if (args.scipy) {
    const check = runScipy(8, 3, { time: false });
    scipyCheck = { N: check.N, L: check.L, checkRelError: check.checkRelError };
    log(`scipy CSR H = kernel H at N=8, L=3: max relative difference ${check.checkRelError.toExponential(1)}`);
  }

  const copy = copyBandwidthCache(async (threads) => {
    const b = await measureHostCopy(threads);
    log(`${hostCopyDescription(b)}: ${sig(b.gbs.median)} GB/s (${sig(b.gbs.min)} … ${sig(b.gbs.max)})`);
    return b;
  });
  const hostReference = (threads: number) => async () => {
    const b = await copy.get(threads);
    return { gbs: b.gbs.median, what: hostCopyDescription(b) };
  };

  // Without a GPU, WebGPU runs on SwiftShader (Chromium's CPU Vulkan driver) when it is installed: a
  // correctness check of the WGSL path whose figures the report labels CPU figures.
  if (args.webgpu && !process.env.VK_ICD_FILENAMES && noHardwareGpuReason() && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  // gpu.js's webasm pool runs one worker per CPU os.cpus() reports.
  const gpujsThreads = os.cpus().length;
  const gpuTargets: GridTarget[] = [
    args.webgpu ? await webGpuTarget({ gpuMemory: args.gpuMemory }) : { backend: 'webgpu', precision: 'f32', threads: 1, unavailable: 'left out (--no-webgpu)' },
    args.gpujs
      ? await gpuJsTarget('webasm', gpujsThreads, hostReference(gpujsThreads))
      : { backend: 'gpujs-webasm', precision: 'f32', threads: gpujsThreads, unavailable: 'left out (--no-gpujs)' },
  ];
  // A backend that does not run the grid's basis is listed as unavailable for it.
  const runsGridBasis = (t: GridTarget): GridTarget => {
    if ('unavailable' in t || args.basis === 'full') return t;
    const runs = t.backend === 'webgpu' ? runsBasis(createWebGpuBackend(), args.basis) : false;
    return runs ? t : { backend: t.backend, precision: t.precision, threads: t.threads, unavailable: `it does not run basis "${args.basis}"` };
  };
  const targets: GridTarget[] = [...threadCounts.map((t) => cpuTarget(t, copy)), ...gpuTargets.map(runsGridBasis)];
  const grid = args.grid ? await runGrid(targets, cases, { reps, alpha, maxCaseSeconds, log }) : [];
  const cpuGrid = grid.filter(isMeasured).filter((r) => r.backend === 'cpu');

  const scipy: ScipyRecord[] = [];
  const bare: BareApplyRecord[] = [];
  if (args.scipy) {
    const scipyCases = args.quick ? [{ N: 100, L: 4 }] : [{ N: 200, L: 4 }, { N: 100, L: 4 }];
    for (const c of scipyCases) {
      for (const t of threadCounts) bare.push(await measureBareApply(c, t, reps));
      const s = runScipy(c.N, c.L, { time: true, reps: args.quick ? 5 : 9 }) as ScipyResult;
      const ours = (threads: number) => bare.find((r) => r.N === c.N && r.L === c.L && r.threads === threads);
      const one = ours(1), all = ours(cores);
      const fusedAll = cpuGrid.find((r) => r.N === c.N && r.L === c.L && r.threads === cores);
      const natural = s.variants.find((v) => v.name.startsWith('real CSR @ complex128'));
      const rec: ScipyRecord = {
        ...s,
        case: `scipy-csr:h-apply:N=${c.N},L=${c.L},threads=1`,
        kind: 'h-apply-baseline',
        backend: 'scipy-csr',
        precision: 'f64',
        threads: 1,
        ampsPerSecond: s.best.ampsPerSecond,
        secondsPerTerm: s.best.medianSeconds,
        ratioOneThread: one ? one.applyAmpsPerSecond / s.best.ampsPerSecond : undefined,
        ratioAllThreads: all && cores > 1 ? all.applyAmpsPerSecond / s.best.ampsPerSecond : undefined,
        naturalRatioOneThread: natural && one ? one.applyAmpsPerSecond / natural.ampsPerSecond : undefined,
        naturalRatioAllThreads: natural && all ? all.applyAmpsPerSecond / natural.ampsPerSecond : undefined,
        fusedRatioAllThreads: fusedAll ? fusedAll.ampsPerSecond / s.best.ampsPerSecond : undefined,
      };
      scipy.push(rec);
      log(`${rec.case}: ${sig(s.best.ampsPerSecond / 1e6)} M amplitudes/s (${s.best.name}, nnz/row ${sig(s.nnzPerRow)}); ` +
        `ours (bare H x) / scipy: ${sig(rec.ratioOneThread ?? NaN)} (1 thread)` + (rec.ratioAllThreads ? `, ${sig(rec.ratioAllThreads)} (${cores} threads)` : ''));
    }
  }

  const defaultRuns: DefaultRunRecord[] = [];
  if (args.defaultRun) {
    let first: number[] | undefined;
    const run = async (threads: number, opx: number) => {
      const { record, deltaSigmaZ } = await measureDefaultRun(threads, opx);
      first ??= deltaSigmaZ;
      record.maxDiffFromFirst = Math.max(...deltaSigmaZ.map((v, i) => Math.abs(v - first![i])));
      if (!(record.maxDiffFromFirst < 1e-9)) throw new Error(`${record.case}: deltaSigmaZ differs from the first default run by ${record.maxDiffFromFirst}`);
      defaultRuns.push(record);
      log(`${record.case}: ${sig(record.wallSeconds)} s wall, ${record.matvecs} H applications, final Delta sigma_z ${record.finalDeltaSigmaZ.toFixed(6)}`);
    };
    for (const opx of [1, 2, 4, 8]) await run(cores, opx);
    if (cores > 1) {
      const best = defaultRuns.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
      await run(1, best.outputsPerExpansion);
    }
  }

  let sweep: ThetaSweepRecord | undefined;
  if (args.thetaSweep) {
    sweep = await measureThetaSweep({ N: 200, L: 4, tEnd: 80, dt: 0.5 }, 16);
    log(`${sweep.case}: one run ${sig(sweep.oneRunSeconds)} s, sweep ${sig(sweep.sweepSeconds)} s: ${sweep.ratio.toFixed(2)} runs`);
  }

  let sectorReport: SectorReport | undefined;
  if (args.sector) {
    log('sector: basis "sector" against "full", and long chains (CPU backend)');
    const cpuTargets = threadCounts.map((t) => cpuTarget(t, copy));
    sectorReport = {
      date, machine: machineSentence(machine),
      defaultRuns: await measureDefaultRunBases(log),
      sweep: args.sectorTargetsOnly ? undefined : await measureThetaSweepBases(16, log),
      pairs: args.sectorTargetsOnly ? [] : await measureEqualSizePairs(() => runGrid([cpuTarget(cores, copy)], equalSizeCases(), { reps, alpha, maxCaseSeconds: Infinity, log })),
      grid: args.sectorTargetsOnly ? [] : [
        ...(await runGrid(cpuTargets, SECTOR_GRID.filter((c) => c.K === 1), { reps, alpha, maxCaseSeconds, log })),
        ...(await runGrid(cpuTargets, SECTOR_GRID.filter((c) => c.K === 2), { reps, alpha, maxCaseSeconds, log })),
      ],
      targets: [],
    };
    if (args.sectorTargets) {
      for (const t of SECTOR_TARGETS) {
        const budget = t.budgetSeconds ?? (t.budgetInDefaultRuns ?? 1) * sectorReport.defaultRuns![0].wallSeconds;
        const rec = await timedRun(t.label, t.config, budget, log);
        log(`${rec.case}: ${sig(rec.wallSeconds)} s (budget ${sig(budget)} s)`);
        sectorReport.targets.push(rec);
      }
    }
  }

  machine.loadAverage.end = os.loadavg()[0];
  // The sector section's machine sentence names the load at the end too.
  if (sectorReport) sectorReport.machine = machineSentence(machine);
  const totalSeconds = nowSeconds() - started;
  const bandwidth = await copy.all();
  const records = [
    ...bandwidth.map((b) => ({
      case: `cpu:copy-bandwidth:threads=${b.threads}`, kind: 'bandwidth', backend: 'cpu', threads: b.threads,
      bytesPerCopy: b.bytesPerCopy, gbs: b.gbs.median, gbsMin: b.gbs.min, gbsMax: b.gbs.max, reps: b.gbs.samples,
    })),
    ...grid,
    ...bare.map((b) => ({ ...b, case: `cpu:bare-h-apply:N=${b.N},L=${b.L},threads=${b.threads}`, kind: 'bare-h-apply', backend: 'cpu', precision: 'f64' })),
    ...scipy,
    ...defaultRuns,
    ...(sweep ? [sweep] : []),
    ...(sectorReport ? [...(sectorReport.defaultRuns ?? []), ...(sectorReport.sweep ? [sectorReport.sweep] : []), ...sectorReport.pairs, ...sectorReport.grid, ...sectorReport.targets] : []),
  ].map((r) => ({ ...r, date, quick: args.quick, machine }));

  // What simulate() uses when outputsPerExpansion is not given (reading it allocates nothing).
  const preferredOutputsPerExpansion = createCpuBackend().preferredOutputsPerExpansion;
  const report: BenchReport = { date, preferredOutputsPerExpansion, quick: args.quick, machine, fused: cpuGrid, bare, scipy, scipyCheck, defaultRuns, totalSeconds };
  const gridText = gridMarkdown(grid, { date, machine: machineSentence(machine), quick: args.quick, reps, alpha, maxCaseSeconds, totalSeconds });

  mkdirSync(dirname(args.json), { recursive: true });
  writeFileSync(args.json, `${JSON.stringify(records, null, 2)}\n`);
  const mdFile = args.json.replace(/(\.json)?$/, '.md');
  if (args.grid) writeFileSync(mdFile, `# Benchmark run of ${date}\n\nRecords: ${args.json.split(/[\\/]/).pop()}.\n\n${gridText}\n`);
  log(`wrote ${args.json}${args.grid ? ` and ${mdFile}` : ''}`);
  if (args.docs) {
    const file = join(ROOT, 'docs', 'benchmarks.md');
    if (args.grid) writeSection(file, 'grid', 'bench/core/markdown.ts', gridText);
    if (args.scipy || args.defaultRun) writeMarkdown(file, report);
    if (sweep) writeSection(file, 'theta-sweep', 'bench/theta-sweep.ts', thetaSweepMarkdown(sweep));
    // A targets-only run re-measures part of the section: its figures go to the JSON, not over the whole section.
    if (sectorReport && !args.sectorTargetsOnly) writeSection(file, 'sector', 'bench/sector.ts', sectorMarkdown(sectorReport));
    log(`wrote ${file}`);
  }
  const skipped = grid.length - grid.filter(isMeasured).length;
  log(`done in ${sig(totalSeconds)} s: ${grid.length - skipped} cases measured, ${skipped} skipped (load ${machine.loadAverage.start.toFixed(2)} at the start, ${machine.loadAverage.end.toFixed(2)} at the end)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
