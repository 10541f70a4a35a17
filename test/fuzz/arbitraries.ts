/**
 * fast-check arbitraries for the inputs a user gives the engine: run configs
 * (as objects, for the library, and as raw JSON text, for the CLI), study
 * options and command lines. Each value mixes sensible values with JSON's
 * extremes (±1e308, 1e-300, -0, huge integers, integers written as floats),
 * values at and just past every documented bound, long strings, nested
 * objects and, in the JSON text, duplicate keys.
 */

import fc from 'fast-check';
import { BASIS_SETTINGS, ELECTRON_SPINS, INITIAL_STATES, SD_TERMS, SPIN_DIRECTIONS, type RunConfig } from '../../src/model/config.js';
import { MAX_L } from '../../src/model/layout.js';
import { LIMITS } from '../../src/model/limits.js';

export const CONFIG_KEYS = [
  'N', 'L', 'spinStart', 'th', 'Jex', 'Jsd', 'electronSpin', 'sdTerms', 'state', 'theta',
  'singleSpin', 'ke', 'sigma', 'x2', 'd', 'tEnd', 'dt', 'basis',
] as const satisfies readonly (keyof RunConfig)[];

/** The next double above and below x. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += x > 0 ? 1n : -1n;
  return f[0];
}
export const nextDown = (x: number): number => -nextUp(-x);

/** A bound, and the doubles just inside and outside it. */
const around = (...bounds: number[]) => bounds.flatMap((b) => [b, nextUp(b), nextDown(b)]);

/** JSON's extremes, and the numbers that trip float code. */
export const EXTREMES = [
  1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 1e-300, -1e-300, -0, 0,
  2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e16, 2 ** 31, 2 ** 32, 0.1, 0.5, 1, -1, Math.PI, 2 * Math.PI,
];

/** Documented bounds per key (README's config table), each with its neighbours. */
export const BOUNDS: Record<string, number[]> = {
  N: around(4, 24, LIMITS.maxN).concat([3, 5]),
  L: around(1, MAX_L, MAX_L + 1).concat([0, 2, 3]),
  spinStart: [0, -1, 1, 20, 196, 197],
  th: around(-LIMITS.maxCoupling, LIMITS.maxCoupling, 0),
  Jex: around(-LIMITS.maxCoupling, LIMITS.maxCoupling, 0),
  Jsd: around(-LIMITS.maxCoupling, LIMITS.maxCoupling, 0),
  theta: [0, Math.PI, -Math.PI, 1e308],
  ke: around(-LIMITS.maxKe, LIMITS.maxKe, 0, Math.PI),
  sigma: around(LIMITS.minSigma, LIMITS.maxSigma, 0),
  x2: around(-LIMITS.maxPosition, LIMITS.maxPosition, 0),
  d: around(0, LIMITS.maxPosition),
  tEnd: around(0, LIMITS.maxTEnd, LIMITS.minDt),
  dt: around(0, LIMITS.minDt, 80, 1e-9),
};

const CHOICES: Record<string, readonly string[]> = {
  electronSpin: ELECTRON_SPINS,
  sdTerms: SD_TERMS,
  state: INITIAL_STATES,
  singleSpin: SPIN_DIRECTIONS,
  basis: BASIS_SETTINGS,
};

/** Values that are not numbers: strings short and long, numeric text, nested objects, arrays, null, booleans. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('12', '1e308', 'NaN', '', ' ', '<img src=x onerror=alert(1)>', 'singlet ', 'SINGLET', 'x'.repeat(100_000)),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxKeys: 3 }),
  fc.constant({ nested: { deeper: [1, { N: 12 }] } }),
);

/** Any value a key might be given, biased towards the plausible. `library` adds what only a JS caller can pass (NaN, ±Infinity, undefined). */
export function anyValue(key: string, library = false): fc.Arbitrary<unknown> {
  const choices = Object.hasOwn(CHOICES, key) ? CHOICES[key] : undefined;
  const plausible: fc.Arbitrary<unknown> = choices
    ? fc.constantFrom(...choices)
    : key === 'N' ? fc.integer({ min: 4, max: 400 })
    : key === 'L' ? fc.integer({ min: 1, max: 30 })
    : key === 'spinStart' ? fc.integer({ min: -2, max: 400 })
    : fc.double({ min: -200, max: 200, noNaN: true });
  const arbs: fc.WeightedArbitrary<unknown>[] = [
    { arbitrary: plausible, weight: 5 },
    { arbitrary: fc.constantFrom(...EXTREMES, ...(Object.hasOwn(BOUNDS, key) ? BOUNDS[key] : [])), weight: 4 },
    { arbitrary: fc.double({ noNaN: !library, noDefaultInfinity: !library }), weight: 1 },
    { arbitrary: junk, weight: 1 },
  ];
  if (library) arbs.push({ arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, undefined), weight: 1 });
  return fc.oneof(...arbs);
}

