/**
 * Property-based tests of issue 14 (fast-check): run configs, study options
 * and command lines, generated from valid values mixed with JSON's extremes
 * and every documented bound. Each input is refused before any work, or runs
 * to a finite result within the drift bounds (properties.ts).
 *
 * `npm test` runs a few cases of each property (seconds); `npm run fuzz`
 * runs many (FUZZ_RUNS, default 2000 per property, fewer for whole runs),
 * prints the figures and writes them to FUZZ_REPORT (default
 * fuzz-report.json). A failure prints its seed and counterexample: keep
 * those as cases in regressions.test.ts.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { commandLine, configObject, configText, mostlyValidConfig, smallConfig, sweepFile } from './arbitraries.js';
import type { StudyOptions } from '../../src/studies/run-study.js';
import { checkCli, checkRun, checkValidation, Tally } from './properties.js';

const LONG = process.env.FUZZ_RUNS !== undefined;
const RUNS = LONG ? Number(process.env.FUZZ_RUNS) : 0;
/** Cases per property: [npm test, npm run fuzz]. Whole runs and command lines cost more than validation. */
const cases = (short: number, long: number) => (LONG ? Math.max(1, Math.round((RUNS * long) / 2000)) : short);
// A long run picks its seed and reports it, so that its figures can be replayed (FUZZ_SEED).
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : LONG ? Date.now() % 2 ** 31 : undefined;
// A case that takes longer than a minute counts as a hang, and fails.
// Said at the start, so that a run that dies (killed for memory, say) can still be replayed.
if (LONG) console.log(`fuzz: seed ${seed}, FUZZ_RUNS ${RUNS}`);
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed, verbose: 1, endOnFailure: true, timeout: 60_000 });

const tallies = { validation: new Tally(), runs: new Tally(), studies: new Tally(), sweeps: new Tally(), cli: new Tally() };
let files: string;

afterAll(() => {
  if (files) rmSync(files, { recursive: true, force: true });
  if (!LONG) return;
  const report = {
    date: new Date().toISOString(),
    seed: seed ?? 'random',
    ...Object.fromEntries(Object.entries(tallies).map(([k, t]) => [k, t.toJSON()])),
  };
  const total = Object.values(tallies).reduce(
    (s, t) => ({ cases: s.cases + t.cases, refused: s.refused + t.refusedTotal, accepted: s.accepted + t.ran, validButNotRun: s.validButNotRun + t.skipped }),
    { cases: 0, refused: 0, accepted: 0, validButNotRun: 0 },
  );
  const path = process.env.FUZZ_REPORT ?? 'fuzz-report.json';
  writeFileSync(path, `${JSON.stringify({ ...report, total }, null, 2)}\n`);
  console.log(
    `fuzz: ${total.cases} cases, ${total.refused} refused before any work, ${total.accepted} accepted (runs: ${tallies.runs.ran} finite results), ` +
      `${total.validButNotRun} valid but too costly to run here, 0 failures; figures in ${path}`,
  );
});

