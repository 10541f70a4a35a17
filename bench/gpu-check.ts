/**
 * The real-GPU measurement in one program (bench/gpu-check.sh runs it; see
 * docs/webgpu.md, "Checking a GPU"): on one WebGPU adapter, within a time
 * budget, it measures
 *
 *   1. the copy kernel's bandwidth (shaders/copy.wgsl), the device's reference;
 *   2. the fused Chebyshev term with 1 and with 4 outputs per expansion, on
 *      full-basis states and on sector states with K = 1 and K = 2 down spins,
 *      each against that bandwidth by the bytes-moved model;
 *   3. the paper-default run end to end in bases full, sector and antisymmetric (simulate());
 *   4. the long chain: K = 2, N = 400, L = 64 over 150 fs, or the largest of a
 *      few smaller ones that its measured throughput predicts to fit the budget
 *      (a run still going at the budget is stopped and reported as such);
 *
 * and writes OUT/gpu-check.json (every record) and OUT/gpu-check.md (a
 * section for docs/benchmarks.md). A case that does not fit the memory or the
 * time budget is listed as skipped with its reason, never dropped.
 *
 * Exit status: 0 measured; 2 bad arguments; 3 no adapter; 4 only a software
 * adapter (SwiftShader, llvmpipe) and no --allow-software: a dry run of this
 * program is not a GPU figure.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { ResourceError } from '../src/backends/backend.js';
import { formatBytes } from '../src/backends/memory.js';
import { describeAdapter, isSoftwareAdapter, requestDevice } from '../src/backends/webgpu/device.js';
import { GpuResources } from '../src/backends/webgpu/gpu-resources.js';
import { describeGpuMemory, knownDeviceMemory, parseByteSize, type GpuMemoryBudget } from '../src/backends/webgpu/memory-budget.js';
import { createWebGpuBackend } from '../src/backends/webgpu/webgpu-backend.js';
import { resolvedConfig } from '../src/model/basis.js';
import { parseRunConfig as parseAnyBasis, type RunConfigInput } from '../src/model/config.js';

/** A case's config: a case that names no basis measures the full basis (the canonical layout), as it did before "auto". */
const parseRunConfig = (input: RunConfigInput) => resolvedConfig(parseAnyBasis(input), 'full');
import { hamiltonianTerms, scaledHamiltonian } from '../src/model/hamiltonian.js';
import { initialState } from '../src/model/initial-state.js';
import { layoutForConfig } from '../src/model/layout.js';
import { normOf } from '../src/model/observables.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { HBAR_EV_FS } from '../src/model/units.js';
import { chebyshevSeries, type ChebyshevSeries } from '../src/propagator/chebyshev.js';
import { simulate } from '../src/simulate.js';
import { nowSeconds, sig, spread } from './core/figures.js';
import { timedSeries } from './core/run-grid.js';
import { F32_BYTES_PER_AMPLITUDE_TERM } from './core/targets.js';
import { measureCopy } from './core/webgpu-target.js';
import { collectGarbage, describeMachine, machineSentence } from './stats.js';

/** --quick's stand-in for the paper-default run (examples/small-singlet.json's ring, 2 fs). */
const QUICK_RUN: RunConfigInput = { N: 40, L: 3, sigma: 2, x2: 10, d: 8, tEnd: 2 };

/** Each accumulator beyond the first: read and written once per term, 8 bytes each way. */
const BYTES_PER_EXTRA_OUTPUT = 2 * 8;

interface Args {
  out: string;
  adapter?: string;
  power: GPUPowerPreference;
  listAdapters: boolean;
  allowSoftware: boolean;
  gpuMemory?: number;
  maxCaseSeconds: number;
  /** Wall seconds the term grid may take in all (from the start): later cases are skipped, so the runs after it still happen. */
  gridSeconds: number;
  longSeconds: number;
  reps: number;
  quick: boolean;
  fullN: number[];
  fullL: number[];
  sectorN: number[];
  sectorL: number[];
}