const UNKNOWN_KEYS = ['foo', 'n', 'tend', 'Theta', 'constructor', 'toString', 'hasOwnProperty', ''];

/** A run config object: any subset of the keys (sometimes all), sometimes an unknown key. */
export function configObject(library = true): fc.Arbitrary<Record<string, unknown>> {
  const record = fc.record(Object.fromEntries(CONFIG_KEYS.map((k) => [k, anyValue(k, library)])), { requiredKeys: [] });
  const every = fc.record(Object.fromEntries(CONFIG_KEYS.map((k) => [k, anyValue(k, library)])));
  const unknownKey = fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, { arbitrary: fc.constantFrom(...UNKNOWN_KEYS), weight: 1 });
  return fc.tuple(fc.oneof({ arbitrary: record, weight: 4 }, { arbitrary: every, weight: 1 }), unknownKey, junk).map(
    ([config, unknown, value]) => {
      const out: Record<string, unknown> = { ...config };
      if (unknown !== null) Object.defineProperty(out, unknown, { value, enumerable: true, configurable: true, writable: true });
      return out;
    },
  );
}

/** Plausible ranges for the runs branch: wide, but valid. */
const VALID_RANGE: Record<string, [number, number]> = {
  th: [-LIMITS.maxCoupling, LIMITS.maxCoupling],
  Jex: [-LIMITS.maxCoupling, LIMITS.maxCoupling],
  Jsd: [-LIMITS.maxCoupling, LIMITS.maxCoupling],
  theta: [-1e3, 1e3],
  ke: [-LIMITS.maxKe, LIMITS.maxKe],
  sigma: [LIMITS.minSigma, 50],
  x2: [-100, 100],
  d: [0, 100],
  N: [4, 2000],
  L: [1, 64],
  spinStart: [0, 60],
  tEnd: [LIMITS.minDt, 1000],
  dt: [LIMITS.minDt, 10],
};
const INTEGER_KEYS = new Set(['N', 'L', 'spinStart']);

/**
 * A value of the key that is mostly valid: the whole valid range, the bounds
 * and their neighbours (some just outside), JSON's extremes, and now and then
 * anything at all. A config of a dozen such values is still often valid, so
 * the runs branch runs.
 */
export function mostlyValid(key: string): fc.Arbitrary<unknown> {
  if (Object.hasOwn(CHOICES, key)) {
    return fc.oneof({ arbitrary: fc.constantFrom(...CHOICES[key]), weight: 20 }, { arbitrary: anyValue(key), weight: 1 });
  }
  const [min, max] = Object.hasOwn(VALID_RANGE, key) ? VALID_RANGE[key] : [-1, 1];
  return fc.oneof(
    { arbitrary: INTEGER_KEYS.has(key) ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true }), weight: 12 },
    { arbitrary: fc.constantFrom(...EXTREMES.filter((x) => x >= min && x <= max), ...(Object.hasOwn(BOUNDS, key) ? BOUNDS[key] : [])), weight: 4 },
    { arbitrary: anyValue(key), weight: 1 },
  );
}

/** A config object of any size whose keys are mostly valid: what exercises the checks past the first refusal. */
export function mostlyValidConfig(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(CONFIG_KEYS.map((k) => [k, mostlyValid(k)])), { requiredKeys: [] });
}

/**
 * A config small enough to run in a fraction of a second, with every other
 * key free to take its extremes: N <= maxN, L <= 3, tEnd <= 2 fs and at most
 * 40 output times. Many of these are still refused (the couplings, sigma, x2,
 * … roam over their whole range); the rest must run to a finite result.
 */
export function smallConfig(maxN: number): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.integer({ min: 4, max: maxN }),
      fc.integer({ min: 1, max: 3 }),
      fc.oneof(fc.double({ min: 0.05, max: 2, noNaN: true }), fc.constantFrom(LIMITS.minDt, 1e-3, 0.5, 2)),
      fc.integer({ min: 1, max: 40 }),
      fc.record(
        Object.fromEntries(
          CONFIG_KEYS.filter((k) => !['N', 'L', 'tEnd', 'dt', 'spinStart'].includes(k)).map((k) => [k, mostlyValid(k)]),
        ),
        { requiredKeys: [] },
      ),
      fc.option(fc.nat(), { freq: 3 }),
    )
    .map(([N, L0, tEnd, steps, rest, spin]) => {
      const L = Math.min(L0, N);
      const config: Record<string, unknown> = { ...rest, N, L, tEnd, dt: tEnd / steps };
      if (spin !== null) config.spinStart = spin % (N - L + 1);
      return config;
    });
}

