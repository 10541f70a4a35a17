// The numeric guards of issue 14: every derived quantity finite and bounded
// before anything runs, and the four inputs of the table.
import { engineConfig } from '../helpers/engine-config.js';
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../src/backends/backend.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { ConfigError, DEFAULT_CONFIG, parseRunConfig, type ResolvedRunConfig } from '../../src/model/config.js';
import { hamiltonianTerms } from '../../src/model/hamiltonian.js';
import { chebyshevArgument, LIMITS, MAX_JSON_TEXT, outputCount, resultSize, spectralHalfWidthBound } from '../../src/model/limits.js';
import { spectralBounds, spectralScale } from '../../src/model/spectral-bounds.js';
import { besselJSequence } from '../../src/propagator/bessel.js';
import { chebyshevWeights } from '../../src/propagator/chebyshev.js';
import { checkMemory, simulate } from '../../src/simulate.js';

function refusal(input: unknown): ConfigError {
  try {
    parseRunConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

/** `spin-transfer run - --out …` in-process, with the config on stdin. */
async function cli(config: string, extra: string[] = []): Promise<{ code: number; err: string }> {
  let err = '';
  const io: CliIo = {
    stdin: Readable.from([config]),
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    signals: new EventEmitter(),
  };
  const code = await main(['run', '-', '-q', ...extra], io);
  return { code, err };
}

describe("issue 14's table: refused before running, naming the quantity", () => {
  it('{"th": 1e308}: exit 2 naming th and the safe range', async () => {
    expect(refusal({ th: 1e308 }).key).toBe('th');
    const { code, err } = await cli('{"th": 1e308}');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('"th" = 1e+308');
    expect(err).toContain(`[-${LIMITS.maxCoupling}, ${LIMITS.maxCoupling}]`);
  });

  it('{"N": 20, "L": 2, "Jex": 1e300, "tEnd": 2}: exit 2 naming Jex', async () => {
    const { code, err } = await cli('{"N": 20, "L": 2, "Jex": 1e300, "tEnd": 2}');
    expect(code).toBe(2);
    expect(err).toContain('"Jex" = 1e+300');
    expect(err).not.toContain('RangeError');
  });

  it('{"dt": 1e-9}: exit 2 naming dt, the output times and the bytes of the result', async () => {
    const tiny = refusal({ dt: 1e-9 });
    expect(tiny.key).toBe('dt');
    expect(tiny.message).toContain('8.00e+10 output times');
    expect(tiny.message).toMatch(/series would need [\d.]+ TiB \(\d+ bytes\) and their JSON text [\d.]+ TiB \(\d+ bytes\)/);
    expect(refusal({ tEnd: 1e6, dt: 10 }).message).toContain('>= tEnd / 99999 = 10.01 fs');
    const e = refusal({ dt: 1e-5 });
    expect(e.message).toContain('8.00e+6 output times');
    expect(e.message).toMatch(/series would need [\d.]+ GiB \(\d+ bytes\)/);
    const { code, err } = await cli('{"dt": 1e-9}');
    expect(code).toBe(2);
    expect(err).toContain('"dt" = 1e-9');
    expect(err).toContain('8.00e+10 output times');
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('{"N": 20, "L": 2, "sigma": 1e-300, "tEnd": 2}: exit 2 naming sigma, not d', async () => {
    const e = refusal({ N: 20, L: 2, sigma: 1e-300, tEnd: 2 });
    expect(e.key).toBe('sigma');
    expect(e.message).toContain('cannot be normalized');
    const { code, err } = await cli('{"N": 20, "L": 2, "sigma": 1e-300, "tEnd": 2}');
    expect(code).toBe(2);
    expect(err).toContain('"sigma"');
    expect(err).not.toContain('"d"');
  });
});

describe('the ranges', () => {
  it.each([
    [{ N: LIMITS.maxN + 1 }, 'N'],
    [{ N: 1e308 }, 'N'],
    [{ th: -100.0001 }, 'th'],
    [{ Jsd: 1e-300, Jex: -1e308 }, 'Jex'],
    [{ ke: 1001 }, 'ke'],
    [{ sigma: 0.099 }, 'sigma'],
    [{ sigma: 1e7 }, 'sigma'],
    [{ x2: -2e9 }, 'x2'],
    [{ d: 1e308 }, 'd'],
    [{ tEnd: 1e6 + 1, dt: 100 }, 'tEnd'],
    [{ tEnd: 1e-6, dt: 1e-7 }, 'dt'],
    [{ tEnd: 1e5, dt: 0.5 }, 'dt'],
  ])('refuses %j naming %s', (input, key) => {
    expect(refusal(input).key).toBe(key);
  });

  it.each([
    [{ th: 100, Jex: -100, Jsd: 100, tEnd: 1, dt: 0.1 }],
    [{ th: 1e-300, Jex: -0, Jsd: 0 }],
    [{ ke: -1000, sigma: 0.1, x2: -1e9, d: 1e9 }],
    [{ sigma: 1e6 }],
    [{ tEnd: 1e6, dt: 20 }],
    [{ tEnd: 1e-6, dt: 1e-6 }],
    [{ tEnd: 1, dt: 1 / (LIMITS.maxOutputTimes - 1) }],
  ])('accepts the bounds themselves: %j', (input) => {
    expect(() => parseRunConfig(input)).not.toThrow();
  });

  it('refuses a dt too long for the spectrum, naming dt and the longest that works', () => {
    const e = refusal({ N: 30, L: 20, Jex: 100, th: 100, tEnd: 200, dt: 200 });
    expect(e.key).toBe('dt');
    expect(e.message).toMatch(/about \d+ Chebyshev terms/);
    const dtMax = Number(/<= ([\d.e+-]+) fs/.exec(e.message)![1]);
    expect(() => parseRunConfig({ N: 30, L: 20, Jex: 100, th: 100, tEnd: 200, dt: dtMax * 0.99 })).not.toThrow();
  });

  it('leaves the defaults unchanged', () => {
    expect(parseRunConfig({})).toEqual(DEFAULT_CONFIG);
  });
});

describe('what the ranges bound', () => {
  const configs: ResolvedRunConfig[] = [
    engineConfig({}),
    engineConfig({ N: 10, L: 8, th: -100, Jex: 100, Jsd: -100, electronSpin: 'pauli', tEnd: 1, dt: 0.1 }),
    engineConfig({ N: 10, L: 3, state: 'single', Jsd: 100, sdTerms: 'flip' }),
    engineConfig({ N: 10, L: 3, Jsd: -100, sdTerms: 'zz', electronSpin: 'pauli' }),
  ];

  it.each(configs.map((c) => [c]))('the half-width bound is at least the rigorous one (%#)', (config) => {
    const { halfWidth } = spectralScale(spectralBounds(hamiltonianTerms(config)));
    expect(spectralHalfWidthBound(config)).toBeGreaterThanOrEqual(halfWidth);
    expect(spectralHalfWidthBound(config)).toBeLessThan(halfWidth * 1.25 + 1e-9);
  });

  it('keeps the Chebyshev series finite at both ends of the Bessel argument', () => {
    const widest = engineConfig({ N: 4, L: 4, th: 100, Jex: 100, Jsd: 100, electronSpin: 'pauli', tEnd: 0.1, dt: 0.1 });
    const big = chebyshevArgument(widest);
    expect(big).toBeLessThanOrEqual(LIMITS.maxChebyshevArgument);
    const w = chebyshevWeights(4 * LIMITS.maxChebyshevArgument, 1e-15);
    expect(w.every(Number.isFinite)).toBe(true);
    expect(w.length).toBeLessThan(4 * LIMITS.maxChebyshevArgument + 1000);
    // The smallest argument: zero couplings (half-width 1e-12 eV) over the shortest dt.
    const tiny = (1e-12 * LIMITS.minDt) / 0.6582119569;
    const j = besselJSequence(tiny, 40);
    expect(j.every(Number.isFinite)).toBe(true);
    expect(j[0]).toBe(1);
    expect(chebyshevWeights(tiny, 1e-15).every(Number.isFinite)).toBe(true);
  });

  it('the small-argument Bessel series joins the recurrence', () => {
    for (const x of [1e-9, 2e-9]) {
      const series = besselJSequence(x * 0.999999, 5);
      const recurrence = besselJSequence(x * 1.000001, 5);
      for (let k = 0; k <= 5; k++) expect(Math.abs(series[k] / recurrence[k] - (0.999999 / 1.000001) ** k)).toBeLessThan(1e-9);
    }
    expect(Array.from(besselJSequence(1e-300, 3))).toEqual([1, 5e-301, 0, 0]);
  });

  it('counts output times without allocating them', () => {
    expect(outputCount({ tEnd: 80, dt: 0.5 })).toBe(161);
    expect(outputCount({ tEnd: 0.3, dt: 0.1 })).toBe(4);
    expect(outputCount({ tEnd: 1e6, dt: 1e-6 })).toBe(1e12 + 1);
  });
});

describe('the memory check counts the result', () => {
  it('includes the series and its JSON text', () => {
    const config = engineConfig({ N: 8, L: 1, state: 'single', tEnd: 500, dt: 0.01 });
    const { seriesBytes, jsonChars } = resultSize(config);
    expect(seriesBytes).toBe(50001 * (8 + 1 + 16) * 8);
    expect(checkMemory(config).bytesNeeded).toBeGreaterThan(seriesBytes + jsonChars);
  });

  it('refuses a result whose JSON no string can hold, before the run', async () => {
    const config = parseRunConfig({ N: 20000, L: 1, state: 'single', tEnd: 500, dt: 0.01 });
    expect(resultSize(config).jsonChars).toBeGreaterThan(MAX_JSON_TEXT);
    const started = Date.now();
    await expect(simulate(config, { backend: 'cpu' })).rejects.toBeInstanceOf(ResourceError);
    await expect(simulate(config, { backend: 'cpu' })).rejects.toThrow(/Raise dt, lower tEnd or N/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
