/**
 * WebGPU term throughput, basis "sector" against basis "full" at (nearly)
 * equal state size, measured in one run: both states loaded on one device
 * side by side, and their timed expansions interleaved (full, sector, full,
 * …) so that a change of load on the machine hits both alike; the ratio of
 * the medians is the figure. Same timed series as the grid (one accumulator,
 * alpha = 12). On a software adapter (SwiftShader) these are CPU figures.
 *
 *   npm run build && node dist/bench/webgpu-sector.js [--reps 5]
 */

import { resolvedConfig } from '../src/model/basis.js';
import { probeAdapter, requestDevice } from '../src/backends/webgpu/device.js';
import { createWebGpuBackend } from '../src/backends/webgpu/webgpu-backend.js';
import { parseRunConfig, type RunConfigInput } from '../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../src/model/hamiltonian.js';
import { initialState } from '../src/model/initial-state.js';
import { normOf } from '../src/model/observables.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { nowSeconds, phaseSplit, sig, spread } from './core/figures.js';
import { timedSeries } from './core/run-grid.js';

/** Pairs of equal (or within 1 %) dimension: a full-basis singlet, and a sector state (K = 1 singlet, K = 2 T-). */
const PAIRS: { full: RunConfigInput; sector: RunConfigInput }[] = [
  // 50² · 4 · 2^4 = 160,000 = 100² · (14 + 2)
  { full: { N: 50, L: 4 }, sector: { N: 100, L: 14, basis: 'sector' } },
  // 50² · 4 · 2^4 = 160,000 ≈ 67² · 36 = 161,604 (T-, L = 7: 1 + 14 + 21 configurations)
  { full: { N: 50, L: 4 }, sector: { N: 67, L: 7, state: 'T-', basis: 'sector' } },
  // 100² · 4 · 2^4 = 640,000 = 200² · (14 + 2)
  { full: { N: 100, L: 4 }, sector: { N: 200, L: 14, basis: 'sector' } },
];

function problem(input: RunConfigInput) {
  const config = resolvedConfig(parseRunConfig(input), 'full');
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  return { problem: { hamiltonian, scaled: scaledHamiltonian(hamiltonian, center, halfWidth) }, psi: initialState(config), dim: hamiltonian.layout.dim };
}

async function main(): Promise<void> {
  const repsArg = process.argv.indexOf('--reps');
  const reps = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 5;
  const probe = await probeAdapter();
  if (!probe.found) throw new Error(`no WebGPU adapter: ${probe.reason}`);
  const device = await requestDevice(probe.adapter, 'spin-transfer sector benchmark');
  const series = timedSeries('f32');
  console.log(`webgpu on ${probe.description}${probe.software ? ' (software adapter: CPU figures, not GPU figures)' : ''}; ` +
    `${series.terms} terms per advance, ${reps} interleaved advances per state after one warm-up each`);
  try {
    for (const pair of PAIRS) {
      const cases = [pair.full, pair.sector].map((input) => ({ input, ...problem(input), backend: createWebGpuBackend({ device }), seconds: [] as number[] }));
      try {
        for (const c of cases) {
          await c.backend.load(c.problem, c.psi);
          await c.backend.advance(series);
        }
        for (let r = 0; r < reps; r++) {
          for (const c of cases) {
            const t0 = nowSeconds();
            const [reduction] = await c.backend.advance(series);
            c.seconds.push(nowSeconds() - t0);
            if (!(Math.abs(normOf(reduction) - 1) < 1e-4)) throw new Error(`norm ${normOf(reduction)} after a timed advance`);
          }
        }
        const rates = cases.map((c) => {
          const perTerm = spread(c.seconds.map((s) => s / series.terms));
          return { c, perTerm, amps: c.dim / perTerm.median };
        });
        for (const { c, perTerm, amps } of rates) {
          const { N, L, state = 'singlet', basis = 'full' } = c.input;
          console.log(`  ${basis.padEnd(6)} ${String(state).padEnd(7)} N=${N} L=${L}: dim ${c.dim.toLocaleString('en-US')}, ` +
            `${sig(perTerm.median * 1e3)} ms/term (${sig(perTerm.min * 1e3)} … ${sig(perTerm.max * 1e3)}), ${sig(amps / 1e6)} M amplitudes/s; ` +
            phaseSplit(c.backend.phaseTiming()));
        }
        console.log(`  sector / full, amplitudes per second: ${sig(rates[1].amps / rates[0].amps)}`);
      } finally {
        for (const c of cases) await c.backend.dispose();
      }
    }
  } finally {
    device.destroy();
  }
}

await main();