/** A number as JSON text, in the forms people write: 4.0, 1E+308, -0, 1e309 (Infinity to JSON.parse), 30 digits. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('4.0', '12.000', '1E+308', '1e309', '-1e309', '-0', '-0.0', '1e-300', '123456789012345678901234567890', '0.1e1', '2e0', '1e-400'),
  fc.constantFrom(...EXTREMES).map((x) => JSON.stringify(x)),
  fc.integer({ min: -5, max: 300 }).map((x) => `${x}.0`),
);

/** A value as JSON text: any value of the key, or a number written oddly. */
function valueText(key: string, small: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: (small ? mostlyValid(key) : anyValue(key)).map((v) => JSON.stringify(v ?? null)), weight: small ? 12 : 4 },
    { arbitrary: numberText, weight: small ? 1 : 2 },
  );
}

const SIZE_KEYS = ['N', 'L', 'tEnd', 'dt', 'spinStart'];

/**
 * The text of a run config file: key-value pairs (duplicates allowed: JSON.parse
 * keeps the last), sometimes cut short, sometimes not an object at all.
 * `small` keeps N, L, tEnd and dt small so that accepted configs run fast.
 */
export function configText(small: boolean): fc.Arbitrary<string> {
  // Small: the sizes come from smallConfig; the other keys, a duplicate size or an unknown key now and then.
  const keys = small
    ? fc.oneof({ arbitrary: fc.constantFrom(...CONFIG_KEYS.filter((k) => !SIZE_KEYS.includes(k))), weight: 15 }, { arbitrary: fc.constantFrom(...SIZE_KEYS, 'foo', '__proto__'), weight: 1 })
    : fc.constantFrom(...CONFIG_KEYS, 'foo', '__proto__');
  const pair = keys.chain((key) => valueText(key, small).map((v) => `${JSON.stringify(key)}: ${v}`));
  const sizes = small
    ? smallConfig(16).map((c) => Object.entries(c).filter(([k]) => ['N', 'L', 'tEnd', 'dt', 'spinStart'].includes(k)).map(([k, v]) => `"${k}": ${JSON.stringify(v)}`))
    : fc.constant([] as string[]);
  const object = fc
    .tuple(fc.array(pair, { maxLength: small ? 5 : 8 }), sizes, fc.boolean())
    .map(([pairs, fixed, sizesLast]) => `{${(small && sizesLast ? [...pairs, ...fixed] : [...fixed, ...pairs]).join(', ')}}`);
  return fc.oneof(
    { arbitrary: object, weight: small ? 30 : 8 },
    { arbitrary: object.chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n))), weight: 1 },
    { arbitrary: fc.constantFrom('', '[]', 'null', '12', '"N"', '{"N": }', '{N: 12}', "{'N': 12}", '{"N": 12,}', '\u0000'), weight: 1 },
  );
}

/** Values for command-line options: sensible, extreme, or odd. */
const optionValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('1', '2', '4', '16', '3', '0', '-1', '1e308', '4096', '4097', '2.5', 'auto', '', ' ', 'NaN', '10,20', '0,10', '1e9', '1e10', ',', '10,,20', '-0', 'x'.repeat(5000)),
  fc.string({ maxLength: 10 }),
  fc.array(fc.constantFrom('0', '1', '2.5', '1e308', '-1', '10', 'a'), { minLength: 1, maxLength: 4 }).map((a) => a.join(',')),
);

const OPTION_VALUES: Record<string, fc.Arbitrary<string>> = {
  '--backend': fc.oneof({ arbitrary: fc.constantFrom('cpu', 'auto'), weight: 4 }, { arbitrary: fc.constantFrom('webgpux', 'CPU', ''), weight: 1 }),
  '--threads': fc.oneof({ arbitrary: fc.constantFrom('1', '2', 'auto'), weight: 4 }, { arbitrary: fc.constantFrom('0', '256', '257', '4096', '1e308', '2.5', '-1', ''), weight: 1 }),
  '--d': fc.oneof(
    { arbitrary: fc.array(fc.constantFrom('2', '3', '4.5', '1e-300', '-0'), { minLength: 1, maxLength: 3 }).map((a) => a.join(',')), weight: 4 },
    { arbitrary: fc.constantFrom('0', '-1', '1e308', '1e9', '1000000001', ',', '10,,20', '', 'x'), weight: 1 },
  ),
  '--basis': fc.oneof({ arbitrary: fc.constantFrom('auto', 'full', 'sector', 'antisymmetric'), weight: 4 }, { arbitrary: fc.constantFrom('Sector', '', 'half'), weight: 1 }),
  '--points': fc.oneof({ arbitrary: fc.constantFrom('3', '4', '16'), weight: 4 }, { arbitrary: fc.constantFrom('2', '4096', '4097', '1e308', '3.0', '-3', ''), weight: 1 }),
};

