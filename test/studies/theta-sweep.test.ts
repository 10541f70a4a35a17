/**
 * The two-state decomposition against direct propagation: a run of state
 * "theta" at an angle must be the sweep's result at that angle, observable by
 * observable, whatever the options that change H or the packets.
 */

import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate.js';
import { equallySpacedAngles, thetaSweep } from '../../src/studies/theta-sweep.js';
import { expectConserved, expectSameRun } from '../helpers/result-checks.js';
import { TOLERANCES } from '../tolerances.js';

const SMALL = { N: 14, L: 3, x2: 4, d: 4, sigma: 1.5, tEnd: 6, dt: 0.5 };

describe('theta sweep from two propagations', () => {
  const cases = [
    { name: 'defaults of a small ring', config: SMALL },
    { name: 'pauli electron spin, Jsd = 0.7, ke = 1.3', config: { ...SMALL, electronSpin: 'pauli', Jsd: 0.7, ke: 1.3 } },
    { name: 'only the flip sd terms', config: { ...SMALL, sdTerms: 'flip', d: 3 } },
    { name: 'overlapping packets (d = 1)', config: { ...SMALL, d: 1 } },
  ];
  it.each(cases)('equals direct propagation of state "theta" at several angles: $name', async ({ config }) => {
    const thetas = [0, 0.7, Math.PI / 2, Math.PI, 4.1, 2 * Math.PI - 0.2];
    const sweep = await thetaSweep(config, thetas, { backend: 'cpu' });
    expect(sweep.results).toHaveLength(thetas.length);
    for (const [i, theta] of thetas.entries()) {
      const direct = await simulate({ ...config, state: 'theta', theta }, { backend: 'cpu' });
      expect(sweep.results[i].config).toEqual(direct.config);
      expectSameRun(sweep.results[i], direct, TOLERANCES.cpu);
      expectConserved(sweep.results[i], { abs: 1e-10 });
    }
  });

  it('gives the singlet at theta = 0 and T0 at theta = pi', async () => {
    const sweep = await thetaSweep(SMALL, [0, Math.PI], { backend: 'cpu' });
    const singlet = await simulate({ ...SMALL, state: 'singlet' }, { backend: 'cpu' });
    const t0 = await simulate({ ...SMALL, state: 'T0' }, { backend: 'cpu' });
    expectClose2(sweep.results[0].deltaSigmaZ, singlet.deltaSigmaZ);
    expectClose2(sweep.results[1].deltaSigmaZ, t0.deltaSigmaZ);
    expect(Math.max(...singlet.deltaSigmaZ)).toBeGreaterThan(1e-3);
  });

  it('is the same with its cross terms on two worker threads (SharedArrayBuffer) as on the calling thread', async () => {
    const thetas = [0.4, 2.5, 3.9];
    const inPlace = await thetaSweep(SMALL, thetas, { backend: 'cpu', threads: 1 });
    const onWorkers = await thetaSweep(SMALL, thetas, { backend: 'cpu', threads: 2 });
    for (let i = 0; i < thetas.length; i++) {
      expectSameRun(onWorkers.results[i], inPlace.results[i], { abs: 1e-13 });
      const direct = await simulate({ ...SMALL, state: 'theta', theta: thetas[i] }, { backend: 'cpu' });
      expectSameRun(onWorkers.results[i], direct, TOLERANCES.cpu);
    }
  });

  it('is the same with one and with four output times per expansion', async () => {
    const one = await thetaSweep(SMALL, [0.3, 2], { backend: 'cpu', outputsPerExpansion: 1 });
    const four = await thetaSweep(SMALL, [0.3, 2], { backend: 'cpu', outputsPerExpansion: 4 });
    for (let i = 0; i < 2; i++) expectSameRun(four.results[i], one.results[i], TOLERANCES.cpu);
  });

  it('spaces K angles equally over [0, 2 pi) and refuses a bad count', () => {
    expect(equallySpacedAngles(4)).toEqual([0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2]);
    expect(() => equallySpacedAngles(0)).toThrow(/points/);
    expect(() => equallySpacedAngles(2.5)).toThrow(/points/);
  });

  it('stops on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(thetaSweep(SMALL, [0], { backend: 'cpu', signal: controller.signal })).rejects.toThrow(/cancel/);
  });
});

function expectClose2(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-10);
}
