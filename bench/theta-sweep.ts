/**
 * study:theta-sweep — the cost of Fig. 4's exact theta sweep against one run
 * of the same config (issue 6: 16 angles in under 2.5 runs). The sweep is
 * two propagations (of a and b) plus the f64 cross terms <a|O|b> at every
 * output time; one run is state "theta" at one angle through simulate().
 * Both are timed in the same process, back to back, on the CPU backend.
 */

import { simulate } from '../src/simulate.js';
import { equallySpacedAngles, thetaSweep } from '../src/studies/theta-sweep.js';
import { nowSeconds } from './core/figures.js';
import { collectGarbage } from './stats.js';

export interface ThetaSweepRecord {
  case: string;
  kind: 'theta-sweep';
  backend: string;
  precision: string;
  description: string;
  N: number;
  L: number;
  dim: number;
  tEnd: number;
  dt: number;
  points: number;
  /** Wall time of one simulate() of state "theta", s. */
  oneRunSeconds: number;
  /** Wall time of thetaSweep() over `points` angles, s. */
  sweepSeconds: number;
  /** sweepSeconds / oneRunSeconds (the target is below 2.5 for 16 angles). */
  ratio: number;
  /** Largest |Delta sigma_z| difference between the sweep and the one run at theta = 0 (they must agree). */
  maxDiffAtThetaZero: number;
}

export async function measureThetaSweep(config: { N: number; L: number; tEnd: number; dt: number }, points: number): Promise<ThetaSweepRecord> {
  collectGarbage();
  let description = '';
  const t0 = nowSeconds();
  const one = await simulate({ ...config, basis: 'full', state: 'theta', theta: 0 }, { backend: 'cpu', onBackend: (_n, d) => (description = d) });
  const oneRunSeconds = nowSeconds() - t0;
  collectGarbage();
  const t1 = nowSeconds();
  const sweep = await thetaSweep({ ...config, basis: 'full' }, equallySpacedAngles(points), { backend: 'cpu' });
  const sweepSeconds = nowSeconds() - t1;
  const maxDiffAtThetaZero = Math.max(...one.deltaSigmaZ.map((v, k) => Math.abs(v - sweep.results[0].deltaSigmaZ[k])));
  if (!(maxDiffAtThetaZero < 1e-9)) throw new Error(`theta sweep and direct run differ by ${maxDiffAtThetaZero} at theta = 0`);
  return {
    case: `cpu:theta-sweep:N=${config.N},L=${config.L},points=${points}`,
    kind: 'theta-sweep',
    backend: 'cpu',
    precision: 'f64',
    description,
    N: config.N,
    L: config.L,
    dim: one.dim,
    tEnd: config.tEnd,
    dt: config.dt,
    points,
    oneRunSeconds,
    sweepSeconds,
    ratio: sweepSeconds / oneRunSeconds,
    maxDiffAtThetaZero,
  };
}

export function thetaSweepMarkdown(r: ThetaSweepRecord): string {
  return [
    `Fig. 4's theta sweep against one run of the same config (N = ${r.N}, L = ${r.L}, dim ${r.dim}, ${r.tEnd} fs in steps of ${r.dt} fs; ${r.description}), timed back to back in one process:`,
    '',
    '| what | wall time | in runs |',
    '| --- | ---: | ---: |',
    `| one run of state "theta" (simulate) | ${r.oneRunSeconds.toFixed(1)} s | 1 |`,
    `| the exact sweep over ${r.points} angles (two propagations + cross terms) | ${r.sweepSeconds.toFixed(1)} s | **${r.ratio.toFixed(2)}** |`,
    '',
    `Target: under 2.5 runs for 16 angles; ${r.points} direct runs would cost ${r.points}. At θ = 0 the sweep and the direct run agree to ${r.maxDiffAtThetaZero.toExponential(1)}.`,
  ].join('\n');
}
