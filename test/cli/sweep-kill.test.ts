// A sweep killed mid-run (SIGKILL: no handler runs, as when a node dies or
// Slurm kills a job) resumes from the points it finished, and the resumed
// table equals an uninterrupted one (f64 CPU: identical numbers). The built
// command runs in a child process (npm test builds dist/ first).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSweep } from '../../src/sweeps/run-sweep.js';
import { comparable } from '../helpers/sweep-rows.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'spin-transfer.mjs');

/** A few tenths of a second a point on one thread: long enough to be killed between points. */
const BASE = { N: 32, L: 3, x2: 8, d: 6, sigma: 2, tEnd: 2.5, dt: 0.5 };
const POINTS = 6;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-sweep-kill-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const donePoints = async (out: string) =>
  (await readdir(join(out, 'points')).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.'));

function cli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

it('a sweep killed with SIGKILL resumes from its finished points to the same table as an uninterrupted sweep', async () => {
  const base = join(dir, 'base.json');
  await writeFile(base, JSON.stringify(BASE));
  const out = join(dir, 'out');
  const args = ['sweep', '--grid', `Jsd=0.1:0.6:${POINTS}`, '--config', base, '--backend', 'cpu', '--threads', '1', '--out', out];

  const first = cli(args);
  // Kill it as soon as two points are on disk.
  let exited = false;
  void first.done.then(() => (exited = true));
  while (!exited && (await donePoints(out)).length < 2) await new Promise((r) => setTimeout(r, 10));
  first.child.kill('SIGKILL');
  const killed = await first.done;
  expect(killed.signal, `the sweep ended before it was killed:\n${killed.stderr}`).toBe('SIGKILL');
  const before = await donePoints(out);
  expect(before.length).toBeGreaterThanOrEqual(2);
  expect(before.length).toBeLessThan(POINTS);
  await expect(readFile(join(out, 'sweep.json'))).rejects.toThrow();

  const second = await cli(args).done;
  expect(second.code, second.stderr).toBe(0);
  expect(second.stderr).toMatch(new RegExp(`${before.length} point\\(s\\) resumed`));
  const resumed = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8'));
  expect(resumed.complete).toBe(true);

  const uninterrupted = await runSweep({ base: BASE, grid: { Jsd: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] } }, { backend: 'cpu', threads: 1 });
  expect(comparable(resumed.rows)).toEqual(comparable(uninterrupted.rows));
}, 60_000);
