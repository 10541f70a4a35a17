/**
 * The two checks every backend's whole-run test makes: the result agrees with
 * the f64 CPU path series by series, and the conserved quantities hold.
 */

import { expect } from 'vitest';
import type { SimulationResult } from '../../src/model/result.js';
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