const USAGE = `usage: node dist/bench/gpu-check.js --out DIR [options]
  --out DIR               where gpu-check.json and gpu-check.md go (created)
  --adapter NAME          Dawn's adapter whose name contains NAME, case-sensitive (--list-adapters shows them)
  --power high-performance|low-power   the powerPreference asked of requestAdapter (default high-performance)
  --list-adapters         print the adapters Dawn sees and exit
  --allow-software        measure on a software adapter (SwiftShader, llvmpipe): a dry run, CPU figures
  --gpu-memory BYTES      cap on the backend's buffers (8G, 512M, 8GiB, 8GB or bytes)
  --max-case-seconds S    skip a term case predicted to take longer than S s (default 20)
  --grid-seconds S        the term cases' time in all, from the start (default 150): later cases are skipped
  --long-seconds S        budget of the long run (default 150): the largest chain predicted to fit runs
  --reps R                timed expansions per term case after one warm-up (default 3; --quick 2)
  --full-N 200,400 --full-L 4,8,10     the full-basis term cases (default)
  --sector-N 200,400 --sector-L 16,32,64  the sector term cases, each with K = 1 and K = 2 (default)
  --quick                 a tiny grid, short default runs and a short long run (a dry run on a CPU)`;

function parseArgs(argv: string[]): Args {
  const a: Args = {
    out: '', power: 'high-performance', listAdapters: false, allowSoftware: false, maxCaseSeconds: 20, gridSeconds: 150, longSeconds: 150, reps: 0, quick: false,
    fullN: [200, 400], fullL: [4, 8, 10], sectorN: [200, 400], sectorL: [16, 32, 64],
  };
  const fail = (why: string): never => {
    console.error(`gpu-check: ${why}\n${USAGE}`);
    process.exit(2);
  };
  const value = (i: number, flag: string) => (i + 1 < argv.length ? argv[i + 1] : fail(`${flag} needs a value`));
  const positive = (s: string, flag: string) => (Number(s) > 0 ? Number(s) : fail(`${flag} must be a positive number, got "${s}"`));
  const list = (s: string, flag: string) => s.split(',').map((x) => (Number.isInteger(Number(x)) && Number(x) > 0 ? Number(x) : fail(`${flag}: "${x}" is not a positive integer`)));
  let quickGrid = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') a.out = resolve(value(i++, arg));
    else if (arg === '--adapter') a.adapter = value(i++, arg);
    else if (arg === '--power') {
      const p = value(i++, arg);
      a.power = p === 'low-power' || p === 'high-performance' ? p : fail(`--power "${p}" is not allowed; allowed: high-performance, low-power`);
    } else if (arg === '--list-adapters') a.listAdapters = true;
    else if (arg === '--allow-software') a.allowSoftware = true;
    else if (arg === '--gpu-memory') {
      const v = value(i++, arg);
      a.gpuMemory = parseByteSize(v) ?? fail(`--gpu-memory "${v}" is not allowed; allowed: bytes, or 8G / 512M / 8GiB (powers of 1024), 8GB (powers of 1000)`);
    } else if (arg === '--max-case-seconds') a.maxCaseSeconds = positive(value(i++, arg), arg);
    else if (arg === '--long-seconds') a.longSeconds = positive(value(i++, arg), arg);
    else if (arg === '--grid-seconds') a.gridSeconds = positive(value(i++, arg), arg);
    else if (arg === '--reps') a.reps = Math.round(positive(value(i++, arg), arg));
    else if (arg === '--quick') a.quick = true;
    else if (arg === '--full-N') (a.fullN = list(value(i++, arg), arg)), (quickGrid = false);
    else if (arg === '--full-L') (a.fullL = list(value(i++, arg), arg)), (quickGrid = false);
    else if (arg === '--sector-N') (a.sectorN = list(value(i++, arg), arg)), (quickGrid = false);
    else if (arg === '--sector-L') (a.sectorL = list(value(i++, arg), arg)), (quickGrid = false);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument "${arg}"`);
  }
  if (!a.out && !a.listAdapters) fail('--out DIR is required');
  if (a.quick && quickGrid) Object.assign(a, { fullN: [20], fullL: [2], sectorN: [20], sectorL: [6] });
  a.reps ||= a.quick ? 2 : 3;
  return a;
}

const log = (s: string) => console.log(s);

/** Dawn's entry point with its adapter filter (the `webgpu` package; a computed specifier, as in device.ts). A missing package exits 2, naming it. */
async function dawn(options: string[]): Promise<GPU> {
  let mod: { create(o: string[]): GPU };
  try {
    mod = (await import(['web', 'gpu'].join(''))) as typeof mod;
  } catch (e) {
    console.error(`gpu-check: the Node package "webgpu" cannot be loaded (${(e as Error).message}): npm ci, or copy .gpu-check/ from 'bash bench/gpu-check.sh prepare'`);
    process.exit(2);
  }
  return mod.create(options);
}

/** Dawn lists its adapters when asked for one that does not exist. */
async function listAdapters(): Promise<string> {
  try {
    const gpu = await dawn(['adapter=\u0000none']);
    const a = await gpu.requestAdapter();
    return a ? `one adapter: ${describeAdapter(a)}` : 'no adapter';
  } catch (e) {
    const text = (e as Error).message;
    const at = text.indexOf('Available adapters:');
    return at >= 0 ? text.slice(at) : `no adapter list (${text})`;
  }
}

interface TermCase {
  label: string;
  input: RunConfigInput;
}

interface TermRecord {
  case: string;
  kind: 'gpu-term';
  label: string;
  basis: string;
  K?: number;
  N: number;
  L: number;
  dim: number;
  outputs: number;
  skipped?: string;
  /** An error other than not fitting (the rest of the check goes on; the exit status is 1). */
  failed?: string;
  secondsPerTerm?: number;
  secondsPerTermMin?: number;
  secondsPerTermMax?: number;
  ampsPerSecond?: number;
  bytesPerAmplitudeTerm?: number;
  effectiveGBs?: number;
  shareOfCopy?: number;
  gpuMemoryBytes?: number;
}

interface CopyRecord {
  case: string;
  kind: 'gpu-copy';
  amplitudes: number;
  gbs: number;
  gbsMin: number;
  gbsMax: number;
}

interface RunRecord {
  case: string;
  kind: 'gpu-run';
  label: string;
  basis: string;
  N: number;
  L: number;
  state: string;
  dim: number;
  tEnd: number;
  skipped?: string;
  failed?: string;
  /** Stopped at the budget: simulated time reached. */
  stoppedAt?: number;
  wallSeconds?: number;
  matvecs?: number;
  finalDeltaSigmaZ?: number;
  normDrift?: number;
  predictedSeconds?: number;
}

function problemOf(input: RunConfigInput) {
  const config = parseRunConfig(input);
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  return { config, halfWidth, problem: { hamiltonian, scaled: scaledHamiltonian(hamiltonian, center, halfWidth) } };
}

/** The timed series with `outputs` accumulators: the same real step in each, so the state keeps norm 1. */
function seriesWith(outputs: number): ChebyshevSeries {
  const one = timedSeries('f32');
  return { terms: one.terms, weights: Array.from({ length: outputs }, () => one.weights[0]) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.listAdapters) {
    log(await listAdapters());
    return;
  }
  const started = nowSeconds();
  const machine = describeMachine();
  const date = new Date().toISOString();
  let gpu: GPU;
  try {
    gpu = await dawn(args.adapter ? [`adapter=${args.adapter}`] : []);
  } catch (e) {
    console.error(`gpu-check: no WebGPU adapter: ${(e as Error).message}`);
    process.exit(3);
  }
  // With --adapter, Dawn refuses a name it does not have by listing the adapters it has.
  let refusal = '';
  const adapter = await gpu.requestAdapter({ powerPreference: args.power }).catch((e: unknown) => ((refusal = (e as Error).message), null));
  if (!adapter) {
    console.error(`gpu-check: no WebGPU adapter: requestAdapter({ powerPreference: '${args.power}' }) found none${args.adapter ? ` whose name contains "${args.adapter}"` : ''}` +
      (refusal ? ` (${refusal})` : ''));
    process.exit(3);
  }
  const description = describeAdapter(adapter);
  const software = isSoftwareAdapter(adapter);
  const info = adapter.info;
  const limits = adapter.limits;
  const adapterRecord = {
    case: 'webgpu:adapter', kind: 'gpu-adapter', description, software,
    vendor: info.vendor, architecture: info.architecture, device: info.device, infoDescription: info.description,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize, maxBufferSize: limits.maxBufferSize,
    maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX, maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    timestampQuery: adapter.features.has('timestamp-query'),
    deviceMemory: knownDeviceMemory(adapter),
  };
  log(`gpu-check: adapter ${description}${software ? ' (software: CPU figures)' : ''}; ${JSON.stringify(adapterRecord)}`);
  if (software && !args.allowSoftware) {
    console.error(`gpu-check: the only adapter is a software one (${description}), not a GPU; --allow-software measures it anyway (a dry run, CPU figures)`);
    process.exit(4);
  }
  mkdirSync(args.out, { recursive: true });

  const device = await requestDevice(adapter, 'spin-transfer gpu-check');
  const resources = new GpuResources(device, true, description);
  const bindingBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const budgets: GpuMemoryBudget[] = [];
  const make = () => createWebGpuBackend({ device, maxTotalBytes: args.gpuMemory, onMemoryBudget: (b) => budgets.push(b) });

  const terms: TermRecord[] = [];
  const runs: RunRecord[] = [];
  let copyRecord: CopyRecord | undefined;
  /**
   * Writes the JSON and the markdown of everything measured so far: first
   * before any measurement, then after every case, so a check stopped by its
   * timeout still leaves its figures, marked unfinished until the last write.
   */
  const save = (finished: boolean) => {
    const totalSeconds = nowSeconds() - started;
    machine.loadAverage.end = os.loadavg()[0];
    const records = [adapterRecord, ...(copyRecord ? [copyRecord] : []), ...terms, ...runs].map((r) => ({ ...r, date, machine, finished }));
    writeFileSync(join(args.out, 'gpu-check.json'), `${JSON.stringify(records, null, 2)}\n`);
    writeFileSync(join(args.out, 'gpu-check.md'), markdown({
      date, machine: machineSentence(machine), description, software, adapterRecord, copyRecord, terms, runs, totalSeconds, budgets, finished,
    }));
  };
  save(false);

  // 1. The copy kernel over the largest buffer up to 256 MiB (4 MiB in --quick): the device's bandwidth reference.
  const copyAmps = Math.floor(Math.min(bindingBytes, args.quick ? 2 ** 22 : 2 ** 28) / 8);
  const copy = await measureCopy(resources, copyAmps, args.quick ? 3 : 7);
  copyRecord = { case: 'webgpu:copy-bandwidth', kind: 'gpu-copy', amplitudes: copyAmps, gbs: copy.median, gbsMin: copy.min, gbsMax: copy.max };
  log(`copy kernel over ${formatBytes(copyAmps * 8)}: ${sig(copy.median)} GB/s (${sig(copy.min)} … ${sig(copy.max)})`);
  save(false);

  // 2. The fused term, 1 and 4 outputs per expansion, smallest state first so each case predicts the next.
  const cases: TermCase[] = [
    ...args.fullN.flatMap((N) => args.fullL.map((L) => ({ label: `full N=${N} L=${L}`, input: { N, L } }))),
    ...[1, 2].flatMap((K) => args.sectorN.flatMap((N) => args.sectorL.map((L) => ({
      label: `sector K=${K} N=${N} L=${L}`, input: { N, L, basis: 'sector' as const, state: K === 2 ? ('T-' as const) : ('singlet' as const) },
    })))),
  ].sort((a, b) => layoutForConfig(parseRunConfig(a.input)).dim - layoutForConfig(parseRunConfig(b.input)).dim);
  /** Amplitude-terms per second of the last measured case with each output count, and host set-up seconds per amplitude: predict the next case. */
  const rate = new Map<number, number>();
  let setupPerAmplitude = 0;
  for (const c of cases) {
    const config = parseRunConfig(c.input);
    const dim = layoutForConfig(config).dim;
    const K = config.basis === 'sector' ? (config.state === 'T-' ? 2 : 1) : undefined;
    const serieses = [1, 4].map((outputs) => ({ outputs, series: seriesWith(outputs) }));
    const recs = serieses.map(({ outputs }): TermRecord => ({
      case: `webgpu:term:${config.basis}${K ? `:K=${K}` : ''}:N=${config.N},L=${config.L},outputs=${outputs}`,
      kind: 'gpu-term', label: c.label, basis: config.basis, ...(K ? { K } : {}), N: config.N, L: config.L, dim, outputs,
    }));
    terms.push(...recs);
    // The state is built on the host and loaded once; both output counts are timed on it.
    const predicted = dim * setupPerAmplitude +
      serieses.reduce((sum, { outputs, series }) => sum + (rate.has(outputs) ? ((args.reps + 1) * series.terms * dim) / rate.get(outputs)! : 0), 0);
    const spent = nowSeconds() - started;
    if (spent + predicted > args.gridSeconds) {
      for (const rec of recs) rec.skipped = `the term grid's time budget: ${sig(spent)} s spent + ${sig(predicted)} s predicted > --grid-seconds ${args.gridSeconds}`;
      log(`${c.label}: skipped, ${recs[0].skipped}`);
      continue;
    }
    if (predicted > args.maxCaseSeconds) {
      for (const rec of recs) rec.skipped = `predicted ${sig(predicted)} s (host set-up and both output counts) > --max-case-seconds ${args.maxCaseSeconds}`;
      log(`${c.label}: skipped, ${recs[0].skipped}`);
      continue;
    }
    collectGarbage();
    const backend = make();
    try {
      // Host set-up (H's tables, the f64 initial state) predicts the next case's; the load also compiles pipelines once per basis.
      const t0 = nowSeconds();
      const { problem } = problemOf(c.input);
      const psi = initialState(config);
      setupPerAmplitude = (nowSeconds() - t0) / dim;
      await backend.load(problem, psi);
      for (const [i, { outputs, series }] of serieses.entries()) {
        const rec = recs[i];
        rec.gpuMemoryBytes = backend.bytesAllocated;
        await backend.advance(series);
        const seconds: number[] = [];
        let norm = 0;
        for (let r = 0; r < args.reps; r++) {
          const t1 = nowSeconds();
          const [reduction] = await backend.advance(series);
          seconds.push(nowSeconds() - t1);
          norm = normOf(reduction);
        }
        if (!(Math.abs(norm - 1) < 1e-4)) throw new Error(`${rec.case}: norm ${norm} after the timed expansions, expected 1`);
        const perTerm = spread(seconds.map((x) => x / series.terms));
        const bytes = F32_BYTES_PER_AMPLITUDE_TERM + (outputs - 1) * BYTES_PER_EXTRA_OUTPUT;
        Object.assign(rec, {
          secondsPerTerm: perTerm.median, secondsPerTermMin: perTerm.min, secondsPerTermMax: perTerm.max,
          ampsPerSecond: dim / perTerm.median, bytesPerAmplitudeTerm: bytes,
          effectiveGBs: (dim / perTerm.median) * bytes / 1e9,
        });
        rec.shareOfCopy = rec.effectiveGBs! / copy.median;
        rate.set(outputs, rec.ampsPerSecond!);
        log(`${rec.case}: ${sig(perTerm.median * 1e3)} ms/term, ${sig(rec.ampsPerSecond! / 1e9)} G amplitudes/s, ` +
          `${sig(rec.effectiveGBs!)} GB/s by the model (${bytes} B/amplitude), ${sig(100 * rec.shareOfCopy)} % of the copy kernel`);
      }
    } catch (e) {
      // Not fitting is a skip; anything else fails this case only, so one session still brings back every other figure.
      const why = e instanceof ResourceError ? e.message : `failed: ${(e as Error).message}`;
      for (const rec of recs) if (rec.ampsPerSecond === undefined) (e instanceof ResourceError ? (rec.skipped = why) : (rec.failed = why));
      log(`${c.label}: ${e instanceof ResourceError ? 'skipped, ' : ''}${why}`);
    } finally {
      await backend.dispose();
    }
    save(false);
  }

  // 3. and 4. End-to-end runs through simulate() on this device (the backend instance carries the adapter choice).

  // --quick: the paper's physics on a 40-site ring over 2 fs (a dry run of the script, not the default run's figure).
  const shorten = (input: RunConfigInput): RunConfigInput => (args.quick ? { ...input, ...QUICK_RUN } : input);
  const timed = async (label: string, input: RunConfigInput, budgetSeconds?: number, predictedSeconds?: number): Promise<RunRecord> => {
    const config = parseRunConfig(input);
    const rec: RunRecord = {
      case: `webgpu:run:${config.basis}:N=${config.N},L=${config.L},state=${config.state},tEnd=${config.tEnd}`, kind: 'gpu-run', label,
      basis: config.basis, N: config.N, L: config.L, state: config.state, dim: layoutForConfig(config).dim, tEnd: config.tEnd,
      ...(predictedSeconds !== undefined ? { predictedSeconds } : {}),
    };
    runs.push(rec);
    collectGarbage();
    const backend = make();
    const stop = new AbortController();
    const timer = budgetSeconds !== undefined ? setTimeout(() => stop.abort(), budgetSeconds * 1000) : undefined;
    let reached = 0;
    const t0 = nowSeconds();
    try {
      const r = await simulate(config, { backend, signal: stop.signal, onProgress: (p) => (reached = p.t) });
      rec.wallSeconds = nowSeconds() - t0;
      rec.matvecs = r.timing.matvecs;
      rec.finalDeltaSigmaZ = r.deltaSigmaZ[r.deltaSigmaZ.length - 1];
      rec.normDrift = Math.max(...r.norm.map((v) => Math.abs(v - r.norm[0])));
      log(`${rec.case}: ${sig(rec.wallSeconds)} s, ${rec.matvecs} H applications, final Delta sigma_z ${rec.finalDeltaSigmaZ.toFixed(6)}`);
    } catch (e) {
      if (stop.signal.aborted) {
        rec.wallSeconds = nowSeconds() - t0;
        rec.stoppedAt = reached;
        log(`${rec.case}: stopped at the ${budgetSeconds} s budget, t = ${reached} fs of ${config.tEnd}`);
      } else if (e instanceof ResourceError) {
        rec.skipped = e.message;
        log(`${rec.case}: skipped, ${e.message}`);
      } else {
        rec.failed = `failed: ${(e as Error).message}`;
        log(`${rec.case}: ${rec.failed}`);
      }
    } finally {
      clearTimeout(timer);
      await backend.dispose();
    }
    save(false);
    return rec;
  };
  const defaultLabel = args.quick ? 'small ring (--quick)' : 'paper default';
  const full = await timed(`${defaultLabel}, basis full`, shorten({}));
  const sector = await timed(`${defaultLabel}, basis sector`, shorten({ basis: 'sector' }));
  const half = await timed(`${defaultLabel}, basis antisymmetric`, shorten({ basis: 'antisymmetric' }));
  // The same physics in every basis: a difference beyond f32's tolerance is a fault, reported and counted as a failure.
  for (const other of [sector, half]) {
    if (full.finalDeltaSigmaZ !== undefined && other.finalDeltaSigmaZ !== undefined && !(Math.abs(full.finalDeltaSigmaZ - other.finalDeltaSigmaZ) < 1e-4)) {
      other.failed = `failed: its final Δσ_z ${other.finalDeltaSigmaZ} differs from basis full's ${full.finalDeltaSigmaZ} by more than f32's 1e-4`;
      log(`${other.case}: ${other.failed}`);
    }
  }

  // The long chain: the largest candidate whose predicted time (from the K = 2 term rate with 4 outputs) fits the budget.
  const candidates: RunConfigInput[] = args.quick
    ? [{ N: 20, L: 6, state: 'T-', basis: 'sector', tEnd: 2 }]
    : [[400, 64], [400, 32], [200, 32], [200, 16]].map(([N, L]) => ({ N, L, state: 'T-' as const, basis: 'sector' as const, tEnd: 150 }));
  const k2Rate = terms.filter((t) => t.K === 2 && t.outputs === 4 && t.ampsPerSecond).at(-1)?.ampsPerSecond;
  let chosen: { input: RunConfigInput; predicted?: number } | undefined;
  const passed: string[] = [];
  for (const input of candidates) {
    const { config, halfWidth } = problemOf(input);
    // Four output times of dt per expansion, as the backend prefers.
    const matvecs = Math.ceil(Math.round(config.tEnd / config.dt) / 4) * chebyshevSeries(halfWidth, config.dt, HBAR_EV_FS, 4, 'f32').terms;
    const predicted = k2Rate ? (matvecs * layoutForConfig(config).dim) / k2Rate : undefined;
    if (predicted === undefined || predicted <= args.longSeconds || input === candidates.at(-1)) {
      chosen = { input, predicted };
      break;
    }
    passed.push(`N = ${config.N}, L = ${config.L}: predicted ${sig(predicted)} s > ${args.longSeconds} s`);
  }
  await timed(`K = 2 long chain${passed.length ? ` (larger ones passed over: ${passed.join('; ')})` : ''}`, chosen!.input, args.longSeconds, chosen!.predicted);

  // The report, complete.
  const totalSeconds = nowSeconds() - started;
  save(true);
  log(`gpu-check: wrote ${join(args.out, 'gpu-check.json')} and gpu-check.md in ${sig(totalSeconds)} s`);
  resources.destroy();
  const failed = [...terms, ...runs].filter((x) => x.failed);
  if (failed.length) {
    console.error(`gpu-check: ${failed.length} case(s) failed (listed as failed in gpu-check.md): ${failed.map((x) => x.case).join(', ')}`);
    process.exitCode = 1;
  }
}

