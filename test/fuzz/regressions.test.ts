/**
 * Inputs the property-based tests (fuzz.test.ts) found failing, kept as
 * plain tests. The first group failed on the code before issue 14's guards
 * (RangeError, unbounded work, non-finite numbers); the second failed after
 * them, and was fixed in the same change. Each must now be refused before
 * any work, naming the key, or run to a finite result.
 */

import { describe, expect, it } from 'vitest';
import { ConfigError, parseRunConfig } from '../../src/model/config.js';
import { chainIntervals } from '../../src/model/observables.js';
import { runStudy } from '../../src/studies/run-study.js';
import { checkRun, checkValidation } from './properties.js';

const refusedNaming = (input: unknown, key: string) => {
  expect(() => parseRunConfig(input)).toThrow(ConfigError);
  try {
    parseRunConfig(input);
  } catch (e) {
    expect((e as ConfigError).key).toBe(key);
  }
};

describe('found on the code before the guards', () => {
  it('{"dt": 1.0000000000000003e-9, "L": 14}: was RangeError: Invalid typed array length: 80000000000', () => {
    refusedNaming(JSON.parse('{"dt": 1.0000000000000003e-9, "L": 14}'), 'dt');
  });

  it('{"tEnd": 1.7976931348623157e+308}: was RangeError: Invalid typed array length: Infinity', () => {
    refusedNaming(JSON.parse('{"tEnd": 1.7976931348623157e+308, "x2": -4.1795734009427435e-47}'), 'tEnd');
  });

  it('{"th": 1e+21, "Jex": 1e-400}: was a Chebyshev argument of 3e21 (a Bessel array of that length)', () => {
    refusedNaming(JSON.parse('{"electronSpin": 3.141592653589793, "th": 1e+21, "electronSpin": "pauli", "Jex": 1e-400}'), 'th');
  });

  it('tEnd = 1e6 + 1e-10 at dt 0.5: was 2000001 output times, without limit', () => {
    refusedNaming({ N: 458, L: 5, spinStart: 49, tEnd: 1000000.0000000001 }, 'tEnd');
    refusedNaming({ N: 32, L: 22, spinStart: 2, tEnd: 999.9999999999991, dt: 0.0007788504156605315 }, 'dt');
  });

  it('a study option of another study, or 2 points: were RangeError, now ConfigError naming the option', async () => {
    await expect(runStudy('fig3', { N: 6, L: 2, tEnd: 0.5 }, { backend: 'cpu', d: [12.8, 3.7] })).rejects.toMatchObject({ name: 'ConfigError', key: 'd' });
    await expect(runStudy('fig4', { N: 5, L: 1, tEnd: 0.5 }, { backend: 'cpu', points: 2 })).rejects.toMatchObject({ name: 'ConfigError', key: 'points' });
  });
});

describe('found after the guards, and fixed', () => {
  it('th = 5e-324: chainIntervals was ±Infinity (a denormal group velocity)', async () => {
    const input = {
      th: 5e-324, electronSpin: 'pauli', sdTerms: 'full', state: 'singlet', theta: 2.287000324618997e-211, singleSpin: 'up',
      ke: -200, sigma: 1.9834820836175486, d: 1e-323, basis: 'full', N: 5, L: 2, tEnd: 0.050000000000000044, dt: 0.0015625000000000014, spinStart: 1,
    };
    expect(await checkRun(input)).toEqual({ ran: true });
    for (const [a, b] of chainIntervals(parseRunConfig({ th: 8e-323, N: 13, L: 3, spinStart: 10, x2: 11, tEnd: 1e-6, dt: 1e-6 }))) {
      expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
    }
  });

  it('an empty key "": was read as an error of the whole config', () => {
    expect(() => parseRunConfig({ '': 'E4JUwtZ', N: 12 })).toThrow(/unknown key "" \(an empty key\)/);
    expect(checkValidation({ '': 1 })).toEqual({ refused: '(unknown key)' });
  });

  it('a result file given as a config: refused, and says where its config is', () => {
    const result = { config: { N: 12 }, t: [0], density: [[]] };
    expect(() => parseRunConfig(result)).toThrow(/"config" = .*\(unknown key; this looks like a result file: its run config is the object under "config"\)/);
  });

  it('a result too large for one JSON string is a ResourceError before the run', () => {
    expect(checkValidation({ N: 20000, L: 1, state: 'single', tEnd: 500, dt: 0.01 })).toEqual({ refused: 'memory' });
  });
});

describe('found while writing the properties', () => {
  it('thetaSweep at d = 0 through theta = pi: refused before any work, naming d (was a RangeError after two propagations)', async () => {
    const { thetaSweep } = await import('../../src/studies/theta-sweep.js');
    let progressed = false;
    const attempt = thetaSweep({ N: 8, L: 1, d: 0, tEnd: 0.5 }, [0, Math.PI], { backend: 'cpu', onProgress: () => (progressed = true) });
    await expect(attempt).rejects.toMatchObject({ name: 'ConfigError', key: 'd' });
    expect(progressed).toBe(false);
    await expect(thetaSweep({ N: 8, L: 1 }, [], { backend: 'cpu' })).rejects.toMatchObject({ name: 'ConfigError', key: 'theta' });
  });
});
