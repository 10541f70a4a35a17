/**
 * The result JSON of INTERFACE.md, assembled from the per-output-time
 * reductions. Every backend's run ends here, so every result has the same
 * shape and the same derived observables.
 */

import type { ResolvedRunConfig } from './config.js';
import type { EntanglementSeries } from './entanglement.js';
import {
  chainIntervals, normOf, sigmaZOf, spinStateProbabilities, type StateReduction,
} from './observables.js';
import { runWarnings } from './warnings.js';

/**
 * Where a device backend's time went since load(), in seconds: the Chebyshev
 * terms, the reductions, and the host <-> device transfers (the state's
 * upload, state readbacks, copying the reductions out of mapped buffers).
 * `source`: 'timestamp-query' (the device's own clock around each compute
 * pass) or 'wall-clock' (the host's clock when the queue reports each phase
 * done: coarser, and it includes the queue's latency).
 */
export interface PhaseTiming {
  terms: number;
  reductions: number;
  transfers: number;
  source: 'timestamp-query' | 'wall-clock';
}

export interface SimulationResult {
  /** The run config with every default filled in and the basis the run used (never "auto"). */
  config: ResolvedRunConfig;
  /** Hilbert-space dimension. */
  dim: number;
  /** Backend that computed it: "cpu", "webgpu", "gpujs-…". */
  backend: string;
  precision: 'f64' | 'f32';
  /** Output times, fs. */
  t: number[];
  /** <Psi|Psi> (1 at t = 0; its drift is the propagation error). */
  norm: number[];
  /** <H>, eV. */
  energy: number[];
  /** sigma_z of the electrons (paper Eq. 5). */
  sigmaZ: number[];
  /** |sigma_z(t) - sigma_z(0)|: the spin transfer. */
  deltaSigmaZ: number[];
  /** Sum of <S_z,j> over the chain (paper Eq. 6). */
  Sz: number[];
  /** SzSites[k][j] = <S_z,j> at t[k]. */
  SzSites: number[][];
  /** Singlet and triplet probabilities; absent for one electron. */
  probabilities?: { S: number[]; T0: number[]; 'T+': number[]; 'T-': number[] };
  /** density[k][x] = n(x) at t[k]. */
  density: number[][];
  /** Times each packet centre is in the chain region, earliest first. */
  chainIntervals: [number, number][];
  /**
   * seconds: wall clock of the propagation; matvecs: H applications. phases
   * (a device backend only, WebGPU): seconds in the Chebyshev terms, the
   * reductions and host <-> device transfers of this session, and whether
   * they come from the device's timestamp queries or the host's clock
   * (docs/webgpu.md, "Timing").
   */
  timing: { seconds: number; matvecs: number; phases?: PhaseTiming };
  /**
   * Why this legal config may not describe the experiment (a packet starting
   * inside or past the chain, overlapping packets, a packet back in the chain
   * before tEnd, a packet too narrow or too wide); each names the keys to
   * change. Empty when there is nothing to say (as at the paper's defaults).
   */
  warnings: string[];
  /** The entanglement observables, with `entanglement: true` only (model/entanglement.ts). */
  entanglement?: EntanglementSeries;
}

export function assembleResult(
  config: ResolvedRunConfig,
  dim: number,
  backend: { name: string; precision: 'f64' | 'f32' },
  t: ArrayLike<number>,
  reductions: readonly StateReduction[],
  timing: { seconds: number; matvecs: number; phases?: PhaseTiming },
  entanglement?: EntanglementSeries,
): SimulationResult {
  const sigmaZ = reductions.map((r) => sigmaZOf(r, config.electronSpin));
  const result: SimulationResult = {
    config,
    dim,
    backend: backend.name,
    precision: backend.precision,
    t: Array.from(t),
    norm: reductions.map(normOf),
    energy: reductions.map((r) => r.energy),
    sigmaZ,
    deltaSigmaZ: sigmaZ.map((s) => Math.abs(s - sigmaZ[0])),
    Sz: reductions.map((r) => r.szSites.reduce((a, b) => a + b, 0)),
    SzSites: reductions.map((r) => Array.from(r.szSites)),
    density: reductions.map((r) => Array.from(r.density)),
    chainIntervals: chainIntervals(config),
    timing,
    warnings: runWarnings(config),
  };
  if (config.state !== 'single') {
    const p = reductions.map(spinStateProbabilities);
    result.probabilities = { S: p.map((x) => x.S), T0: p.map((x) => x.T0), 'T+': p.map((x) => x['T+']), 'T-': p.map((x) => x['T-']) };
  }
  if (entanglement) result.entanglement = entanglement;
  return result;
}
