/**
 * Basis "sector" on the f64 CPU backend against basis "full": the same H
 * restricted to a subspace it leaves invariant, so every observable at every
 * output time agrees to rounding (MODEL.md, Symmetry). Six initial states,
 * both electron-spin conventions, every sdTerms choice, one and two
 * electrons, L = 1 up to a chain filling most of the ring, one thread and
 * worker threads, and the theta sweep's two-state decomposition.
 */

import { engineConfig } from '../../helpers/engine-config.js';
import { describe, expect, it } from 'vitest';
import type { RunConfigInput } from '../../../src/model/config.js';
import { simulate } from '../../../src/simulate.js';
import { thetaSweep } from '../../../src/studies/index.js';
import { expectConserved, expectSameRun } from '../../helpers/result-checks.js';
import { TOLERANCES } from '../../tolerances.js';

const BASE: RunConfigInput = { N: 20, L: 3, spinStart: 10, x2: 5, d: 4, sigma: 2, tEnd: 5, dt: 0.5 };

const STATES: RunConfigInput[] = [
  { state: 'singlet' },
  { state: 'T0' },
  { state: 'T+' },
  { state: 'T-' },
  { state: 'theta', theta: 2.2 },
  { state: 'single' },
  { state: 'single', singleSpin: 'up' },
];
const COUPLINGS: RunConfigInput[] = [
  {},
  { electronSpin: 'pauli' },
  { sdTerms: 'zz' },
  { sdTerms: 'flip', electronSpin: 'pauli', Jex: -0.35 },
];
const CHAINS: RunConfigInput[] = [
  { L: 1, spinStart: 10 },
  { L: 4, spinStart: 9 },
  // A chain over most of the ring: the packets start inside it.
  { N: 10, L: 8, spinStart: 1, x2: 3, d: 2, sigma: 1.5, tEnd: 3 },
];

const CASES = STATES.flatMap((s) => COUPLINGS.map((c) => ({ ...s, ...c }))).concat(
  STATES.flatMap((s) => CHAINS.map((c) => ({ ...s, ...c }))),
);

async function bothBases(config: RunConfigInput, threads = 1) {
  const full = await simulate({ ...BASE, ...config, basis: 'full' }, { backend: 'cpu', threads });
  const sector = await simulate({ ...BASE, ...config, basis: 'sector' }, { backend: 'cpu', threads });
  return { full, sector };
}

describe('basis "sector" against basis "full" (f64 CPU)', () => {
  it.each(CASES)('%j: every observable at every output time within 1e-10', async (config) => {
    const { full, sector } = await bothBases(config);
    expectSameRun(sector, full, TOLERANCES.cpu);
    expectConserved(sector, TOLERANCES.cpu);
    expect(sector.config.basis).toBe('sector');
    expect(sector.dim).toBeLessThan(full.dim);
    expect(sector.chainIntervals).toEqual(full.chainIntervals);
  });

  it('agrees on worker threads, and with one thread to 1e-12', async () => {
    const config = { N: 40, L: 6, spinStart: 20, x2: 12, d: 5, state: 'T-' as const, tEnd: 4 };
    const { full, sector } = await bothBases(config, 2);
    expectSameRun(sector, full, TOLERANCES.cpu);
    const one = await simulate({ ...BASE, ...config, basis: 'sector' }, { backend: 'cpu', threads: 1 });
    expectSameRun(sector, one, { abs: 1e-12 });
  });

  it('gives the theta sweep of the full basis', async () => {
    const config = { ...BASE, state: 'theta' as const, L: 4, spinStart: 9 };
    const thetas = [0, 0.7, Math.PI, 5];
    const full = await thetaSweep({ ...config, basis: 'full' }, thetas, { backend: 'cpu', threads: 1 });
    const sector = await thetaSweep({ ...config, basis: 'sector' }, thetas, { backend: 'cpu', threads: 1 });
    sector.results.forEach((r, q) => expectSameRun(r, full.results[q], TOLERANCES.cpu));
  });

  it('moves spin: the sector is not trivially empty', async () => {
    const { sector } = await bothBases({ state: 'T0', tEnd: 8 });
    expect(Math.max(...sector.deltaSigmaZ)).toBeGreaterThan(1e-3);
  });
});

describe('the sector state itself', () => {
  it('written out in the canonical layout is the full run\'s state', async () => {
    const { runPropagation } = await import('../../../src/propagator/propagate.js');
    const { createCpuBackend } = await import('../../../src/backends/cpu/cpu-backend.js');
    const { hamiltonianTerms } = await import('../../../src/model/hamiltonian.js');
    const { sectorStateToCanonical } = await import('../../../src/model/sector.js');
    const input = { ...BASE, state: 'T-' as const, tEnd: 3 };
    const full = engineConfig(input);
    const sector = engineConfig({ ...input, basis: 'sector' });
    const a = await runPropagation(full, createCpuBackend({ threads: 1 }), { keepFinalState: true });
    const b = await runPropagation(sector, createCpuBackend({ threads: 1 }), { keepFinalState: true });
    const expanded = sectorStateToCanonical(hamiltonianTerms(sector).sector!, sector.N, b.finalState!);
    let worst = 0;
    for (let i = 0; i < expanded.length; i++) worst = Math.max(worst, Math.abs(expanded[i] - a.finalState![i]));
    expect(worst).toBeLessThan(1e-12);
  });
});