describe('fuzzed inputs: refused before any work, or a finite result', () => {
  it('run configs of any size: parse, memory check and every derived quantity', () => {
    const input = fc.oneof(configObject(true), mostlyValidConfig());
    fc.assert(fc.property(input, (config) => tallies.validation.add(checkValidation(config))), params(cases(300, 2000)));
  });

  it('small run configs with extreme values run to a finite result within the drift bounds, or are refused before work', async () => {
    await fc.assert(fc.asyncProperty(smallConfig(LONG ? 24 : 10), async (input) => tallies.runs.add(await checkRun(input))), params(cases(25, 400)));
  });

  it('study options (d, points) over small base configs', async () => {
    const { runStudy } = await import('../../src/studies/run-study.js');
    const { refusalOf } = await import('./properties.js');
    const distance = fc.oneof({ arbitrary: fc.double({ min: 0.5, max: 20, noNaN: true }), weight: 6 }, { arbitrary: fc.constantFrom(0, -0, 1e-300, 1e9, 1e9 + 1, 1e308, -1, NaN), weight: 1 });
    const distances = fc.oneof({ arbitrary: fc.array(distance, { minLength: 1, maxLength: 3 }), weight: 8 }, { arbitrary: fc.constantFrom([], 'abc', [[1]]), weight: 1 });
    const points = fc.oneof({ arbitrary: fc.integer({ min: 3, max: 40 }), weight: 6 }, { arbitrary: fc.constantFrom(2, 4096, 4097, 1e308, -0, 3.5, NaN, '16'), weight: 1 });
    const lengths = fc.oneof(
      { arbitrary: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }), weight: 6 },
      { arbitrary: fc.constantFrom([], [0], [1e308], [2.5], ['2'], 'abc', [-1]), weight: 1 },
    );
    // Mostly each study with its own option; now and then one it does not take, or a study that does not exist.
    const studyAndOptions = fc.oneof(
      { arbitrary: fc.constant(['fig2a', {}] as const), weight: 2 },
      { arbitrary: fc.constant(['fig3', {}] as const), weight: 2 },
      { arbitrary: fc.option(distances, { freq: 4 }).map((d) => ['fig2b', d === null ? {} : { d }] as const), weight: 3 },
      { arbitrary: fc.option(points, { freq: 4 }).map((p) => ['fig4', p === null ? {} : { points: p }] as const), weight: 3 },
      { arbitrary: fc.option(lengths, { freq: 4 }).map((L) => ['length', L === null ? {} : { L }] as const), weight: 2 },
      { arbitrary: fc.tuple(fc.constantFrom('fig2a', 'fig3', 'length', 'fig5'), distances, points).map(([n, d, p]) => [n, { d, points: p }] as const), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(studyAndOptions, smallConfig(8), async ([name, opts], base) => {
        let outcome;
        try {
          const r = await runStudy(name as 'fig2a', { ...base, N: Math.min(Number(base.N), 8), tEnd: 0.5, dt: 0.25 }, { backend: 'cpu', threads: 1, ...(opts as StudyOptions) });
          // Every number of the study is finite.
          JSON.stringify(r, (_k, v) => {
            if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`non-finite number in the ${name} result`);
            return v;
          });
          outcome = { ran: true as const };
        } catch (err) {
          outcome = refusalOf(err, { ...base, ...opts, name });
        }
        tallies.studies.add(outcome);
      }),
      params(cases(10, 150)),
    );
  });

  it('sweep files: every point checked, or refused naming the key', async () => {
    const { parseSweepFile } = await import('../../src/sweeps/grid.js');
    const { planSweep } = await import('../../src/sweeps/run-sweep.js');
    fc.assert(
      fc.property(sweepFile(), (file) => {
        let outcome;
        try {
          const plan = planSweep(parseSweepFile(file));
          for (const p of plan.points) for (const v of Object.values(p.config)) if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`point ${p.index}: non-finite config`);
          outcome = { ran: true as const };
        } catch (err) {
          // The sweep's own keys (grid, base, mode) and the swept keys are named; '' is the whole grid or file.
          if (!(err instanceof Error) || !['ConfigError', 'ResourceError'].includes(err.name)) throw err;
          outcome = { refused: err.name === 'ResourceError' ? 'memory' : (err as unknown as { key: string }).key || '(whole file or grid)' };
        }
        tallies.sweeps.add(outcome);
      }),
      params(cases(100, 1000)),
    );
  });

  it('command lines and config files: exit 0, or exit 2 with the message; never 1', async () => {
    files = mkdtempSync(join(tmpdir(), 'spin-transfer-fuzz-'));
    const tiny = join(files, 'tiny.json');
    writeFileSync(tiny, JSON.stringify({ N: 6, L: 1, sigma: 1, x2: 1, d: 2, tEnd: 0.5, dt: 0.25 }));
    await fc.assert(
      fc.asyncProperty(commandLine(), configText(true), async (argv, text) => tallies.cli.add(await checkCli(argv, text, files, tiny))),
      params(cases(40, 1500)),
    );
  });

  it('config files of any size through the CLI parse: refused with exit 2 or accepted', async () => {
    await fc.assert(
      fc.asyncProperty(configText(false), async (text) => {
        // Validation only (a large accepted config is not run): the file's JSON through the same parse as `run`.
        let input: unknown;
        try {
          input = JSON.parse(text);
        } catch {
          tallies.validation.add({ refused: 'JSON' });
          return;
        }
        tallies.validation.add(checkValidation(input));
      }),
      params(cases(100, 2000)),
    );
  });
});
