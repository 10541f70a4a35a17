/**
 * cpu:default-run — the paper's default run (N = 200, L = 4, singlet,
 * 80 fs in steps of 0.5 fs, dim 2 560 000) end to end through simulate(), the
 * way a user runs it: wall time from the call to the result, including the
 * initial state, the worker start-up and every reduction.
 *
 * outputsPerExpansion = k lets one Chebyshev expansion over k dt serve k output
 * times: fewer terms per output time (the series of a longer step is longer,
 * but by less than k times), at the price of one more accumulator read and
 * written per term for each extra output. The runs below measure which wins.
 */

import os from 'node:os';
import { simulate } from '../src/simulate.js';
import { nowSeconds } from './core/figures.js';
import { collectGarbage } from './stats.js';

export interface DefaultRunRecord {
  case: string;
  kind: 'default-run';
  backend: string;
  precision: string;
  description: string;
  threads: number;
  N: number;
  L: number;
  dim: number;
  state: string;
  tEnd: number;
  dt: number;
  outputsPerExpansion: number;
  /** Wall time of the simulate() call, s. */
  wallSeconds: number;
  /** result.timing: the propagation's own time and H applications. */
  seconds: number;
  matvecs: number;
  secondsPerMatvec: number;
  outputTimes: number;
  finalDeltaSigmaZ: number;
  normDrift: number;
  energyDrift: number;
  /** 1-minute load average right after the run (it counts this benchmark's own threads). */
  loadAverage1m: number;
  /** max |deltaSigmaZ(t) - the first run's| over t: the runs compute the same physics. */
  maxDiffFromFirst?: number;
}

/**
 * `input` is the run config: every default in the full basis (the basis this
 * record has measured since it began; "auto" would take the sector, which
 * bench/sector.ts times) unless a shorter run is wanted while developing.
 */
export async function measureDefaultRun(
  threads: number | 'auto',
  outputsPerExpansion: number,
  input: object = { basis: 'full' },
): Promise<{ record: DefaultRunRecord; deltaSigmaZ: number[] }> {
  collectGarbage();
  let description = '';
  const t0 = nowSeconds();
  const r = await simulate(input, {
    backend: 'cpu',
    threads,
    outputsPerExpansion,
    onBackend: (_name, d) => (description = d),
  });
  const wallSeconds = nowSeconds() - t0;
  const n = r.t.length;
  const resolvedThreads = Number(/(\d+) worker thread/.exec(description)?.[1] ?? 1);
  const record: DefaultRunRecord = {
    case: `cpu:default-run:opx=${outputsPerExpansion},threads=${resolvedThreads}`,
    kind: 'default-run',
    backend: r.backend,
    precision: r.precision,
    description,
    threads: resolvedThreads,
    N: r.config.N,
    L: r.config.L,
    dim: r.dim,
    state: r.config.state,
    tEnd: r.config.tEnd,
    dt: r.config.dt,
    outputsPerExpansion,
    wallSeconds,
    seconds: r.timing.seconds,
    matvecs: r.timing.matvecs,
    secondsPerMatvec: r.timing.seconds / r.timing.matvecs,
    outputTimes: n,
    finalDeltaSigmaZ: r.deltaSigmaZ[n - 1],
    normDrift: Math.max(...r.norm.map((v) => Math.abs(v - r.norm[0]))),
    energyDrift: Math.max(...r.energy.map((v) => Math.abs(v - r.energy[0]))),
    loadAverage1m: os.loadavg()[0],
  };
  return { record, deltaSigmaZ: r.deltaSigmaZ };
}