/** A command line for `spin-transfer`: a command and options, mostly the real ones with valid values, sometimes anything. */
export function commandLine(): fc.Arbitrary<string[]> {
  const option = (names: string[]) =>
    fc.constantFrom(...names).chain((name) => {
      const takes = ['--backend', '--threads', '--basis', '--out', '-o', '--config', '-c', '--d', '--points'].includes(name);
      const value = OPTION_VALUES[name] ?? fc.oneof({ arbitrary: fc.constantFrom('out.json', 'dir', 'CONFIG'), weight: 4 }, { arbitrary: optionValue, weight: 1 });
      if (!takes) return fc.oneof({ arbitrary: fc.constant([name]), weight: 8 }, { arbitrary: optionValue.map((v) => [name, v]), weight: 1 });
      return fc.tuple(value, fc.boolean(), fc.nat(20)).map(([v, eq, missing]) =>
        missing === 0 ? [name] : eq && name.startsWith('--') ? [`${name}=${v}`] : [name, v],
      );
    });
  const options = (names: string[], rare: string[]) =>
    fc.array(fc.oneof({ arbitrary: option(names), weight: 12 }, { arbitrary: option(rare), weight: 1 }), { maxLength: 4 }).map((a) => a.flat());
  const run = fc
    .tuple(fc.oneof({ arbitrary: fc.constantFrom('CONFIG', '-'), weight: 8 }, { arbitrary: fc.constantFrom('missing.json', ''), weight: 1 }),
      options(['--backend', '--threads', '--basis', '--out', '-o', '--quiet', '-q'], ['--debug', '--bogus', '-x', '--', '-', '--points']))
    .map(([f, o]) => ['run', f, ...o]);
  const study = fc
    .tuple(fc.oneof({ arbitrary: fc.constantFrom('fig2a', 'fig2b', 'fig3', 'fig4'), weight: 8 }, { arbitrary: fc.constantFrom('fig5', ''), weight: 1 }),
      options(['--config', '-c', '--backend', '--threads', '--basis', '--d', '--points', '--quiet', '-q'], ['--out', '-o', '--debug', '--nope']))
    .map(([n, o]) => ['study', n, ...o]);
  const other = fc.array(fc.oneof(fc.constantFrom('run', 'study', 'help', '--help', '-h', '-V', '--version', 'fig4'), fc.string({ maxLength: 6 })), { maxLength: 4 });
  return fc.oneof({ arbitrary: run, weight: 5 }, { arbitrary: study, weight: 4 }, { arbitrary: other, weight: 1 });
}

/** A sweep file (docs/sweeps.md): a base config, a grid of lists and ranges "a:b:n" (extremes included), a mode. */
export function sweepFile(): fc.Arbitrary<unknown> {
  const numeric = CONFIG_KEYS.filter((k) => !Object.hasOwn(CHOICES, k));
  const list = (key: string) =>
    fc.oneof(
      { arbitrary: fc.array(mostlyValid(key), { minLength: 1, maxLength: 3 }), weight: 6 },
      { arbitrary: fc.tuple(fc.constantFrom(...EXTREMES), fc.constantFrom(...EXTREMES), fc.constantFrom('1', '2', '3', '0', '100000', '100001', '1e3', '')).map(([a, b, n]) => `${a}:${b}:${n}`), weight: 2 },
      { arbitrary: fc.constantFrom('1:2:3', '0.1,0.2', '', ':', '1:2', 'a:b:2', [], [null], [[1]]), weight: 1 },
    );
  const grid = fc.oneof(
    { arbitrary: fc.uniqueArray(fc.constantFrom(...numeric, 'state', 'sdTerms', 'foo'), { minLength: 1, maxLength: 3 }).chain((keys) =>
      fc.tuple(...keys.map((k) => (Object.hasOwn(CHOICES, k) ? fc.array(fc.constantFrom(...CHOICES[k], 'x'), { minLength: 1, maxLength: 3 }) : list(k)))).map((values) =>
        Object.fromEntries(keys.map((k, i) => [k, values[i]])))), weight: 8 },
    { arbitrary: junk, weight: 1 },
  );
  const base = fc.oneof({ arbitrary: smallConfig(12), weight: 4 }, { arbitrary: configObject(false), weight: 1 });
  return fc.oneof(
    { arbitrary: fc.record({ base, grid, mode: fc.constantFrom('product', 'zip', 'diagonal') }, { requiredKeys: ['grid'] }), weight: 8 },
    { arbitrary: junk, weight: 1 },
  );
}
