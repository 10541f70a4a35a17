/**
 * What basis "antisymmetric" (one amplitude per exchange pair, model/
 * antisymmetric.ts) buys over basis "sector" on the CPU backend, each ratio
 * taken within an interleaved pair (this machine's speed drifts over
 * minutes), the median over the rounds reported:
 *
 * - memory: amplitudes of both layouts (the state and every work vector
 *   shrink by (N + 1) / 2N);
 * - the term's throughput at equal state size, amplitudes per second of the
 *   bare H~ application (the term pass without accumulation) on one thread:
 *   the sector at N against the antisymmetric layout at the N' with
 *   N'(N'+1)/2 ≈ N^2 (target: >= 0.9);
 * - the paper's default singlet run end to end (target: >= 1.7 times faster),
 *   and its work without the worker threads' synchronization: one expansion
 *   of 4 output times and their 4 reductions, in one thread, the two bases
 *   in turn (on a loaded machine a thread that waits at a barrier for a
 *   descheduled partner costs the same in both bases, which hides the gain).
 *
 * Run: npm run build && node --expose-gc dist/bench/antisymmetric.js [rounds]
 */

import { createCpuBackend } from '../src/backends/cpu/cpu-backend.js';
import { reduceRange, runExpansion } from '../src/backends/cpu/expansion.js';
import { blockOperator } from '../src/backends/cpu/kernel.js';
import { prepareProblem } from '../src/propagator/propagate.js';
import { resolvedConfig } from '../src/model/basis.js';
import { parseRunConfig as parseAnyBasis, type RunConfigInput } from '../src/model/config.js';

/** A case's config; every case names its basis ("auto" would be read as the full basis). */
const parseRunConfig = (input: RunConfigInput) => resolvedConfig(parseAnyBasis(input), 'full');
import { hamiltonianTerms, scaledHamiltonian } from '../src/model/hamiltonian.js';
import { initialState } from '../src/model/initial-state.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { simulate } from '../src/simulate.js';
import { nowSeconds, sig, spread } from './core/figures.js';
import { collectGarbage } from './stats.js';

/** A CPU backend on `threads` threads holding the initial state of `input`, warmed up. */
async function loaded(input: RunConfigInput, threads: number) {
  const config = parseRunConfig(input);
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  const backend = createCpuBackend({ threads });
  await backend.load({ hamiltonian, scaled: scaledHamiltonian(hamiltonian, center, halfWidth) }, initialState(config));
  await backend.timeHamiltonianApplication(3);
  return { backend, dim: hamiltonian.layout.dim };
}

/**
 * Amplitudes per second of the bare H~ application (the term pass without
 * accumulation) in both layouts of a pair, sample by sample in turn (10
 * applications each): on a machine whose load changes within seconds, the
 * ratio of two neighbouring samples is the figure that means something.
 */
export async function pairedThroughput(sector: RunConfigInput, half: RunConfigInput, threads: number, samples: number) {
  collectGarbage();
  const a = await loaded(sector, threads);
  const b = await loaded(half, threads);
  try {
    const ratios: number[] = [], sectorRates: number[] = [], halfRates: number[] = [];
    for (let k = 0; k < samples; k++) {
      const s = a.dim / (await a.backend.timeHamiltonianApplication(10));
      const h = b.dim / (await b.backend.timeHamiltonianApplication(10));
      sectorRates.push(s);
      halfRates.push(h);
      ratios.push(h / s);
    }
    return { sectorDim: a.dim, halfDim: b.dim, sector: spread(sectorRates).median, half: spread(halfRates).median, ratios };
  } finally {
    await a.backend.dispose();
    await b.backend.dispose();
  }
}

