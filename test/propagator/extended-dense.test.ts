/**
 * The terms beyond the paper (fields, anisotropy, per-site J_sd, per-bond
 * J_ex) on the f64 CPU backend, basis "full" and "sector", against the
 * independent dense reference (test/reference/dense-model.ts builds them from
 * MODEL.md in Cartesian/Kronecker form): the engine's H element by element,
 * then every time series of simulate() to 1e-10, with the conserved
 * quantities (the new terms all keep the total S_z). Worker threads against
 * one thread on a larger ring.
 */

import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfigInput } from '../../src/model/config.js';
import { resumeSimulation, simulate } from '../../src/simulate.js';
import { checkCheckpointConfig, decodeCheckpoint, encodeCheckpointBytes, type Checkpoint } from '../../src/propagator/checkpoint.js';
import { expectClose } from '../helpers/expect-close.js';
import { denseEngineHamiltonian } from '../helpers/engine-hamiltonian.js';
import { expectConserved, expectSameRun } from '../helpers/result-checks.js';
import { denseProblem, denseRun } from '../reference/dense-model.js';
import { THREAD_CONSISTENCY, TOLERANCES } from '../tolerances.js';
import { engineConfig } from '../helpers/engine-config.js';

/** Five sites, two spins inside the packets from t = 0 (as dense-agreement.test.ts), three spins for the bonds. */
const BASE: RunConfigInput = { N: 5, L: 2, spinStart: 2, x2: 1.5, d: 1.7, sigma: 1.2, ke: 1, tEnd: 3, dt: 0.5 };
const THREE: RunConfigInput = { N: 5, L: 3, spinStart: 1, x2: 0.5, d: 2.5, sigma: 1, ke: 2.2, th: 0.3, Jex: 0.45, Jsd: 0.5, tEnd: 2, dt: 0.5 };

const TERMS: RunConfigInput[] = [
  { fieldElectron: 0.3 },
  { fieldLocal: -0.4 },
  { anisotropy: 0.6 },
  { fieldElectron: -0.2, fieldLocal: 0.25, anisotropy: -0.3, electronSpin: 'pauli' },
  { JsdSites: [0.9, -0.2] },
  { JexBonds: [-0.7], JsdSites: [0.1, 0.6], fieldLocal: 0.1, sdTerms: 'flip' },
];
const STATES: RunConfigInput[] = [{ state: 'singlet' }, { state: 'T0' }, { state: 'T-' }, { state: 'theta', theta: 1.1 }, { state: 'single' }];

const CASES: RunConfigInput[] = [
  ...TERMS.flatMap((t) => STATES.map((s) => ({ ...BASE, ...s, ...t }))),
  ...[{ state: 'singlet' }, { state: 'T-' }, { state: 'single' }].map((s) => ({
    ...THREE, ...s, JexBonds: [0.8, -0.3], JsdSites: [0.2, 0.7, -0.4], fieldElectron: 0.15, fieldLocal: -0.1, anisotropy: 0.2,
  }) as RunConfigInput),
];

const named = (configs: RunConfigInput[]) => configs.map((c) => [JSON.stringify(c), c] as const);

describe('engine H with the new terms equals the dense H element by element (basis "full")', () => {
  it.each(named([...TERMS.map((t) => ({ ...BASE, ...t })), ...TERMS.map((t) => ({ ...BASE, ...t, state: 'single' }) as RunConfigInput), CASES[CASES.length - 1]]))('%s', (_, input) => {
    const config = engineConfig(input);
    const engine = denseEngineHamiltonian(config);
    const { H } = denseProblem(config);
    expectClose(engine.data, H.data, { abs: 1e-14 });
  });
});

describe('simulate() with the new terms = dense reference, both bases (f64 CPU)', () => {
  it.each(named(CASES))('%s', async (_, input) => {
    const ref = denseRun(parseRunConfig(input));
    for (const basis of ['full', 'sector'] as const) {
      const r = await simulate({ ...input, basis }, { backend: 'cpu', threads: 1 });
      for (const key of ['norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz', 'SzSites', 'density'] as const) {
        expectClose(r[key], ref[key], { ...TOLERANCES.cpu, label: `${basis}: ${key}` });
      }
      if (ref.probabilities) {
        for (const chi of ['S', 'T0', 'T+', 'T-'] as const) expectClose(r.probabilities![chi], ref.probabilities[chi], { ...TOLERANCES.cpu, label: `${basis}: P(${chi})` });
      }
      expectConserved(r, TOLERANCES.cpu);
    }
    // The case tests something: spin moves (T+ is not among the cases).
    expect(Math.max(...ref.deltaSigmaZ)).toBeGreaterThan(1e-3);
  });
});

describe('worker threads with the new terms', () => {
  it.each(['full', 'sector'] as const)('threads: 2 gives the run of threads: 1 (basis %s, N = 24, L = 4)', async (basis) => {
    const config: RunConfigInput = {
      N: 24, L: 4, x2: 6, d: 4, sigma: 2, tEnd: 1.5, dt: 0.5, state: 'T0', basis,
      JsdSites: [0.8, 0.1, -0.5, 0.3], JexBonds: [0.2, -0.4, 0.6], fieldElectron: 0.1, fieldLocal: -0.2, anisotropy: 0.3,
    };
    const one = await simulate(config, { backend: 'cpu', threads: 1 });
    const two = await simulate(config, { backend: 'cpu', threads: 2 });
    expectSameRun(two, one, THREAD_CONSISTENCY);
    expect(Math.max(...one.deltaSigmaZ)).toBeGreaterThan(1e-3);
  });
});

describe('checkpoints with the new terms', () => {
  it.each(['full', 'sector'] as const)('keep the keys and resume bit for bit (basis %s); another anisotropy is another config', async (basis) => {
    const config: RunConfigInput = { ...THREE, state: 'T0', basis, tEnd: 3, JexBonds: [0.8, -0.3], JsdSites: [0.2, 0.7, -0.4], fieldElectron: 0.15, anisotropy: 0.2 };
    const taken: Checkpoint[] = [];
    const run = { backend: 'cpu', threads: 1, outputsPerExpansion: 2 } as const;
    const whole = await simulate(config, { ...run, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    const decoded = await decodeCheckpoint(await encodeCheckpointBytes(taken[0]));
    expect(decoded.config).toEqual(whole.config);
    expect(decoded.config.JsdSites).toEqual([0.2, 0.7, -0.4]);
    const resumed = await resumeSimulation(decoded, { backend: 'cpu', threads: 1 });
    expect(JSON.stringify({ ...resumed, timing: 0 })).toBe(JSON.stringify({ ...whole, timing: 0 }));
    expect(() => checkCheckpointConfig(decoded, parseRunConfig({ ...config, anisotropy: 0.3 }))).toThrow(/anisotropy = 0.2 in the checkpoint, 0.3/);
    expect(() => checkCheckpointConfig(decoded, parseRunConfig({ ...config, JsdSites: undefined }))).toThrow(/JsdSites/);
  });
});
