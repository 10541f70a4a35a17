/**
 * The "sector" section of the benchmarks (issue 12): what basis "sector"
 * (MODEL.md, Symmetry) buys on the CPU backend, every ratio measured in one
 * run, back to back:
 *
 * - the paper's default singlet run, and Fig. 4's 16-angle theta sweep, with
 *   --basis full and --basis sector (the state is 10.7 times smaller);
 * - the fused term's throughput at equal state size: the full basis at
 *   N = 200, L = 4 against the sector of K = 1 at N = 200, L = 64 (both about
 *   2.6e6 amplitudes), and N = 100, L = 6 against K = 2 at N = 100, L = 21;
 * - the grid of long chains, L = 8, 16, 32, 64 at N = 200 for K = 1 and 2
 *   (run-grid.ts: each case measured or skipped with its reason);
 * - Chebyshev terms per expansion against L in both bases (the sector's
 *   Gershgorin bound on J_ex does not grow with L);
 * - the long-chain targets end to end: K = 1 at N = 200, L = 64 over 80 fs
 *   (against twice the full-basis default run), K = 1 at N = 400, L = 64 over
 *   150 fs, K = 2 at N = 200, L = 32 over 80 fs.
 */

import { resolvedConfig } from '../src/model/basis.js';
import { parseRunConfig, type RunConfigInput } from '../src/model/config.js';
import { hamiltonianTerms } from '../src/model/hamiltonian.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { chebyshevSeries } from '../src/propagator/chebyshev.js';
import { HBAR_EV_FS } from '../src/model/units.js';
import { simulate } from '../src/simulate.js';
import { equallySpacedAngles, thetaSweep } from '../src/studies/theta-sweep.js';
import { nowSeconds, sig } from './core/figures.js';
import { isMeasured, type GridCase, type GridRecord, type MeasuredRecord } from './core/grid.js';
import { collectGarbage } from './stats.js';

/** The long-chain grid: N = 200, L = 8 … 64, one and two down spins. */
export const SECTOR_GRID: readonly GridCase[] = [1, 2].flatMap((K) => [8, 16, 32, 64].map((L) => ({ N: 200, L, basis: 'sector' as const, K: K as 1 | 2 })));

/** Pairs of cases of about the same state size: the full basis, and a sector. */
export const EQUAL_SIZE_PAIRS: readonly [GridCase, GridCase][] = [
  // The same L: what the kernel itself costs per amplitude (blocks of 6 configurations against 64).
  [{ N: 200, L: 4 }, { N: 640, L: 4, basis: 'sector', K: 1 }],
  [{ N: 200, L: 4 }, { N: 200, L: 64, basis: 'sector', K: 1 }],
  [{ N: 100, L: 6 }, { N: 100, L: 21, basis: 'sector', K: 2 }],
];

/** The cases of EQUAL_SIZE_PAIRS, each once. */
export function equalSizeCases(): GridCase[] {
  const seen = new Map<string, GridCase>();
  for (const c of EQUAL_SIZE_PAIRS.flat()) seen.set(JSON.stringify(c), c);
  return [...seen.values()];
}

/**
 * The long-chain targets of issue 12 and their wall-time budgets on a 2-core
 * machine: in seconds, or as a multiple of the full-basis paper-default run
 * measured just before (K = 1 at L = 64 has that run's dimension).
 */
export const SECTOR_TARGETS: readonly { label: string; config: RunConfigInput; budgetSeconds?: number; budgetInDefaultRuns?: number }[] = [
  { label: 'K = 1, N = 200, L = 64, 80 fs', config: { N: 200, L: 64, state: 'singlet', basis: 'sector' }, budgetInDefaultRuns: 2 },
  { label: 'K = 1, N = 400, L = 64, 150 fs', config: { N: 400, L: 64, state: 'singlet', basis: 'sector', tEnd: 150 }, budgetSeconds: 360 },
  { label: 'K = 2, N = 200, L = 32, 80 fs', config: { N: 200, L: 32, state: 'T-', basis: 'sector', tEnd: 80 }, budgetSeconds: 600 },
];

export interface SectorRunRecord {
  case: string;
  kind: 'sector-run';
  label: string;
  basis: string;
  backend: string;
  description: string;
  N: number;
  L: number;
  state: string;
  dim: number;
  tEnd: number;
  wallSeconds: number;
  matvecs: number;
  finalDeltaSigmaZ: number;
  normDrift: number;
  budgetSeconds?: number;
}

export interface SweepPairRecord {
  case: string;
  kind: 'sector-theta-sweep';
  points: number;
  fullSeconds: number;
  sectorSeconds: number;
  ratio: number;
  maxDiff: number;
}

