/**
 * What the CLI tells a person on stderr around a run: the problem size before
 * it starts, the backend and why, and afterwards the numbers worth a glance:
 * the spin transfer at tEnd and the drift of the conserved norm and energy,
 * which measures the propagation error (MODEL.md, Observables).
 */

import type { BasisChoice } from '../model/basis.js';
import type { RunConfig } from '../model/config.js';
import type { SimulationResult } from '../model/result.js';

export function describeConfig(config: RunConfig, source: string): string {
  const c = config;
  const state = c.state === 'single' ? `single ${c.singleSpin}` : c.state === 'theta' ? `theta = ${c.theta}` : c.state;
  return (
    `config ${source}: N = ${c.N}, L = ${c.L}, state ${state}, sdTerms ${c.sdTerms}, ` +
    `electronSpin ${c.electronSpin}, basis ${c.basis}, tEnd = ${c.tEnd} fs, dt = ${c.dt} fs`
  );
}

export function describeSize(dim: number, bytesNeeded: number, bytesAllowed: number): string {
  return `state: ${dim} amplitudes; memory about ${shortBytes(bytesNeeded)} (allowed ${shortBytes(bytesAllowed)})`;
}

export function describeBackend(name: string, description: string, reason: string): string {
  return `backend: ${name} (${description}); ${reason}`;
}

/** The basis the run uses and why (model/basis.ts): printed under the backend line, which decides it. */
export function describeBasis(choice: BasisChoice): string {
  return `basis: ${choice.basis}; ${choice.reason}`;
}

/** Largest |x_k - x_0| over the run. */
export function drift(series: readonly number[]): number {
  let max = 0;
  for (const x of series) max = Math.max(max, Math.abs(x - series[0]));
  return max;
}

export function summarize(result: SimulationResult, wallSeconds: number, destination: string): string {
  const last = result.t.length - 1;
  return [
    `done in ${wallSeconds.toFixed(2)} s wall (propagation ${result.timing.seconds.toFixed(2)} s, ` +
      `${result.timing.matvecs} matvecs, ${result.t.length} output times)`,
    ...(result.timing.phases ? [phaseLine(result.timing.phases)] : []),
    `final deltaSigmaZ = ${result.deltaSigmaZ[last].toPrecision(6)} at t = ${result.t[last]} fs`,
    `drift (max over t): norm ${drift(result.norm).toExponential(2)}, energy ${drift(result.energy).toExponential(2)} eV`,
    `result: ${destination}`,
  ].join('\n');
}

/** The device phases of a WebGPU run (result timing.phases), in seconds. */
function phaseLine(p: NonNullable<SimulationResult['timing']['phases']>): string {
  return `device phases (${p.source}): terms ${p.terms.toFixed(2)} s, reductions ${p.reductions.toFixed(2)} s, host transfers ${p.transfers.toFixed(2)} s`;
}

function shortBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes, u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u ? 1 : 0)} ${units[u]}`;
}
