/**
 * The grid's records as markdown: one table per backend (measured and skipped
 * cases alike), the speed-ups against the CPU on every core from the same run,
 * and the cost per amplitude over (N, L), which is flat where the cost grows
 * as N² 2^L. Strings only, so the Node harness (docs/benchmarks.md, the .md
 * next to the JSON) and the browser page can both use it.
 */

import { formatBytes } from '../../src/backends/memory.js';
import { phaseSplit, sig } from './figures.js';
import { isMeasured, type GridRecord, type MeasuredRecord } from './grid.js';

export interface GridRunInfo {
  /** ISO date of the run. */
  date: string;
  /** Where it ran, in one sentence (CPU, cores, memory, runtime, load). */
  machine: string;
  quick: boolean;
  reps: number;
  /** α of the timed step exp(−i H̃ α). */
  alpha: number;
  maxCaseSeconds: number;
  totalSeconds: number;
}

/** One (backend, threads) pair, in the order the run met them. */
export function targetsOf(records: readonly GridRecord[]): { backend: string; threads: number; records: GridRecord[] }[] {
  const out: { backend: string; threads: number; records: GridRecord[] }[] = [];
  for (const r of records) {
    let t = out.find((x) => x.backend === r.backend && x.threads === r.threads);
    if (!t) out.push((t = { backend: r.backend, threads: r.threads, records: [] }));
    t.records.push(r);
  }
  return out;
}

export const targetLabel = (t: { backend: string; threads: number }): string =>
  t.backend === 'webgpu' ? 'webgpu' : `${t.backend}, ${t.threads} thread${t.threads > 1 ? 's' : ''}`;

const bytes = (b?: number) => (b === undefined ? '—' : formatBytes(b).replace(/ \(\d+ bytes\)$/, ''));
const ms = (s: number) => sig(s * 1e3);
const nsPerAmp = (r: MeasuredRecord) => sig(1e9 / r.ampsPerSecond);

function backendTable(records: readonly GridRecord[]): string[] {
  const out = [
    '| N | L | dim | memory | ms per term | min … max | M amplitudes/s | ns per amplitude | effective GB/s | of copy | case s | note |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of records) {
    const head = `| ${r.N} | ${r.L} | ${r.dim.toLocaleString('en-US')} | ${bytes(r.memoryBytes)} |`;
    if (isMeasured(r)) {
      out.push(`${head} ${ms(r.secondsPerTerm)} | ${ms(r.secondsPerTermMin)} … ${ms(r.secondsPerTermMax)} | ${sig(r.ampsPerSecond / 1e6)} | ` +
        `${nsPerAmp(r)} | ${sig(r.effectiveGBs)} | ${r.bandwidthRatio === undefined ? '—' : `${sig(100 * r.bandwidthRatio, 2)} %`} | ${sig(r.caseSeconds, 2)} | ` +
        `${r.phases ? phaseSplit(r.phases) : ''} |`);
    } else {
      const note = r.skipKind === 'memory'
        ? `skipped, memory: needs ${bytes(r.bytesNeeded)}, allowed ${bytes(r.bytesAllowed)}`
        : r.skipKind === 'time'
          ? `skipped, time: predicted ${sig(r.predictedSeconds ?? NaN, 2)} s > ${sig(r.maxCaseSeconds ?? NaN)} s`
          : `skipped: ${r.skipped}`;
      out.push(`${head} — | — | — | — | — | — | — | ${note} |`);
    }
  }
  return out;
}

/** Throughput of every backend over the CPU's on every core, case by case, from the same run. */
function speedups(records: readonly GridRecord[]): string[] {
  const measured = records.filter(isMeasured);
  const cpuAll = Math.max(0, ...measured.filter((r) => r.backend === 'cpu').map((r) => r.threads));
  const base = measured.filter((r) => r.backend === 'cpu' && r.threads === cpuAll);
  const others = targetsOf(measured).filter((t) => !(t.backend === 'cpu' && t.threads === cpuAll));
  if (base.length === 0 || others.length === 0) return [];
  const out = [
    `Throughput of each backend over the CPU backend's with ${cpuAll} thread${cpuAll > 1 ? 's' : ''} at the same N, L (×; above 1 is faster), from this run:`,
    '',
    `| N | L | ${others.map((t) => targetLabel(t) + (t.records.some((r) => r.software) ? ' (software adapter)' : '')).join(' | ')} |`,
    `| ---: | ---: | ${others.map(() => '---:').join(' | ')} |`,
  ];
  for (const b of base) {
    const cells = others.map((t) => {
      const r = t.records.find((x) => x.N === b.N && x.L === b.L) as MeasuredRecord | undefined;
      return r ? sig(r.ampsPerSecond / b.ampsPerSecond) : '—';
    });
    if (cells.some((c) => c !== '—')) out.push(`| ${b.N} | ${b.L} | ${cells.join(' | ')} |`);
  }
  return out;
}