/** A message as one table cell: a pipe would end it. */
const cell = (text: string): string => text.replace(/\|/g, '/');

function markdown(r: {
  date: string; machine: string; description: string; software: boolean; adapterRecord: Record<string, unknown>;
  copyRecord?: CopyRecord; terms: TermRecord[]; runs: RunRecord[]; totalSeconds: number;
  budgets: GpuMemoryBudget[]; finished: boolean;
}): string {
  const a = r.adapterRecord;
  const lines = [
    `### WebGPU on ${r.description} (${r.date.slice(0, 10)})`,
    '',
    r.software
      ? '**A software adapter: these are CPU figures from a dry run of bench/gpu-check.sh, not GPU figures.**\n'
      : '',
    `Adapter: vendor ${a.vendor || '?'}, architecture ${a.architecture || '?'}, device ${a.device || '?'}, description ${a.infoDescription || '?'}; ` +
      `largest storage binding ${formatBytes(Number(a.maxStorageBufferBindingSize))}, timestamp queries ${a.timestampQuery ? 'yes' : 'no'}. Host: ${r.machine}`,
    '',
    r.copyRecord
      ? `Copy kernel (shaders/copy.wgsl, 16 B per amplitude) over ${formatBytes(r.copyRecord.amplitudes * 8)}: ` +
        `**${sig(r.copyRecord.gbs)} GB/s** (${sig(r.copyRecord.gbsMin)} … ${sig(r.copyRecord.gbsMax)}).`
      : 'Copy kernel: not measured yet.',
    '',
    'Fused term (one advance of a 12-half-width series, median of the timed advances after one warm-up); bytes per amplitude by the model: ' +
      `${F32_BYTES_PER_AMPLITUDE_TERM} with one output, ${BYTES_PER_EXTRA_OUTPUT} more per extra accumulator.`,
    '',
    '| case | dim | outputs | ms / term | G amplitudes/s | GB/s (model) | of copy | GPU memory |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.terms.map((t) => t.skipped || t.failed
      ? `| ${t.label} | ${t.dim.toLocaleString('en-US')} | ${t.outputs} | ${cell(t.failed ?? `skipped: ${t.skipped}`)} | | | | |`
      : `| ${t.label} | ${t.dim.toLocaleString('en-US')} | ${t.outputs} | ${sig(t.secondsPerTerm! * 1e3)} | ${sig(t.ampsPerSecond! / 1e9)} | ` +
        `${sig(t.effectiveGBs!)} | ${sig(100 * t.shareOfCopy!)} % | ${formatBytes(t.gpuMemoryBytes ?? 0).replace(/ \(.*/, '')} |`),
    '',
    'End to end (simulate(), wall time from the call to the result, including the initial state built on the host):',
    '',
    '| run | dim | tEnd | wall s | H applications | final Δσ_z | norm drift |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.runs.map((x) => x.skipped || x.failed
      ? `| ${x.label} (N = ${x.N}, L = ${x.L}, ${x.basis}) | ${x.dim.toLocaleString('en-US')} | ${x.tEnd} | ${cell(x.failed ?? `skipped: ${x.skipped}`)} | | | |`
      : x.stoppedAt !== undefined
        ? `| ${x.label} (N = ${x.N}, L = ${x.L}, ${x.basis}) | ${x.dim.toLocaleString('en-US')} | ${x.tEnd} | stopped at ${sig(x.wallSeconds!)} s, t = ${x.stoppedAt} fs | | | |`
        : `| ${x.label} (N = ${x.N}, L = ${x.L}, ${x.basis}, ${x.state}) | ${x.dim.toLocaleString('en-US')} | ${x.tEnd} | ${sig(x.wallSeconds!)} | ` +
          `${x.matvecs} | ${x.finalDeltaSigmaZ!.toFixed(6)} | ${x.normDrift!.toExponential(1)} |`),
    '',
    r.budgets.length ? `Largest memory budget of the check: ${describeGpuMemory(r.budgets.reduce((p, q) => (q.bytesNeeded > p.bytesNeeded ? q : p)))}.` : '',
    '',
    r.finished ? `The whole check took ${sig(r.totalSeconds)} s.` : `**Unfinished: written after ${sig(r.totalSeconds)} s; the check stopped before its last case (its timeout, or a crash).**`,
    '',
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