/** One simulate() on the CPU backend, timed from the call to the result. */
export async function timedRun(label: string, input: RunConfigInput, budgetSeconds?: number, log?: (s: string) => void): Promise<SectorRunRecord> {
  collectGarbage();
  let description = '';
  const t0 = nowSeconds();
  const r = await simulate(input, {
    backend: 'cpu',
    onBackend: (_n, d) => (description = d),
    onProgress: log ? progressLogger(label, log) : undefined,
  });
  const wallSeconds = nowSeconds() - t0;
  const c = r.config;
  return {
    case: `cpu:sector-run:${c.basis}:N=${c.N},L=${c.L},state=${c.state},tEnd=${c.tEnd}`,
    kind: 'sector-run', label, basis: c.basis, backend: r.backend, description,
    N: c.N, L: c.L, state: c.state, dim: r.dim, tEnd: c.tEnd, wallSeconds, matvecs: r.timing.matvecs,
    finalDeltaSigmaZ: r.deltaSigmaZ[r.deltaSigmaZ.length - 1],
    normDrift: Math.max(...r.norm.map((v) => Math.abs(v - r.norm[0]))),
    budgetSeconds,
  };
}

/** A line every 10 % of a long run. */
function progressLogger(label: string, log: (s: string) => void) {
  let next = 0.1;
  return (p: { fraction: number; elapsedSeconds: number; etaSeconds?: number }) => {
    if (p.fraction + 1e-9 < next) return;
    next = Math.floor(p.fraction * 10 + 1) / 10;
    log(`  ${label}: ${Math.round(100 * p.fraction)} % after ${sig(p.elapsedSeconds)} s` + (p.etaSeconds !== undefined ? `, about ${sig(p.etaSeconds)} s left` : ''));
  };
}

/** The paper-default singlet run in both bases, back to back. */
export async function measureDefaultRunBases(log: (s: string) => void): Promise<[SectorRunRecord, SectorRunRecord]> {
  const full = await timedRun('paper default, basis full', { basis: 'full' });
  log(`${full.case}: ${sig(full.wallSeconds)} s`);
  const sector = await timedRun('paper default, basis sector', { basis: 'sector' });
  log(`${sector.case}: ${sig(sector.wallSeconds)} s (${sig(full.wallSeconds / sector.wallSeconds)} times faster)`);
  const diff = Math.abs(full.finalDeltaSigmaZ - sector.finalDeltaSigmaZ);
  if (!(diff < 1e-9)) throw new Error(`the sector's default run differs from the full basis's by ${diff}`);
  return [full, sector];
}

/** Fig. 4's 16-angle sweep (paper defaults) in both bases, back to back. */
export async function measureThetaSweepBases(points: number, log: (s: string) => void): Promise<SweepPairRecord> {
  const config = { N: 200, L: 4, tEnd: 80, dt: 0.5, basis: 'full' as const };
  const angles = equallySpacedAngles(points);
  collectGarbage();
  const t0 = nowSeconds();
  const full = await thetaSweep(config, angles, { backend: 'cpu' });
  const fullSeconds = nowSeconds() - t0;
  collectGarbage();
  const t1 = nowSeconds();
  const sector = await thetaSweep({ ...config, basis: 'sector' }, angles, { backend: 'cpu' });
  const sectorSeconds = nowSeconds() - t1;
  let maxDiff = 0;
  full.results.forEach((r, q) => r.deltaSigmaZ.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - sector.results[q].deltaSigmaZ[k])))));
  if (!(maxDiff < 1e-9)) throw new Error(`the sector's theta sweep differs from the full basis's by ${maxDiff}`);
  const rec: SweepPairRecord = {
    case: `cpu:sector-theta-sweep:N=200,L=4,points=${points}`, kind: 'sector-theta-sweep', points,
    fullSeconds, sectorSeconds, ratio: fullSeconds / sectorSeconds, maxDiff,
  };
  log(`${rec.case}: full ${sig(fullSeconds)} s, sector ${sig(sectorSeconds)} s (${sig(rec.ratio)} times faster)`);
  return rec;
}

/** Chebyshev terms of one expansion of 4 output times of 0.5 fs (the CPU default) at paper couplings, N = 200. */
export function termsPerExpansion(L: number, basis: 'full' | 'sector', state: 'singlet' | 'T-' = 'singlet'): { halfWidth: number; terms: number } {
  const h = hamiltonianTerms(resolvedConfig(parseRunConfig({ N: 200, L, basis, state }), basis));
  const { halfWidth } = spectralScale(spectralBounds(h));
  return { halfWidth, terms: chebyshevSeries(halfWidth, 0.5, HBAR_EV_FS, 4, 'f64').terms };
}

