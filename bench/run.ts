/**
 * npm run bench [-- --quick] [--json FILE] [--no-scipy] [--no-default-run] [--no-docs]
 *
 * The CPU benchmark: H-application throughput of the f64 CPU backend with one
 * thread and with every core (bench/cpu-throughput.ts), a memory-bandwidth
 * reference measured in the same run (bench/bandwidth.ts), scipy's CSR
 * product of the same H as the baseline (bench/scipy.ts, bench/scipy_csr.py),
 * and the paper-default run end to end for several outputsPerExpansion
 * (bench/default-run.ts). Writes an array of records as JSON (default
 * bench/results/cpu.json) and the generated section of docs/benchmarks.md.
 *
 * --quick: one small case (N = 100, L = 4), the scipy comparison at that size,
 * no default run; well under a minute.
 */

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { createCpuBackend } from '../src/backends/cpu/cpu-backend.js';
import { measureCopyBandwidth, type BandwidthResult } from './bandwidth.js';
import { measureThroughput, type ThroughputCase, type ThroughputRecord } from './cpu-throughput.js';
import { measureDefaultRun, type DefaultRunRecord } from './default-run.js';
import { writeMarkdown, type BenchReport, type ScipyRecord } from './report.js';
import { runScipy, type ScipyResult } from './scipy.js';
import { describeMachine, nowSeconds, sig } from './stats.js';
import { noHardwareGpuReason, probeAdapter } from '../src/backends/webgpu/device.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
import { writeBackendSection } from './backend-report.js';
import { benchGpuJs, type GpuJsThroughputRecord } from './gpujs-throughput.js';
import { benchWebGpu, type WebGpuThroughputRecord } from './webgpu-throughput.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = here.endsWith(join('dist', 'bench')) ? join(here, '..', '..') : join(here, '..');

interface Args {
  quick: boolean;
  json: string;
  scipy: boolean;
  defaultRun: boolean;
  docs: boolean;
  webgpu: boolean;
  gpujs: boolean;
}

