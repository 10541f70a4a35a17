/**
 * gpujs:h-apply — the gpu.js backend's term throughput in Node (webasm mode:
 * the only gpu.js mode Node has; webgl2 needs a browser), measured the way
 * bench/cpu-throughput.ts measures the CPU backend: one sample is one
 * backend.advance() of a whole expansion with one accumulator, including the
 * read-back and the f64 host reduction of its output; time per term =
 * time per advance / terms.
 *
 * Bytes-moved model of a fused f32 term, per amplitude: 5 x 8 = 40 bytes (as
 * for WebGPU). The reference is the CPU's single-thread copy bandwidth measured
 * in the same run (gpu.js webasm runs on the CPU).
 */

import { createGpuJsBackend } from '../src/backends/gpujs/gpujs-backend.js';
import { parseRunConfig } from '../src/model/config.js';
import { hamiltonianTerms, scaledHamiltonian } from '../src/model/hamiltonian.js';
import { initialState } from '../src/model/initial-state.js';
import { spectralBounds, spectralScale } from '../src/model/spectral-bounds.js';
import { chebyshevWeights, SERIES_TOLERANCE } from '../src/propagator/chebyshev.js';
import { termFigures, timeExpansions, type TermThroughputRecord } from './stats.js';

export const GPUJS_BYTES_PER_AMPLITUDE_TERM = 5 * 8;

export interface GpuJsThroughputRecord extends TermThroughputRecord {
  backend: 'gpujs-webasm';
  precision: 'f32';
}

export async function benchGpuJs(options: { quick?: boolean; copyGBs?: number; log?: (line: string) => void }): Promise<GpuJsThroughputRecord[]> {
  const log = options.log ?? (() => {});
  const cases = options.quick ? [{ N: 40, L: 4 }] : [{ N: 50, L: 4 }, { N: 100, L: 4 }];
  const reps = options.quick ? 3 : 5;
  const records: GpuJsThroughputRecord[] = [];
  for (const c of cases) {
    const config = parseRunConfig({ N: c.N, L: c.L });
    const hamiltonian = hamiltonianTerms(config);
    const { center, halfWidth } = spectralScale(spectralBounds(hamiltonian));
    const weights = chebyshevWeights(12, SERIES_TOLERANCE.f32);
    const series = { terms: weights.length, weights: [weights] };
    const dim = hamiltonian.layout.dim;
    const backend = createGpuJsBackend({ mode: 'webasm' });
    try {
      await backend.load({ hamiltonian, scaled: scaledHamiltonian(hamiltonian, center, halfWidth) }, initialState(config));
      const label = `gpujs:h-apply N=${c.N} L=${c.L}`;
      const { perTerm, normAfter } = await timeExpansions(backend, series, reps, 1e-4, label);
      const figures = termFigures(dim, perTerm, GPUJS_BYTES_PER_AMPLITUDE_TERM);
      const record: GpuJsThroughputRecord = {
        case: `gpujs-webasm:h-apply:N=${c.N},L=${c.L}`,
        kind: 'h-apply',
        backend: 'gpujs-webasm',
        precision: 'f32',
        description: backend.description,
        threads: 1,
        N: c.N,
        L: c.L,
        dim,
        terms: series.terms,
        reps,
        ...figures,
        bandwidthGBs: options.copyGBs,
        bandwidthRatio: options.copyGBs ? figures.effectiveGBs / options.copyGBs : undefined,
        normAfter,
      };
      records.push(record);
      log(`${record.case}: ${(figures.ampsPerSecond / 1e6).toPrecision(3)} M amplitudes/s per term, ${(perTerm.median * 1e3).toPrecision(3)} ms/term, ${figures.effectiveGBs.toPrecision(3)} GB/s effective`);
    } finally {
      await backend.dispose();
    }
  }
  return records;
}