export interface SectorReport {
  defaultRuns?: [SectorRunRecord, SectorRunRecord];
  sweep?: SweepPairRecord;
  /** The equal-size cases, PAIR_ROUNDS rounds of all of them (records carry their round). */
  pairs: (GridRecord & { round?: number })[];
  grid: GridRecord[];
  targets: SectorRunRecord[];
  machine: string;
  date: string;
}

/** Rounds of the equal-size cases: this machine's speed drifts by 10-30 % over minutes, so each pair's ratio is taken within a round and the median over the rounds given. */
export const PAIR_ROUNDS = 3;

/** The equal-size cases, PAIR_ROUNDS times over (the two of a pair measured back to back in each round). */
export async function measureEqualSizePairs(measureRound: () => Promise<GridRecord[]>): Promise<(GridRecord & { round: number })[]> {
  const out: (GridRecord & { round: number })[] = [];
  for (let round = 1; round <= PAIR_ROUNDS; round++) out.push(...(await measureRound()).map((r) => ({ ...r, case: `${r.case}:round=${round}`, round })));
  return out;
}

function sameCase(p: MeasuredRecord, c: GridCase): boolean {
  return p.N === c.N && p.L === c.L && (p.basis ?? 'full') === (c.basis ?? 'full') && (c.basis !== 'sector' || p.K === c.K);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * The throughput of each sector case over its full-basis partner of
 * EQUAL_SIZE_PAIRS, within each round where both were measured: the median
 * and the range over the rounds.
 */
export function equalSizeRatios(pairs: readonly (MeasuredRecord & { round?: number })[]): { label: string; ratio: number; min: number; max: number; rounds: number }[] {
  const rounds = [...new Set(pairs.map((p) => p.round ?? 1))];
  return EQUAL_SIZE_PAIRS.flatMap(([full, sector]) => {
    const ratios = rounds.flatMap((round) => {
      const inRound = pairs.filter((p) => (p.round ?? 1) === round);
      const f = inRound.find((p) => sameCase(p, full)), s = inRound.find((p) => sameCase(p, sector));
      return f && s ? [s.ampsPerSecond / f.ampsPerSecond] : [];
    });
    return ratios.length
      ? [{ label: `K = ${sector.K}, N = ${sector.N}, L = ${sector.L} against N = ${full.N}, L = ${full.L}`, ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios.length }]
      : [];
  });
}

/** Sector over full seconds per amplitude and term of the same-L pair (L = 4), if both were measured. */
function sameL(r: SectorReport): number | undefined {
  const q = equalSizeRatios(r.pairs.filter(isMeasured) as MeasuredRecord[]).find((x) => x.label.includes('L = 4 against'));
  return q ? 1 / q.ratio : undefined;
}

const fmtSeconds = (s: number) => (s >= 100 ? `${s.toFixed(0)} s` : `${s.toFixed(1)} s`);

export function sectorMarkdown(r: SectorReport): string {
  const out: string[] = [`Measured ${r.date} on ${r.machine.replace(/\.+$/, '')}. CPU backend, f64, every thread unless stated; ratios are from this one run.`, ''];
  if (r.defaultRuns) {
    const [full, sector] = r.defaultRuns;
    out.push(
      '**The paper-default singlet run** (N = 200, L = 4, 80 fs in steps of 0.5 fs):',
      '',
      '| basis | amplitudes | H applications | wall time | speed-up |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| full | ${full.dim} | ${full.matvecs} | ${fmtSeconds(full.wallSeconds)} | 1 |`,
      `| sector (K = 1) | ${sector.dim} | ${sector.matvecs} | ${fmtSeconds(sector.wallSeconds)} | **${(full.wallSeconds / sector.wallSeconds).toFixed(1)}** |`,
      '',
      `The state is ${(full.dim / sector.dim).toFixed(1)} times smaller and the same number of H applications runs (the bounds are the same at L = 4); the run is ${(full.wallSeconds / sector.wallSeconds).toFixed(1)} times faster. ` +
        `Per amplitude and H application the whole sector run costs ${((sector.wallSeconds / sector.dim) / (full.wallSeconds / full.dim)).toFixed(2)} times the full basis's` +
        (sameL(r) ? `; the fused term alone, at L = 4 and equal state size (below), costs ${sameL(r)!.toFixed(2)} times` : '') +
        '. What is left is what a run does besides the terms, which weighs more in a run this much shorter: one reduction per output time (an H application, the density matrix, S_z and n(x)), the initial state and the worker start-up.',
      '',
    );
  }
  if (r.sweep) {
    out.push(
      `**Fig. 4's ${r.sweep.points}-angle theta sweep** (paper defaults): basis full ${fmtSeconds(r.sweep.fullSeconds)}, basis sector ${fmtSeconds(r.sweep.sectorSeconds)}: **${r.sweep.ratio.toFixed(1)} times faster**; the two sweeps agree to ${r.sweep.maxDiff.toExponential(1)}.`,
      '',
    );
  }
  const measured = (rs: GridRecord[]) => rs.filter(isMeasured) as MeasuredRecord[];
  const pairs = measured(r.pairs);
  if (pairs.length) {
    out.push(
      `**The fused Chebyshev term at equal state size** (one timed expansion, one accumulator; ${PAIR_ROUNDS} rounds over the five cases, each round's figure the median of its samples, the table the median over the rounds):`,
      '',
      '| case | threads | amplitudes | ns per amplitude and term | M amplitudes/s | rounds: M amplitudes/s |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      ...equalSizeCases().flatMap((c) => {
        const rs = pairs.filter((p) => sameCase(p, c));
        if (!rs.length) return [];
        const amps = median(rs.map((p) => p.ampsPerSecond));
        return [`| ${c.basis === 'sector' ? `sector K = ${c.K}, N = ${c.N}, L = ${c.L}` : `full, N = ${c.N}, L = ${c.L}`} | ${rs[0].threads} | ${rs[0].dim} | ${sig(1e9 / amps)} | ${sig(amps / 1e6)} | ${rs.map((p) => sig(p.ampsPerSecond / 1e6)).join(', ')} |`];
      }),
      '',
      `Sector against full, amplitudes per second within a round (target: at least 1), median (lowest … highest) over the rounds: ${equalSizeRatios(pairs).map((q) => `${q.label}: **${q.ratio.toFixed(2)}** (${q.min.toFixed(2)} … ${q.max.toFixed(2)})`).join('; ')}.`,
      '',
    );
  }
  if (r.grid.length) {
    out.push(
      '**Long chains** (N = 200; skipped cases say why):',
      '',
      '| K | L | threads | amplitudes | ms per term | M amplitudes/s | or skipped |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...r.grid.map((g) => isMeasured(g)
        ? `| ${g.K} | ${g.L} | ${g.threads} | ${g.dim} | ${sig(g.secondsPerTerm * 1e3)} | ${sig(g.ampsPerSecond / 1e6)} | |`
        : `| ${g.K} | ${g.L} | ${g.threads} | ${g.dim} | | | ${g.skipped} |`),
      '',
    );
  }
  out.push(
    '**Chebyshev terms per expansion** (4 output times of 0.5 fs, paper couplings, N = 200): the full basis bounds J_ex by the sum over bonds, (L − 1) · 3/4 J_ex above and (L − 1) · J_ex/4 below; the sector bounds the whole J_ex term by Gershgorin on its rows in the sector, which does not grow with L.',
    '',
    '| L | full: half-width (eV) | full: terms | sector K = 1: half-width | terms | sector K = 2: half-width | terms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[4, 8, 12, 16, 24, 32, 64, 128].map((L) => {
      const full = L <= 24 ? termsPerExpansion(L, 'full') : undefined;
      const k1 = termsPerExpansion(L, 'sector'), k2 = termsPerExpansion(L, 'sector', 'T-');
      return `| ${L} | ${full ? full.halfWidth.toFixed(3) : '–'} | ${full ? full.terms : '–'} | ${k1.halfWidth.toFixed(3)} | ${k1.terms} | ${k2.halfWidth.toFixed(3)} | ${k2.terms} |`;
    }),
    '',
  );
  if (r.targets.length) {
    out.push(
      '**Long-chain targets**, end to end through simulate():',
      '',
      'The first budget is twice the full-basis paper-default run above (N = 200, L = 4: the same dimension and the same time).',
      '',
      '| run | amplitudes | H applications | wall time | budget | final Δσ_z | norm drift |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...r.targets.map((t) => `| ${t.label} | ${t.dim} | ${t.matvecs} | ${fmtSeconds(t.wallSeconds)} | ${t.budgetSeconds ? fmtSeconds(t.budgetSeconds) : ''}${t.budgetSeconds ? (t.wallSeconds <= t.budgetSeconds ? ' (met)' : ' (missed)') : ''} | ${t.finalDeltaSigmaZ.toFixed(6)} | ${t.normDrift.toExponential(1)} |`),
      '',
    );
  }
  return out.join('\n');
}