const USAGE = 'usage: npm run bench [-- --quick] [--json FILE] [--no-scipy] [--no-default-run] [--no-docs] [--no-webgpu] [--no-gpujs]';

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, json: join(ROOT, 'bench', 'results', 'cpu.json'), scipy: true, defaultRun: true, docs: true, webgpu: true, gpujs: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') a.quick = true;
    else if (arg === '--no-scipy') a.scipy = false;
    else if (arg === '--no-default-run') a.defaultRun = false;
    else if (arg === '--no-docs') a.docs = false;
    else if (arg === '--no-webgpu') a.webgpu = false;
    else if (arg === '--no-gpujs') a.gpujs = false;
    else if (arg === '--json' && i + 1 < argv.length) a.json = resolve(argv[++i]);
    else if (arg.startsWith('--json=')) a.json = resolve(arg.slice('--json='.length));
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown argument "${arg}"\n${USAGE}`);
      process.exit(2);
    }
  }
  if (a.quick) a.defaultRun = false;
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
  log(`cpu benchmark${args.quick ? ' (quick)' : ''}: ${machine.cpu}, ${cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${machine.node}, load ${machine.loadAverage.start.toFixed(2)}`);

  // The same operator first: a cheap failure before any long timing.
  let scipyCheck: BenchReport['scipyCheck'];
  if (args.scipy) {
    const check = runScipy(8, 3, { time: false });
    scipyCheck = { N: check.N, L: check.L, checkRelError: check.checkRelError };
    log(`scipy CSR H = kernel H at N=8, L=3: max relative difference ${check.checkRelError.toExponential(1)}`);
  }

  const bandwidth: BandwidthResult[] = [];
  for (const t of threadCounts) {
    const b = await measureCopyBandwidth(t);
    bandwidth.push(b);
    log(`copy bandwidth, ${t} thread(s): ${sig(b.gbs.median)} GB/s (${sig(b.gbs.min)} … ${sig(b.gbs.max)})`);
  }

  const cases: ThroughputCase[] = args.quick
    ? [{ N: 100, L: 4 }]
    : [{ N: 200, L: 4 }, { N: 100, L: 4 }, { N: 200, L: 6 }, { N: 100, L: 8 }];
  const throughput: ThroughputRecord[] = [];
  for (const c of cases) {
    const dim = c.N * c.N * 4 * 2 ** c.L;
    for (const t of threadCounts) {
      const r = await measureThroughput(c, { threads: t, alpha: 12, reps: args.quick ? 3 : dim > 5e6 ? 3 : 5 });
      const bw = bandwidth.find((b) => b.threads === r.threads);
      if (bw) {
        r.bandwidthGBs = bw.gbs.median;
        r.bandwidthRatio = r.effectiveGBs / bw.gbs.median;
      }
      throughput.push(r);
      log(`${r.case}: ${sig(r.secondsPerTerm * 1e3)} ms/term (${sig(r.secondsPerTermMin * 1e3)} … ${sig(r.secondsPerTermMax * 1e3)}), ` +
        `${sig(r.ampsPerSecond / 1e6)} M amplitudes/s, ${sig(r.effectiveGBs)} GB/s effective; bare H x ${sig(r.applyAmpsPerSecond / 1e6)} M amplitudes/s`);
    }
  }

  const scipy: ScipyRecord[] = [];
  if (args.scipy) {
    const scipyCases = args.quick ? [{ N: 100, L: 4 }] : [{ N: 200, L: 4 }, { N: 100, L: 4 }];
    for (const c of scipyCases) {
      const s = runScipy(c.N, c.L, { time: true, reps: args.quick ? 5 : 9 }) as ScipyResult;
      const ours = (threads: number) => throughput.find((r) => r.N === c.N && r.L === c.L && r.threads === threads);
      const one = ours(1), all = ours(cores);
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
      };
      const natural = s.variants.find((v) => v.name.startsWith('real CSR @ complex128'));
      if (natural) {
        rec.naturalRatioOneThread = one ? one.applyAmpsPerSecond / natural.ampsPerSecond : undefined;
        rec.naturalRatioAllThreads = all ? all.applyAmpsPerSecond / natural.ampsPerSecond : undefined;
      }
      rec.fusedRatioAllThreads = all ? all.ampsPerSecond / s.best.ampsPerSecond : undefined;
      scipy.push(rec);
      log(`${rec.case}: ${sig(s.best.ampsPerSecond / 1e6)} M amplitudes/s (${s.best.name}, nnz/row ${sig(s.nnzPerRow)}); ` +
        `ours / scipy: ${sig(rec.ratioOneThread ?? NaN)} (1 thread)` + (rec.ratioAllThreads ? `, ${sig(rec.ratioAllThreads)} (${cores} threads)` : ''));
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

  // WebGPU, where an adapter exists (SwiftShader counts, and is labelled a CPU figure).
  let webgpu: WebGpuThroughputRecord[] = [];
  let webgpuSkipped: string | undefined;
  if (args.webgpu) {
    // Without a GPU, measure SwiftShader (Chromium's CPU Vulkan driver) when it is installed: a
    // correctness check of the WGSL path whose figures the report labels CPU figures.
    if (!process.env.VK_ICD_FILENAMES && noHardwareGpuReason() && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    const probe = await probeAdapter();
    if (probe.found) webgpu = await benchWebGpu({ quick: args.quick, log });
    else log(`webgpu: skipped (${(webgpuSkipped = probe.reason)})`);
  } else webgpuSkipped = '--no-webgpu';

  // gpu.js in Node: its webasm mode (webgl2 needs a browser).
  let gpujs: GpuJsThroughputRecord[] = [];
  const gpujsSkipped = args.gpujs ? undefined : '--no-gpujs';
  if (args.gpujs) gpujs = await benchGpuJs({ quick: args.quick, copyGBs: bandwidth.find((b) => b.threads === 1)?.gbs.median, log });

  machine.loadAverage.end = os.loadavg()[0];
  // What simulate() uses when outputsPerExpansion is not given (reading it allocates nothing).
  const preferredOutputsPerExpansion = createCpuBackend().preferredOutputsPerExpansion;
  const report: BenchReport = { date, preferredOutputsPerExpansion, quick: args.quick, machine, bandwidth, throughput, scipy, scipyCheck, defaultRuns, totalSeconds: nowSeconds() - started };
  const records = [
    ...bandwidth.map((b) => ({
      case: `cpu:copy-bandwidth:threads=${b.threads}`, kind: 'bandwidth', backend: 'cpu', threads: b.threads,
      bytesPerCopy: b.bytesPerCopy, gbs: b.gbs.median, gbsMin: b.gbs.min, gbsMax: b.gbs.max, reps: b.gbs.samples,
    })),
    ...throughput,
    ...scipy,
    ...defaultRuns,
    ...webgpu,
    ...gpujs,
  ].map((r) => ({ ...r, date, quick: args.quick, machine }));
  mkdirSync(dirname(args.json), { recursive: true });
  writeFileSync(args.json, `${JSON.stringify(records, null, 2)}\n`);
  log(`wrote ${args.json}`);
  if (args.docs) {
    const file = join(ROOT, 'docs', 'benchmarks.md');
    writeMarkdown(file, report);
    const w0 = webgpu[0];
    writeBackendSection(file, date, {
      marker: 'webgpu',
      title: 'WebGPU backend (f32)',
      skipped: webgpuSkipped,
      records: webgpu,
      intro: w0 ? [
        `Measured ${date} on adapter: ${w0.adapter}.` + (w0.software
          ? ' **This is a software adapter (SwiftShader, a CPU implementation of Vulkan): these are CPU figures, not GPU figures**; they prove correctness, not GPU speed.'
          : ''),
        'One sample is one `backend.advance()` of a whole expansion (one submit, one `mapAsync`), as for the CPU; time per term = wall time per advance / terms, the reduction included. ' +
          `Bytes-moved model of a fused f32 term: 5 × 8 = ${w0.bytesPerAmplitudeTerm} bytes per amplitude; the reference is a copy kernel (shaders/copy.wgsl) over a state-sized buffer on the same device, in the same run.`,
      ] : [],
    });
    writeBackendSection(file, date, {
      marker: 'gpujs',
      title: 'gpu.js backend (f32), webasm mode in Node',
      skipped: gpujsSkipped,
      records: gpujs,
      intro: [
        `Measured ${date} in Node, where gpu.js runs its WebAssembly kernels on the CPU (its webgl2 mode needs a browser and is tested there, not timed here). ` +
          'One sample is one `backend.advance()` of a whole expansion, including the read-back of the output state and its f64 reduction on the host; time per term = wall time per advance / terms. ' +
          'Bytes-moved model of a fused f32 term: 5 × 8 = 40 bytes per amplitude; the reference is the single-thread CPU copy bandwidth of the same run.',
      ],
    });
    log(`wrote ${file}`);
  }
  log(`done in ${sig(report.totalSeconds)} s (load ${machine.loadAverage.start.toFixed(2)} at the start, ${machine.loadAverage.end.toFixed(2)} at the end)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
