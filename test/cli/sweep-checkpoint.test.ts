// A sweep point killed mid-run (SIGKILL, after its checkpoint was written)
// resumes from DIR/points/.NAME.checkpoint when the sweep runs again, and its
// result is the uninterrupted one: identical numbers on the f64 CPU backend
// with the same --threads, only the timing differs. The built command runs
// in a child process (npm test builds dist/ first).
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

/** One point of a few seconds on one thread, checkpointed after every expansion: there is time to kill it mid-run. */
const BASE = { N: 48, L: 4, x2: 10, d: 6, sigma: 2, tEnd: 12, dt: 0.5 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-sweep-checkpoint-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

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

it('a point killed after its checkpoint resumes from it, to the uninterrupted result', async () => {
  const base = join(dir, 'base.json');
  await writeFile(base, JSON.stringify(BASE));
  const out = join(dir, 'out');
  const args = ['sweep', '--grid', 'Jsd=0.3', '--config', base, '--backend', 'cpu', '--threads', '1', '--checkpoint-every', '0s', '--out', out];
  const checkpoint = join(out, 'points', '.0-Jsd=0.3.checkpoint');

  const first = cli(args);
  let exited = false;
  void first.done.then(() => (exited = true));
  // Kill it once a checkpoint is on disk (renamed into place whole).
  while (!exited && !(await readdir(join(out, 'points')).catch(() => [] as string[])).includes('.0-Jsd=0.3.checkpoint')) {
    await new Promise((r) => setTimeout(r, 5));
  }
  first.child.kill('SIGKILL');
  const killed = await first.done;
  expect(killed.signal, `the sweep ended before it was killed:\n${killed.stderr}`).toBe('SIGKILL');
  await expect(readFile(join(out, 'points', '0-Jsd=0.3.json'))).rejects.toThrow(/ENOENT/);
  await expect(readFile(checkpoint)).resolves.toBeDefined();

  const second = await cli(args).done;
  expect(second.code, second.stderr).toBe(0);
  expect(second.stderr).toMatch(/point 0-Jsd=0\.3: resumed from .*\.0-Jsd=0\.3\.checkpoint at t = [0-9.]+ fs \(output [0-9]+ of 24\)/);
  // The point is done: its checkpoint is gone.
  await expect(readFile(checkpoint)).rejects.toThrow(/ENOENT/);

  const point = JSON.parse(await readFile(join(out, 'points', '0-Jsd=0.3.json'), 'utf8'));
  let full: unknown;
  const fresh = await runSweep({ base: BASE, grid: { Jsd: [0.3] } }, { backend: 'cpu', threads: 1, onPointDone: (_p, _r, result) => (full = result) });
  const { timing: _t1, ...resumed } = point.result;
  const { timing: _t2, ...uninterrupted } = JSON.parse(JSON.stringify(full));
  expect(resumed).toEqual(uninterrupted);
  expect(comparable([point.row])).toEqual(comparable(fresh.rows));
}, 60_000);
