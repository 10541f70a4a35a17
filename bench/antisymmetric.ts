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
 * - the paper's default singlet run end to end (target: >= 1.7 times faster).
 *
 * Run: npm run build && node --expose-gc dist/bench/antisymmetric.js [rounds]
 */

import { createCpuBackend } from '../src/backends/cpu/cpu-backend.js';
import { parseRunConfig, type RunConfigInput } from '../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../src/model/hamiltonian.js';
import { initialState } from '../src/model/initial-state.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { simulate } from '../src/simulate.js';
import { nowSeconds, sig, spread } from './core/figures.js';
import { collectGarbage } from './stats.js';

/** Amplitudes per second of the bare H~ application (median of `reps` samples of 10), on `threads` threads. */
export async function applyThroughput(input: RunConfigInput, threads: number, reps: number): Promise<{ dim: number; ampsPerSecond: number }> {
  const config = parseRunConfig(input);
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  collectGarbage();
  const backend = createCpuBackend({ threads });
  try {
    await backend.load({ hamiltonian, scaled: scaledHamiltonian(hamiltonian, center, halfWidth) }, initialState(config));
    await backend.timeHamiltonianApplication(3);
    const samples: number[] = [];
    for (let r = 0; r < reps; r++) samples.push(await backend.timeHamiltonianApplication(10));
    const s = spread(samples).median;
    return { dim: hamiltonian.layout.dim, ampsPerSecond: hamiltonian.layout.dim / s };
  } finally {
    await backend.dispose();
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

async function timed(input: RunConfigInput): Promise<{ seconds: number; dim: number; final: number }> {
  collectGarbage();
  const t0 = nowSeconds();
  const r = await simulate(input, { backend: 'cpu' });
  return { seconds: nowSeconds() - t0, dim: r.dim, final: r.deltaSigmaZ[r.deltaSigmaZ.length - 1] };
}

async function main(rounds: number): Promise<void> {
  const log = (s: string) => console.log(s);
  for (const { label, sector, half } of ANTISYMMETRIC_PAIRS) {
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const a = await applyThroughput(sector, 1, 5);
      const b = await applyThroughput(half, 1, 5);
      ratios.push(b.ampsPerSecond / a.ampsPerSecond);
      log(`${label}, round ${r + 1}: sector dim ${a.dim} at ${sig(a.ampsPerSecond / 1e6)} M amp/s, antisymmetric dim ${b.dim} at ${sig(b.ampsPerSecond / 1e6)} M amp/s, ratio ${sig(ratios[r])}`);
    }
    log(`${label}: equal-size throughput ratio (antisymmetric / sector), median of ${rounds}: ${sig(median(ratios))} (range ${sig(Math.min(...ratios))} … ${sig(Math.max(...ratios))})`);
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
}

const entry = (globalThis as { process?: { argv: string[] } }).process?.argv[1] ?? '';
if (entry.endsWith('antisymmetric.js')) {
  const rounds = Number((globalThis as { process?: { argv: string[] } }).process?.argv[2] ?? 3);
  await main(Number.isInteger(rounds) && rounds > 0 ? rounds : 3);
}
