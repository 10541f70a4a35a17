/**
 * cpu:h-apply — the CPU backend's Hamiltonian-application throughput.
 *
 * One sample is one backend.advance() of a whole Chebyshev expansion with one
 * accumulator, exactly what runPropagation() calls per output time: the k = 0
 * scale, terms - 1 fused recurrence terms (T_{k+1} = 2 H~ T_k - T_{k-1} and
 * acc += w_k T_{k+1}), one barrier per term across the worker threads, then
 * the reduction of the result (which applies H once more, for <H>). That is
 * `terms` H applications, as PropagationRun.matvecs counts them, so
 * secondsPerTerm = seconds per advance / terms; the reduction is inside it.
 *
 * The weights are those of a real step exp(-i H~ alpha): the state keeps norm 1
 * from one sample to the next (small arbitrary weights would shrink it towards
 * denormal numbers, which are slow), and the norm is checked after the samples,
 * so the work cannot have been skipped.
 *
 * Bytes-moved model of a fused f64 term, per amplitude (16 bytes each):
 * read T_k, read T_{k-1} (the buffer T_{k+1} overwrites), write T_{k+1},
 * read and write the accumulator: 5 x 16 = 80 bytes. The neighbour reads of
 * T_k for the hopping are taken to hit the cache.
 */

import os from 'node:os';
import { createCpuBackend } from '../src/backends/cpu/cpu-backend.js';
import { parseRunConfig } from '../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../src/model/hamiltonian.js';
import { initialState } from '../src/model/initial-state.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { chebyshevWeights, SERIES_TOLERANCE, type ChebyshevSeries } from '../src/propagator/chebyshev.js';
import { collectGarbage, spread, termFigures, timeExpansions, type TermThroughputRecord } from './stats.js';

/** Bytes moved per amplitude by one fused f64 Chebyshev term (see the header). */
export const BYTES_PER_AMPLITUDE_TERM = 5 * 16;

export interface ThroughputCase {
  N: number;
  L: number;
}

export interface ThroughputOptions {
  threads: number;
  /** alpha of the step exp(-i H~ alpha) whose series is timed; sets the number of terms. */
  alpha: number;
  reps: number;
}

export interface ThroughputRecord extends TermThroughputRecord {
  backend: 'cpu';
  precision: 'f64';
  /** 1-minute load average right after the samples (it counts this benchmark's own threads). */
  loadAverage1m: number;
  /**
   * The bare H application y = H~ x (no recurrence, no accumulation: what a
   * sparse matrix-vector product does), timed inside the threads: seconds per
   * application (median of the samples) and dim over it.
   */
  applySecondsPerApplication: number;
  applyAmpsPerSecond: number;
}

export function timedSeries(alpha: number): ChebyshevSeries {
  const w = chebyshevWeights(alpha, SERIES_TOLERANCE.f64);
  return { terms: w.length, weights: [w] };
}

export async function measureThroughput(c: ThroughputCase, o: ThroughputOptions): Promise<ThroughputRecord> {
  const config = parseRunConfig({ N: c.N, L: c.L });
  const hamiltonian = hamiltonianTerms(config);
  const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
  const scaled = scaledHamiltonian(hamiltonian, center, halfWidth);
  const dim = hamiltonian.layout.dim;
  const series = timedSeries(o.alpha);

  collectGarbage();
  const backend = createCpuBackend({ threads: o.threads });
  try {
    await backend.load({ hamiltonian, scaled }, initialState(config));
    const { perTerm, normAfter } = await timeExpansions(backend, series, o.reps, 1e-9, `cpu:h-apply N=${c.N} L=${c.L}`);
    await backend.timeHamiltonianApplication(3); // warm-up
    const applySamples: number[] = [];
    for (let r = 0; r < o.reps; r++) applySamples.push(await backend.timeHamiltonianApplication(10));
    const apply = spread(applySamples);
    const threads = Number(/(\d+) worker thread/.exec(backend.description)?.[1] ?? 1);
    return {
      case: `cpu:h-apply:N=${c.N},L=${c.L},threads=${threads}`,
      kind: 'h-apply',
      backend: 'cpu',
      precision: 'f64',
      description: backend.description,
      threads,
      N: c.N,
      L: c.L,
      dim,
      terms: series.terms,
      reps: o.reps,
      ...termFigures(dim, perTerm, BYTES_PER_AMPLITUDE_TERM),
      normAfter,
      loadAverage1m: os.loadavg()[0],
      applySecondsPerApplication: apply.median,
      applyAmpsPerSecond: dim / apply.median,
    };
  } finally {
    await backend.dispose();
  }
}
