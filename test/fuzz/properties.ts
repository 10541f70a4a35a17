/**
 * The property of issue 14, as three checks: each input is either refused
 * before any work (library: ConfigError or ResourceError naming the key;
 * CLI: exit 2 with one line naming key, value and allowed range) or runs to
 * a result whose every number is finite, with norm and energy drift below
 * the documented bound. A check throws on a violation and otherwise says
 * which way the input went, for the figures of docs/reliability.md.
 */

import { withPresumedBasis } from '../../src/model/basis.js';
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { expect } from 'vitest';
import { ResourceError } from '../../src/backends/backend.js';
import { parseInvocation } from '../../src/cli/commands.js';
import { main } from '../../src/cli/main.js';
import { ConfigError, parseRunConfig, type RunConfig } from '../../src/model/config.js';
import { assertInitialStateExists } from '../../src/model/initial-state.js';
import { chebyshevArgument, LIMITS, outputCount, spectralHalfWidthBound } from '../../src/model/limits.js';
import { chainIntervals } from '../../src/model/observables.js';
import type { SimulationResult } from '../../src/model/result.js';
import { HBAR_EV_FS } from '../../src/model/units.js';
import { runWarnings } from '../../src/model/warnings.js';
import { chebyshevSeries } from '../../src/propagator/chebyshev.js';
import { checkMemory, memoryEstimate, simulate } from '../../src/simulate.js';
import { planStudy } from '../../src/studies/run-study.js';
import { CONFIG_KEYS } from './arbitraries.js';

/**
 * The documented drift bounds of an f64 run (docs/reliability.md): |norm - 1|
 * and |E(t) - E(0)| relative to the spectral half-width, over the whole run.
 */
export const DRIFT_BOUND = { norm: 1e-10, energy: 1e-10 };

/** Which way an input went: refused (and by which key or resource), ran, or (CLI only) valid but too costly to run here. */
export type Outcome = { refused: string } | { ran: true } | { skipped: string };

/** Tally of outcomes, for the report: `accepted` is a run that ended in a finite result (or, for the validation check, a config that passed every check). */
export class Tally {
  cases = 0;
  ran = 0;
  skipped = 0;
  refused = new Map<string, number>();
  add(o: Outcome): void {
    this.cases++;
    if ('ran' in o) this.ran++;
    else if ('skipped' in o) this.skipped++;
    else this.refused.set(o.refused, (this.refused.get(o.refused) ?? 0) + 1);
  }
  get refusedTotal(): number {
    return [...this.refused.values()].reduce((a, b) => a + b, 0);
  }
  toJSON() {
    return { cases: this.cases, refused: this.refusedTotal, accepted: this.ran, validButNotRun: this.skipped, refusedBy: Object.fromEntries([...this.refused].sort((a, b) => b[1] - a[1])) };
  }
}

/** A refusal must be a ConfigError naming a key the input holds (or the whole object), or a ResourceError. */
export function refusalOf(err: unknown, input: unknown): Outcome {
  if (err instanceof ResourceError) {
    expect(Number.isFinite(err.bytesNeeded) || err.bytesNeeded === Infinity).toBe(true);
    expect(err.message).toMatch(/needs|need/);
    return { refused: 'memory' };
  }
  if (!(err instanceof ConfigError)) throw err;
  if (err.key === '') {
    const emptyKey = typeof input === 'object' && input !== null && Object.hasOwn(input, '');
    expect(emptyKey || typeof input !== 'object' || input === null || Array.isArray(input), err.message).toBe(true);
    return { refused: emptyKey ? '(unknown key)' : '(not an object)' };
  }
  expect(err.message).toContain(`"${err.key}"`);
  expect(err.message).toContain('allowed');
  // The key named is one the config has (given or derived from a given key: spinStart and x2 follow N and L).
  const known = (CONFIG_KEYS as readonly string[]).includes(err.key);
  if (!known) expect(Object.keys(input as object)).toContain(err.key);
  return { refused: known ? err.key : '(unknown key)' };
}

