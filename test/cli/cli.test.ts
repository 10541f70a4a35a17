// The built command as a user runs it: `node bin/spin-transfer.mjs …` in a child
// process (npm test builds dist/ first). Configs are small: the machine is shared.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../../src/backends/select.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'spin-transfer.mjs');

/** A few output times of a 6400-amplitude state: well under a second. */
const TINY = { N: 20, L: 2, spinStart: 10, x2: 4, d: 4, sigma: 1.5, tEnd: 2, dt: 0.5 };

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Child {
  stderrIncludes(text: string): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  done: Promise<Outcome>;
}

function start(args: string[], input?: string): Child {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const w of waiters.filter((w) => stderr.includes(w.text))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stdin.end(input ?? '');
  const done = new Promise<Outcome>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    stderrIncludes: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void done.then((o) => reject(new Error(`exited ${o.code} before "${text}" on stderr:\n${o.stderr}`)));
      }),
    kill: (signal) => child.kill(signal),
    done,
  };
}

const cli = (args: string[], input?: string) => start(args, input).done;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('spin-transfer run', () => {
  it('writes a valid result JSON with the INTERFACE.md keys, and tells what ran on stderr', async () => {
    const out = join(dir, 'small.json');
    const r = await cli(['run', 'examples/small-singlet.json', '--out', out]);
    expect(r.stderr).toContain('backend: cpu');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const result = JSON.parse(await readFile(out, 'utf8'));
    for (const key of ['config', 'dim', 'backend', 'precision', 't', 'norm', 'energy', 'sigmaZ', 'deltaSigmaZ', 'Sz',
      'SzSites', 'probabilities', 'density', 'chainIntervals', 'timing']) {
      expect(result).toHaveProperty(key);
    }
    // The example names no basis: "auto" takes the antisymmetric basis on the CPU backend (two electrons), and the
    // result records it: the orbital blocks xA <= xB, each with the sector's L + 2 configurations.
    expect(result.config).toMatchObject({ N: 40, L: 3, tEnd: 20, Jsd: 0.3, basis: 'antisymmetric' });
    expect(result.dim).toBe(((40 * 41) / 2) * (3 + 1 + 1));
    expect(r.stderr).toMatch(/\nbasis: antisymmetric; auto: the fastest of the bases backend cpu runs \("antisymmetric", "sector" or "full", fastest first\)\n/);
    expect(result.t).toHaveLength(41);
    expect(result.deltaSigmaZ).toHaveLength(41);
    expect(r.stderr).toContain('4100 amplitudes');
    expect(r.stderr).toMatch(/final deltaSigmaZ = [0-9.e-]+ at t = 20 fs/);
    expect(r.stderr).toMatch(/drift \(max over t\): norm [0-9.e+-]+, energy [0-9.e+-]+ eV/);
    expect(r.stderr).toContain(`result: ${out}`);
    expect(await readdir(dir)).toEqual(['small.json']);
  });

  it('reads the config from stdin with "-" and writes the result to stdout; --quiet leaves stderr empty', async () => {
    const r = await cli(['run', '-', '--quiet', '--threads', '1', '--backend', 'cpu'], JSON.stringify(TINY));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.t).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(result.backend).toBe('cpu');
  });

  it.each([
    [{ ...TINY, tEnd: 2, foo: 1 }, 'foo', /unknown key/],
    [{ ...TINY, L: '2' }, 'L', /"2"/],
    [{ ...TINY, sigma: -1 }, 'sigma', /-1/],
  ])('refuses %j with exit 2, naming the key %s, its value and the allowed range', async (config, key, value) => {
    const path = join(dir, `bad-${key}.json`);
    const out = join(dir, `bad-${key}-result.json`);
    await writeFile(path, JSON.stringify(config));
    const r = await cli(['run', path, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"${key}"`);
    expect(r.stderr).toMatch(value);
    expect(r.stderr).toContain('allowed:');
    expect(r.stderr).toContain(path);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    await expect(readFile(out)).rejects.toThrow();
  });

  it('refuses a state too large for memory with exit 2 and the bytes, before allocating anything', async () => {
    const began = Date.now();
    const r = await cli(['run', '-', '--basis', 'full'], JSON.stringify({ N: 4000, L: 20 }));
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    const needed = /needs [^(]*\((\d+) bytes\)/.exec(r.stderr);
    const allowed = /allowed: [^(]*\((\d+) bytes\)/.exec(r.stderr);
    expect(needed).not.toBeNull();
    expect(allowed).not.toBeNull();
    expect(Number(needed![1])).toBeGreaterThan(4000 * 4000 * 4 * 2 ** 20 * 16);
    expect(r.stderr).not.toContain('backend:');
  });

  it.each([
    [['run', 'examples/small-singlet.json', '--bogus'], /unknown option "--bogus"/],
    [['run', join('no', 'such', 'config.json')], /cannot read the config file .*: no such file/],
    [['run', 'examples/small-singlet.json', '--threads', '0'], /--threads "0"/],
    [['run', 'examples/small-singlet.json', '--out', join('no', 'such', 'dir', 'r.json')], /directory .* does not exist/],
    [['simulate', 'fig2a'], /unknown command "simulate"/],
    [[], /missing command/],
  ])('exits 2 for %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 for invalid JSON, naming the line', async () => {
    const r = await cli(['run', '-'], '{\n  "N": 40,\n}');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin is not valid JSON: .*line 3/);
  });

  it('prints help (exit 0) that lists every option, and the version', async () => {
    const main = await cli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('spin-transfer run CONFIG.json');
    const run = await cli(['run', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--backend NAME', BACKEND_NAMES.join(' | '), '--threads N', '--out FILE', '--quiet', '--debug', "'-' reads"]) {
      expect(run.stdout).toContain(option);
    }
    const version = await cli(['--version']);
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    expect(version.stdout).toBe(`spin-transfer ${pkg.version}\n`);
  });
});

describe('cancelling a run', () => {
  // 3.7 M amplitudes, 400 output times: minutes of work, stopped after about half a second.
  const LONG = JSON.stringify({ N: 120, L: 6, tEnd: 200 });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops it promptly with exit %d, "cancelled" and no file at --out', async (signal, code) => {
    const out = join(dir, `cancelled-${signal}.json`);
    // Two worker threads leave the main thread free to take the signal at once.
    const child = start(['run', '-', '--out', out, '--threads', '2'], LONG);
    await child.stderrIncludes('backend:');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = Date.now();
    child.kill(signal);
    const r = await child.done;
    expect(Date.now() - sent).toBeLessThan(3000);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(/^cancelled$/m);
    expect(r.stdout).toBe('');
    expect((await readdir(dir)).filter((f) => f.includes(`cancelled-${signal}`))).toEqual([]);
  });
});
