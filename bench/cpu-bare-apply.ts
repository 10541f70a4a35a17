/**
 * The bare matrix-free H application y = H̃ x of the CPU backend (no
 * Chebyshev recurrence, no accumulation: what a sparse matrix-vector product
 * does), timed inside the worker threads: the figure set against scipy's CSR
 * product (bench/scipy.ts). The fused term's throughput comes from the grid.
 */

import { resolvedConfig } from '../src/model/basis.js';
import { createCpuBackend } from '../src/backends/cpu/cpu-backend.js';
import { parseRunConfig } from '../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../src/model/hamiltonian.js';
import { initialState } from '../src/model/initial-state.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { spread } from './core/figures.js';
import type { GridCase } from './core/grid.js';
import { collectGarbage } from './stats.js';

export interface BareApplyRecord {
  N: number;
  L: number;
  dim: number;
  threads: number;
  /** Seconds per application (median of the samples, each the mean of 10 applications) and dim over it. */
  applySecondsPerApplication: number;
  applyAmpsPerSecond: number;
}

export async function measureBareApply(c: GridCase, threads: number, reps: number): Promise<BareApplyRecord> {
  const config = resolvedConfig(parseRunConfig({ N: c.N, L: c.L }), 'full');
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  collectGarbage();
  const backend = createCpuBackend({ threads });
  try {
    await backend.load({ hamiltonian, scaled: scaledHamiltonian(hamiltonian, center, halfWidth) }, initialState(config));
    await backend.timeHamiltonianApplication(3); // warm-up
    const samples: number[] = [];
    for (let r = 0; r < reps; r++) samples.push(await backend.timeHamiltonianApplication(10));
    const s = spread(samples).median;
    return { N: c.N, L: c.L, dim: hamiltonian.layout.dim, threads: backend.threads, applySecondsPerApplication: s, applyAmpsPerSecond: hamiltonian.layout.dim / s };
  } finally {
    await backend.dispose();
  }
}
