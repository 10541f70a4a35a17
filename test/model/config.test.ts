import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, outputTimes, parseRunConfig } from '../../src/model/config.js';

function errorOf(input: unknown): ConfigError {
  try {
    parseRunConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`config was accepted: ${JSON.stringify(input)}`);
}

describe('parseRunConfig', () => {
  it('fills the paper defaults (INTERFACE.md)', () => {
    expect(parseRunConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('derives spinStart and x2 from N and L when omitted', () => {
    const c = parseRunConfig({ N: 51, L: 3 });
    expect(c.spinStart).toBe(25 - 1);
    expect(c.x2).toBe(c.spinStart - 20);
    expect(parseRunConfig({ N: 60, spinStart: 30 }).x2).toBe(10);
  });

  it.each([
    [{ foo: 1 }, 'foo'],
    [{ N: '200' }, 'N'],
    [{ N: 3 }, 'N'],
    [{ N: 10.5 }, 'N'],
    [{ L: 0 }, 'L'],
    [{ N: 10, L: 11 }, 'L'],
    [{ N: 10, L: 4, spinStart: 7 }, 'spinStart'],
    [{ spinStart: -1 }, 'spinStart'],
    [{ th: Number.NaN }, 'th'],
    [{ Jsd: 'big' }, 'Jsd'],
    [{ electronSpin: 'full' }, 'electronSpin'],
    [{ sdTerms: 'xy' }, 'sdTerms'],
    [{ state: 'T1' }, 'state'],
    [{ singleSpin: 'left' }, 'singleSpin'],
    [{ sigma: 0 }, 'sigma'],
    [{ d: -1 }, 'd'],
    [{ tEnd: 0 }, 'tEnd'],
    [{ dt: 0 }, 'dt'],
    [{ tEnd: 1, dt: 2 }, 'dt'],
    [{ theta: null }, 'theta'],
  ])('refuses %j naming the key %s', (input, key) => {
    const e = errorOf(input);
    expect(e.key).toBe(key);
    expect(e.message).toContain(`"${key}"`);
    expect(e.message).toContain('allowed');
  });

  it('names the allowed range with the actual bounds', () => {
    expect(errorOf({ N: 10, L: 11 }).message).toContain('1 … 10');
    expect(errorOf({ N: 10, L: 4, spinStart: 7 }).message).toContain('0 … 6');
    expect(errorOf({ tEnd: 1, dt: 2 }).message).toContain('tEnd (1 fs)');
    expect(errorOf({ N: 400, L: 30, basis: 'full' }).message).toContain('1 … 24');
  });

  it('defaults the basis to "auto", which has no chain-length limit of its own, and names the four settings', () => {
    expect(parseRunConfig({}).basis).toBe('auto');
    expect(parseRunConfig({ N: 400, L: 30 }).basis).toBe('auto');
    for (const basis of ['auto', 'full', 'sector', 'antisymmetric']) expect(parseRunConfig({ basis }).basis).toBe(basis);
    expect(errorOf({ basis: 'half' }).message).toContain('"auto", "full", "sector" or "antisymmetric"');
  });

  it('refuses a non-object', () => {
    expect(errorOf([1, 2]).message).toContain('JSON object');
    expect(errorOf(null).message).toContain('JSON object');
  });
});

describe('outputTimes', () => {
  it('runs k dt for k = 0 … floor(tEnd/dt + 1e-9)', () => {
    expect(Array.from(outputTimes({ tEnd: 2, dt: 0.5 }))).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(Array.from(outputTimes({ tEnd: 1.2, dt: 0.5 }))).toEqual([0, 0.5, 1]);
    // 0.3 / 0.1 is 2.9999999999999996 in floating point: the 1e-9 keeps t = 0.3.
    expect(outputTimes({ tEnd: 0.3, dt: 0.1 }).length).toBe(4);
  });
});