/** ns per amplitude per term, L by N: equal cells mean a cost that grows exactly as N² 2^L. */
function costGrid(t: { backend: string; threads: number; records: GridRecord[] }): string[] {
  const m = t.records.filter(isMeasured);
  if (m.length < 2) return [];
  const ns = [...new Set(t.records.map((r) => r.N))].sort((a, b) => a - b);
  const ls = [...new Set(t.records.map((r) => r.L))].sort((a, b) => a - b);
  const cost = m.map((r) => 1e9 / r.ampsPerSecond);
  const out = [
    `**${targetLabel(t)}**: ns per amplitude per term (${sig(Math.min(...cost))} … ${sig(Math.max(...cost))}, ` +
      `a spread of ${sig(Math.max(...cost) / Math.min(...cost), 2)}× over a ${sig(Math.max(...m.map((r) => r.dim)) / Math.min(...m.map((r) => r.dim)), 2)}× range of dim)`,
    '',
    `| L \\ N | ${ns.join(' | ')} |`,
    `| ---: | ${ns.map(() => '---:').join(' | ')} |`,
  ];
  for (const L of ls) {
    out.push(`| ${L} | ${ns.map((N) => {
      const r = m.find((x) => x.N === N && x.L === L);
      return r ? nsPerAmp(r) : '—';
    }).join(' | ')} |`);
  }
  return out;
}

/** The body of the generated grid section (without markers). */
export function gridMarkdown(records: readonly GridRecord[], info: GridRunInfo): string {
  const out: string[] = [];
  const measured = records.filter(isMeasured);
  const terms = (p: string) => measured.find((r) => r.precision === p)?.terms;
  out.push(`## Throughput grid${info.quick ? ' — quick run (`--quick`: two cases, a shorter series; not the figures of the full grid)' : ''}`, '');
  out.push(`Measured ${info.date.slice(0, 16).replace('T', ' ')} UTC in ${sig(info.totalSeconds)} s on: ${info.machine}`, '');
  out.push('One sample is one `backend.advance()` of a whole Chebyshev expansion with one accumulator, as the propagator ' +
    `calls it per output time: the series of exp(−i H̃ α) for α = ${info.alpha} (${terms('f64') ?? '—'} terms in f64, ${terms('f32') ?? '—'} in f32), ` +
    'so the state keeps norm 1 and the norm is checked after the samples. Time per term = time per advance / terms; the reduction ' +
    'of the result (observables and ⟨H⟩, one more H application) is included, as `timing.matvecs` counts it. ' +
    `One warm-up advance, then ${info.reps} timed advances: the median, and the fastest … slowest sample. ` +
    'GPU backends are timed by wall clock from submit to the read-back of the reductions.', '');
  out.push('Bytes-moved model of one fused term, per amplitude: read T_k, read T_{k−1}, write T_{k+1}, read and write the ' +
    'accumulator: on the CPU, whose kernels add the terms three at a time, the accumulator once per three terms, 3 ⅔ complex ' +
    'amplitudes, 58.7 bytes in f64 (cpu); on the others every term, 5 complex amplitudes, 40 bytes in f32 (webgpu, gpu.js); ' +
    'the neighbour reads of T_k for the hopping are taken to hit the cache. Effective GB/s = amplitudes/s × those bytes / 10⁹; "of copy" sets it against the copy ' +
    'bandwidth measured in the same run: ' +
    targetsOf(measured).map((t) => `${targetLabel(t)}: ${(t.records[0] as MeasuredRecord).bandwidthReference}`).join('; ') + '.', '');
  out.push('"memory" is what the case holds by the backend\'s model (cpu: state, work vector, accumulator and initial state, as ' +
    '`simulate()` checks it; webgpu: the GPU buffers it allocated, or the chunk plan\'s total for a refused case; gpu.js: the host ' +
    'bytes of its kernels\' inputs and outputs). A case that does not fit is listed with what it needs and what is allowed. ' +
    (info.maxCaseSeconds === Infinity
      ? 'No time budget in this run: every case that fits ran.'
      : `A case whose predicted time (the throughput at a smaller state of the same backend, with the same L or else the nearest smaller L, × (1 + ${info.reps}) advances) ` +
        `exceeds --max-case-seconds = ${sig(info.maxCaseSeconds)} s is listed with its prediction, not run.`), '');
  for (const t of targetsOf(records)) {
    const sw = t.records.some((r) => r.software);
    out.push(`### ${targetLabel(t)}${t.records[0].precision === 'f64' ? ' (f64)' : ' (f32)'}`, '');
    const first = measured.find((r) => r.backend === t.backend && r.threads === t.threads);
    out.push(`${first ? first.description : t.records[0].description}.` +
      (sw ? ' **A software adapter (a CPU implementation of the GPU API): these are CPU figures, not GPU figures; they prove correctness, not GPU speed.**' : ''), '');
    out.push(...backendTable(t.records), '');
  }
  const s = speedups(records);
  if (s.length) out.push('### Speed-ups', '', ...s, '');
  const grids = targetsOf(records).map(costGrid).filter((g) => g.length);
  if (grids.length) {
    out.push('### Cost per amplitude over N and L', '',
      'ns per amplitude per term (1 / throughput). A cost that grows as N² 2^L, the state size, gives the same figure in every cell; ' +
      'where a row or column drifts, the cost per amplitude depends on the shape of the state, not only on its size.', '');
    for (const g of grids) out.push(...g, '');
  }
  return out.join('\n').replace(/\n+$/, '');
}