function expectFinite(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} = ${value}: not finite`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => expectFinite(v, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) expectFinite(v, `${path}.${k}`);
  }
}

/**
 * Validation over any input, of any size: parse, then every quantity the
 * engine derives before it allocates the state. Nothing here is O(dim).
 */
export function checkValidation(input: unknown): Outcome {
  let config: RunConfig;
  try {
    config = parseRunConfig(input);
    assertInitialStateExists(config);
    checkMemory(withPresumedBasis(config));
  } catch (err) {
    return refusalOf(err, input);
  }
  expect(outputCount(config)).toBeLessThanOrEqual(LIMITS.maxOutputTimes);
  expect(chebyshevArgument(config)).toBeLessThanOrEqual(LIMITS.maxChebyshevArgument);
  expect(Number.isFinite(memoryEstimate(withPresumedBasis(config)))).toBe(true);
  expectFinite(chainIntervals(config), 'chainIntervals');
  for (const w of runWarnings(config)) expect(typeof w).toBe('string');
  const series = chebyshevSeries(spectralHalfWidthBound(config), config.dt, HBAR_EV_FS, 4, 'f64');
  expect(series.terms).toBeLessThan(4 * LIMITS.maxChebyshevArgument + 1000);
  for (const w of series.weights) expectFinite(w, 'weights');
  return { ran: true };
}

/** A whole run on the f64 CPU backend (one thread): refused before any work, or finite within the drift bounds. */
export async function checkRun(input: unknown): Promise<Outcome> {
  let started = false, progressed = false;
  let result: SimulationResult;
  try {
    result = await simulate(input, { backend: 'cpu', threads: 1, onBackend: () => (started = true), onProgress: () => (progressed = true) });
  } catch (err) {
    const outcome = refusalOf(err, input);
    expect({ started, progressed }, 'refused after work began').toEqual({ started: false, progressed: false });
    return outcome;
  }
  expectFinite(result, 'result');
  const normDrift = Math.max(...result.norm.map((n) => Math.abs(n - 1)));
  const scale = Math.max(1, spectralHalfWidthBound(result.config));
  const energyDrift = Math.max(...result.energy.map((e) => Math.abs(e - result.energy[0]))) / scale;
  expect(normDrift, 'norm drift').toBeLessThan(DRIFT_BOUND.norm);
  expect(energyDrift, 'energy drift / half-width').toBeLessThan(DRIFT_BOUND.energy);
  expect(result.t.length).toBe(outputCount(result.config));
  return { ran: true };
}

/** Accepted command lines whose runs would cost more than this (amplitudes x output times x terms, summed over jobs) are checked but not run. */
const MAX_CLI_COST = 3e7;

/**
 * The command line, in-process: exit 0, or 2 with a message naming what is
 * wrong; never 1. `files` is a scratch folder: the placeholder CONFIG names a
 * file there holding `configText`, and --out/-o/--config values are put
 * inside it, so nothing is written elsewhere. Studies without --config get a
 * tiny base config. A command line the CLI would accept but that costs more
 * than MAX_CLI_COST is not run (its config went through checkValidation).
 */
export async function checkCli(argv: string[], configText: string, files: string, tinyConfig: string): Promise<Outcome> {
  const configFile = join(files, 'config.json');
  writeFileSync(configFile, configText);
  const args = confine(argv, files, configFile);
  let cost = 0;
  try {
    const invocation = parseInvocation(args);
    if (invocation.kind === 'study' && invocation.args.config === undefined) args.push('--config', tinyConfig);
    // A study writes into --out, by default the working folder: keep it in the scratch folder.
    if (invocation.kind === 'study' && !args.some((a) => a === '--out' || a === '-o' || a.startsWith('--out='))) args.push('--out', files);
    if (invocation.kind === 'run' || invocation.kind === 'study') {
      const path = invocation.args.config ?? tinyConfig;
      const config = parseRunConfig(JSON.parse(path === '-' ? configText : readFileSync(path, 'utf8')));
      let jobs = 1;
      if (invocation.kind === 'study') {
        const plan = planStudy(invocation.args.name, config, { d: invocation.args.d, points: invocation.args.points, L: invocation.args.L });
        jobs = 'jobs' in plan ? plan.jobs.length : plan.sweep.points.length;
      }
      cost = jobs * memoryEstimate(withPresumedBasis(config)) / 16 * outputCount(config) * (chebyshevArgument(config) + 30);
    }
  } catch {
    // Refused somewhere: main() must say so, with exit 2.
  }
  if (cost > MAX_CLI_COST) return { skipped: 'too costly for the fuzz' };
  let err = '';
  const io = {
    stdin: Readable.from([configText]),
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    signals: new EventEmitter(),
  };
  const code = await main(args, io);
  if (code === 0) return { ran: true };
  expect(code, `exit status of ${JSON.stringify(args)}:\n${err}`).toBe(2);
  const lines = err.trimEnd().split('\n');
  const message = lines.find((l) => l.startsWith('spin-transfer: '));
  expect(message, `no "spin-transfer: …" line in:\n${err}`).toBeDefined();
  const config = /invalid (run config|fig\w+ option|study): "(\w*)" = (.*) is not allowed; allowed: /.exec(message!);
  if (config) {
    // A refused value: one line, naming the key, the value and the allowed range.
    expect(lines.filter((l) => l.startsWith('spin-transfer: ')), err).toHaveLength(1);
    return { refused: `cli:${config[2]}` };
  }
  if (/not valid JSON|config is empty/.test(message!)) return { refused: 'cli:JSON' };
  if (/does not fit|result does not fit/.test(message!)) return { refused: 'cli:memory' };
  if (/cannot read|cannot use|cannot write|--out/.test(message!)) return { refused: 'cli:file' };
  if (/invalid run config: /.test(message!)) return { refused: 'cli:config object' };
  return { refused: 'cli:usage' };
}

/** Option values that are paths are moved into the scratch folder; CONFIG becomes the config file. */
function confine(argv: string[], files: string, configFile: string): string[] {
  const paths = new Set(['--out', '-o', '--config', '-c']);
  const inside = (v: string) => (v === '' || v === '-' ? v : join(files, v.replaceAll('/', '_').replaceAll('..', '_').slice(0, 100)));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === 'CONFIG') out.push(configFile);
    else if (paths.has(a) && i + 1 < argv.length) {
      out.push(a, argv[i + 1] === 'CONFIG' ? configFile : inside(argv[i + 1]));
      i++;
    } else if (/^--(out|config)=/.test(a)) {
      const eq = a.indexOf('=');
      out.push(`${a.slice(0, eq + 1)}${inside(a.slice(eq + 1))}`);
    } else out.push(a);
  }
  return out;
}

