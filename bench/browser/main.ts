/**
 * bench.html: the benchmark grid in a browser — WebGPU (navigator.gpu), gpu.js
 * in webgl2 mode, the CPU backend on one thread and on every core (Web Workers
 * over SharedArrayBuffer, which needs a cross-origin isolated page) — with the
 * same cases, records and figures as `npm run bench` (bench/core/), a results
 * table, two charts and a JSON download.
 *
 * `?quick` in the address runs the quick grid on load. Scripts (the page test)
 * call globalThis.spinBench.run(options) and get the records.
 */

import { cpuTarget, gpuJsTarget } from '../core/targets.js';
import { copyBandwidthCache, hostCopyDescription } from '../core/copy-bandwidth.js';
import { nowSeconds, sig } from '../core/figures.js';
import { DEFAULT_MAX_CASE_SECONDS, gridCases, isMeasured, QUICK_ALPHA, QUICK_CASES, type GridCase, type GridRecord } from '../core/grid.js';
import { DEFAULT_ALPHA, runGrid, type BandwidthReference, type GridTarget } from '../core/run-grid.js';
import { webGpuTarget } from '../core/webgpu-target.js';
import { formatBytes } from '../../src/backends/memory.js';
import { GridCharts } from './charts.js';
import { measureBrowserCopy } from './copy-worker.js';

export type BrowserBackend = 'webgpu' | 'gpujs-webgl2' | 'cpu';

export interface BrowserRunOptions {
  /** The quick grid (N = 50, L = 2 and N = 100, L = 4, α = 4, 3 samples, no budget). */
  quick?: boolean;
  /** Cases to run instead of the grid (the page test runs tiny ones). */
  cases?: GridCase[];
  /** Backends to run (default all); the CPU runs on one thread and on every core. */
  backends?: BrowserBackend[];
  reps?: number;
  alpha?: number;
  maxCaseSeconds?: number;
}

/** A browser's figures carry where they ran, as the Node records carry `machine`. */
export type BrowserRecord = GridRecord & { date: string; quick: boolean; machine: { userAgent: string; cores: number; deviceMemoryGiB?: number; crossOriginIsolated: boolean } };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let records: BrowserRecord[] = [];
let charts: GridCharts | undefined;
let running = false;

function machine(): BrowserRecord['machine'] {
  return {
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency ?? 1,
    deviceMemoryGiB: (navigator as { deviceMemory?: number }).deviceMemory,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
}

async function browserTargets(backends: readonly BrowserBackend[]): Promise<GridTarget[]> {
  const cores = navigator.hardwareConcurrency ?? 1;
  const copy = copyBandwidthCache(measureBrowserCopy);
  const isolated = globalThis.crossOriginIsolated === true;
  const targets: GridTarget[] = [];
  if (backends.includes('cpu')) {
    targets.push(cpuTarget(1, copy));
    if (cores > 1) {
      targets.push(isolated
        ? cpuTarget(cores, copy)
        : { backend: 'cpu', precision: 'f64', threads: cores, unavailable: 'this page is not cross-origin isolated, so there is no SharedArrayBuffer and the CPU backend runs on one thread' });
    }
  }
  if (backends.includes('webgpu')) targets.push(await webGpuTarget());
  if (backends.includes('gpujs-webgl2')) {
    // No copy kernel of ours is timed on WebGL2: the host copy on one thread stands in, and says so.
    const reference = async (): Promise<BandwidthReference> => {
      const b = await copy.get(1);
      return { gbs: b.gbs.median, what: `no WebGL2 copy kernel is timed; stand-in: ${hostCopyDescription(b)}` };
    };
    targets.push(await gpuJsTarget('webgl2', 1, reference));
  }
  return targets;
}

/** Runs the grid in this page; the table, the charts and the progress line follow as records come in. */
async function run(options: BrowserRunOptions = {}): Promise<BrowserRecord[]> {
  if (running) throw new Error('a benchmark run is already under way');
  running = true;
  const button = $<HTMLButtonElement>('run');
  button.disabled = true;
  try {
    const quick = options.quick ?? false;
    const cases = options.cases ?? (quick ? [...QUICK_CASES] : gridCases());
    const targets = await browserTargets(options.backends ?? ['webgpu', 'gpujs-webgl2', 'cpu']);
    const date = new Date().toISOString();
    const m = machine();
    records = [];
    renderTable();
    charts?.update([]);
    const total = targets.length * cases.length;
    const t0 = nowSeconds();
    let last = '';
    const progress = $('progress');
    progress.textContent = `running ${total} cases on ${targets.length} backends …`;
    await runGrid(targets, cases, {
      reps: options.reps ?? (quick ? 3 : 5),
      alpha: options.alpha ?? (quick ? QUICK_ALPHA : DEFAULT_ALPHA),
      maxCaseSeconds: options.maxCaseSeconds ?? (quick ? Infinity : DEFAULT_MAX_CASE_SECONDS),
      log: (line) => (last = line),
      onRecord: (r) => {
        records.push({ ...r, date, quick, machine: m });
        progress.textContent = `${records.length} / ${total} cases, ${sig(nowSeconds() - t0, 2)} s — ${last}`;
        renderTable();
        charts?.update(records);
      },
    });
    progress.textContent = `done: ${records.filter(isMeasured).length} measured, ${records.filter((r) => !isMeasured(r)).length} skipped, in ${sig(nowSeconds() - t0, 2)} s`;
    $<HTMLButtonElement>('download').disabled = false;
    return records;
  } catch (e) {
    $('progress').textContent = `failed: ${(e as Error).message}`;
    throw e;
  } finally {
    running = false;
    button.disabled = false;
  }
}

function renderTable(): void {
  const body = $('results').querySelector('tbody')!;
  body.replaceChildren(...records.map((r) => {
    const tr = document.createElement('tr');
    const cells = isMeasured(r)
      ? [`${sig(r.secondsPerTerm * 1e3)} (${sig(r.secondsPerTermMin * 1e3)} … ${sig(r.secondsPerTermMax * 1e3)})`, sig(r.ampsPerSecond / 1e6),
          sig(r.effectiveGBs), r.bandwidthRatio === undefined ? '—' : `${sig(100 * r.bandwidthRatio, 2)} %`, r.software ? 'software adapter: CPU figures' : '']
      : ['—', '—', '—', '—', `skipped: ${r.skipped}`];
    const mem = r.memoryBytes === undefined ? '—' : formatBytes(r.memoryBytes).replace(/ \(\d+ bytes\)$/, '');
    for (const text of [r.backend, String(r.threads), String(r.N), String(r.L), r.dim.toLocaleString('en-US'), mem, ...cells]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
}

function download(): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(records, null, 2)}\n`], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `spin-transfer-bench-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

charts = new GridCharts($('charts'));
$('run').addEventListener('click', () => void run({ quick: $<HTMLInputElement>('quick').checked }).catch(() => {}));
$('download').addEventListener('click', download);
$('isolation').textContent = globalThis.crossOriginIsolated
  ? `cross-origin isolated: the CPU backend can use ${navigator.hardwareConcurrency ?? 1} threads.`
  : 'not cross-origin isolated: no SharedArrayBuffer, so the CPU backend runs on one thread (serve the page with COOP/COEP headers for more).';

(globalThis as { spinBench?: unknown }).spinBench = { run, records: () => records };
if (new URLSearchParams(location.search).has('quick')) void run({ quick: true }).catch(() => {});
