/**
 * The two checks every backend's whole-run test makes: the result agrees with
 * the f64 CPU path series by series, and the conserved quantities hold.
 */

import { expect } from 'vitest';
import type { PropagationBackend } from '../../src/backends/backend.js';
import type { SimulationResult } from '../../src/model/result.js';
import { simulate } from '../../src/simulate.js';
import type { Tolerance } from './expect-close.js';
import { expectClose } from './expect-close.js';

/** Every time series of `actual` within `tol` of the reference (the f64 CPU run of the same config). */
export function expectSameRun(actual: SimulationResult, reference: SimulationResult, tol: Tolerance): void {
  expect(actual.t).toEqual(reference.t);
  for (const key of ['norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz', 'SzSites', 'density'] as const) {
    expectClose(actual[key], reference[key], { ...tol, label: key });
  }
  if (reference.probabilities) {
    for (const chi of ['S', 'T0', 'T+', 'T-'] as const) expectClose(actual.probabilities![chi], reference.probabilities[chi], { ...tol, label: `P(${chi})` });
  } else {
    expect(actual.probabilities).toBeUndefined();
  }
}

/**
 * Norm 1, constant energy, constant total S_z (sigma_z weighted 1/2 with "pauli")
 * and sum_x n(x) = number of electrons, at every output time, within `tol`.
 */
export function expectConserved(r: SimulationResult, tol: Tolerance): void {
  const w = r.config.electronSpin === 'pauli' ? 0.5 : 1;
  const electrons = r.config.state === 'single' ? 1 : 2;
  const n = r.t.length;
  expectClose(r.norm, new Array(n).fill(1), { ...tol, label: 'norm' });
  expectClose(r.energy, new Array(n).fill(r.energy[0]), { ...tol, label: 'energy drift' });
  expectClose(r.t.map((_, k) => w * r.sigmaZ[k] + r.Sz[k]), new Array(n).fill(w * r.sigmaZ[0] + r.Sz[0]), { ...tol, label: 'total S_z' });
  expectClose(r.density.map((row) => row.reduce((a, b) => a + b, 0)), new Array(n).fill(electrons), { ...tol, label: 'sum of n(x)' });
}

/**
 * A whole run of `config` on `backend` (disposed afterwards): named and of the
 * precision expected, every series within `tol` of the f64 CPU run, conserved
 * quantities within `conservation`, and spin moved where it must (all but
 * sdTerms "zz" and T+ on the all-up chain).
 */
export async function expectWholeRunLikeCpu(
  backend: PropagationBackend,
  config: Record<string, unknown>,
  expected: { name: string; precision: 'f32' | 'f64' },
  tol: Tolerance,
  conservation: Tolerance,
): Promise<void> {
  try {
    const run = await simulate(config, { backend });
    expect(run.backend).toBe(expected.name);
    expect(run.precision).toBe(expected.precision);
    const cpu = await simulate(config, { backend: 'cpu', threads: 1 });
    expectSameRun(run, cpu, tol);
    expectConserved(run, conservation);
    if (config.sdTerms !== 'zz' && config.state !== 'T+') expect(Math.max(...run.deltaSigmaZ)).toBeGreaterThan(1e-3);
  } finally {
    await backend.dispose();
  }
}
