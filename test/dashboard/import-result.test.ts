// The result import in Node: every malformed shape refused with a message naming the key.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../src/model/result.js';
import { simulate } from '../../src/simulate.js';
import { checkImportSize, ImportError, MAX_IMPORT_BYTES, parseResultJson } from '../../src/dashboard/import-result.js';
import { ConfigError } from '../../src/model/config.js';

let run: SimulationResult;
beforeAll(async () => {
  run = await simulate({ N: 12, L: 2, tEnd: 1, dt: 0.5 }, { backend: 'cpu' });
});

const refused = (mutate: (o: Record<string, unknown>) => void, message: RegExp) => {
  const o = JSON.parse(JSON.stringify(run)) as Record<string, unknown>;
  mutate(o);
  expect(() => parseResultJson(JSON.stringify(o))).toThrow(message);
};

describe('parseResultJson', () => {
  it('reads back a run result as written', () => {
    expect(parseResultJson(JSON.stringify(run))).toEqual(run);
  });

  it('keeps HTML in strings as plain strings (the page shows them as text)', () => {
    const text = JSON.stringify({ ...run, backend: '<img src=x onerror="window.__pwned=1">', warnings: ['<script>window.__pwned=1</script>'] });
    const r = parseResultJson(text) as SimulationResult;
    expect(r.backend).toBe('<img src=x onerror="window.__pwned=1">');
    expect(r.warnings).toEqual(['<script>window.__pwned=1</script>']);
  });

  it.each([
    ['not JSON', '{"t": [0, 1', /not JSON/],
    ['truncated', () => JSON.stringify(run).slice(0, 200), /not JSON/],
    ['an array', '[1, 2]', /JSON object/],
    ['null', 'null', /JSON object/],
    ['empty', '', /not JSON/],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseResultJson(typeof text === 'function' ? text() : text)).toThrow(message);
  });

  it.each([
    ['t not numbers', (o: Record<string, unknown>) => (o.t = ['<b>0</b>']), /"t" must be an array of numbers/],
    ['a short series', (o: Record<string, unknown>) => (o.norm = [1]), /"norm" has 1 entries, "t" has 3/],
    ['a density row of strings', (o: Record<string, unknown>) => ((o.density as unknown[])[1] = ['x']), /"density\[1\]" must be an array of 12 numbers/],
    ['SzSites missing', (o: Record<string, unknown>) => delete o.SzSites, /"SzSites" must hold one row per output time/],
    ['probabilities not an object', (o: Record<string, unknown>) => (o.probabilities = 'S'), /"probabilities" must be an object/],
    ['timing a string', (o: Record<string, unknown>) => (o.timing = { seconds: '1' }), /"timing"/],
    ['backend an object', (o: Record<string, unknown>) => (o.backend = { toString: 1 }), /"backend" must be a string/],
    ['warnings not strings', (o: Record<string, unknown>) => (o.warnings = [{}]), /"warnings" must be a list of strings/],
    ['chainIntervals of strings', (o: Record<string, unknown>) => (o.chainIntervals = [['a', 'b']]), /chainIntervals/],
    ['an unknown study', (o: Record<string, unknown>) => (o.study = '<svg onload=alert(1)>'), /unknown study/],
    ['a fig4 without series', (o: Record<string, unknown>) => Object.assign(o, { study: 'fig4', runs: [], theta: [0], final: [0], average: [0, 0, 0], single: [0, 0, 0] }), /"series"/],
  ])('refuses %s, naming the key', (_, mutate, message) => {
    refused(mutate, message);
  });

  it('refuses a bad config in the file with the engine\'s message', () => {
    const o = { ...run, config: { ...run.config, N: 1e308 } };
    expect(() => parseResultJson(JSON.stringify(o))).toThrow(ConfigError);
  });

  it('refuses a file over the size limit before reading it', () => {
    expect(() => checkImportSize(100 * 2 ** 20)).toThrow(ImportError);
    expect(() => checkImportSize(100 * 2 ** 20)).toThrow(/100\.0 MiB; the dashboard imports results up to 64 MiB/);
    expect(() => checkImportSize(MAX_IMPORT_BYTES)).not.toThrow();
  });
});