/** Equal-size pairs: a sector case and the antisymmetric one of about its dimension. */
export const ANTISYMMETRIC_PAIRS: readonly { label: string; sector: RunConfigInput; half: RunConfigInput }[] = [
  { label: 'K = 1, L = 4 (blocks of 6)', sector: { N: 200, L: 4, basis: 'sector' }, half: { N: 283, L: 4, basis: 'antisymmetric' } },
  { label: 'K = 1, L = 64 (blocks of 66)', sector: { N: 200, L: 64, basis: 'sector' }, half: { N: 283, L: 64, basis: 'antisymmetric' } },
  { label: 'K = 2, L = 21 (blocks of 274)', sector: { N: 100, L: 21, state: 'T-', basis: 'sector' }, half: { N: 141, L: 21, state: 'T-', basis: 'antisymmetric' } },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One expansion of 4 output times and its 4 reductions of a config's initial state, on the calling thread; returns a function that runs one and its seconds. */
function expansionRunner(input: RunConfigInput): () => number {
  const config = parseRunConfig(input);
  const { problem, seriesFor } = prepareProblem(config, 'f64');
  const scaled = blockOperator(problem.scaled), hamiltonian = blockOperator(problem.hamiltonian);
  const psi = initialState(config);
  const buffers = Array.from({ length: 6 }, () => new Float64Array(psi.length));
  const scratch = new Float64Array(2 * scaled.B);
  const series = seriesFor(4);
  const range = { start: 0, end: scaled.blocks };
  return () => {
    buffers[0].set(psi);
    const t0 = nowSeconds();
    runExpansion(scaled, buffers, { weights: series.weights, terms: series.terms, psi: 0, work: 1, accs: [2, 3, 4, 5] }, range, scratch, () => {});
    for (const i of [2, 3, 4, 5]) reduceRange(hamiltonian, buffers[i], range, scratch);
    return nowSeconds() - t0;
  };
}

async function timed(input: RunConfigInput): Promise<{ seconds: number; dim: number; final: number }> {
  collectGarbage();
  const t0 = nowSeconds();
  const r = await simulate(input, { backend: 'cpu' });
  return { seconds: nowSeconds() - t0, dim: r.dim, final: r.deltaSigmaZ[r.deltaSigmaZ.length - 1] };
}

async function main(rounds: number): Promise<void> {
  const log = (s: string) => console.log(s);
  for (const { label, sector, half } of ANTISYMMETRIC_PAIRS) {
    const p = await pairedThroughput(sector, half, 1, 4 * rounds);
    const q = [...p.ratios].sort((x, y) => x - y);
    log(
      `${label}, one thread: sector dim ${p.sectorDim} at ${sig(p.sector / 1e6)} M amp/s, antisymmetric dim ${p.halfDim} at ${sig(p.half / 1e6)} M amp/s (medians); ` +
        `ratio of neighbouring samples (antisymmetric / sector), median of ${q.length}: ${sig(median(q))} (quartiles ${sig(q[Math.floor(q.length / 4)])} … ${sig(q[Math.floor((3 * q.length) / 4)])})`,
    );
  }
  const speedups: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = await timed({ basis: 'sector' });
    const b = await timed({ basis: 'antisymmetric' });
    if (!(Math.abs(a.final - b.final) < 1e-9)) throw new Error(`the antisymmetric default run differs from the sector's by ${Math.abs(a.final - b.final)}`);
    speedups.push(a.seconds / b.seconds);
    log(`paper default, round ${r + 1}: sector ${sig(a.seconds)} s (dim ${a.dim}), antisymmetric ${sig(b.seconds)} s (dim ${b.dim}), ${sig(speedups[r])} times faster`);
  }
  log(`paper default: median speed-up over the sector ${sig(median(speedups))} (range ${sig(Math.min(...speedups))} … ${sig(Math.max(...speedups))})`);
  const sector = expansionRunner({ basis: 'sector' }), half = expansionRunner({ basis: 'antisymmetric' });
  sector();
  half();
  const ratios: number[] = [];
  for (let k = 0; k < 8 * rounds; k++) ratios.push(sector() / half());
  const q = [...ratios].sort((x, y) => x - y);
  log(
    `paper default, one expansion of 4 output times and its reductions on one thread, in turn (${q.length} pairs): ` +
      `${sig(median(q))} times faster (quartiles ${sig(q[Math.floor(q.length / 4)])} … ${sig(q[Math.floor((3 * q.length) / 4)])})`,
  );
}

const entry = (globalThis as { process?: { argv: string[] } }).process?.argv[1] ?? '';
if (entry.endsWith('antisymmetric.js')) {
  const rounds = Number((globalThis as { process?: { argv: string[] } }).process?.argv[2] ?? 3);
  await main(Number.isInteger(rounds) && rounds > 0 ? rounds : 3);
}
