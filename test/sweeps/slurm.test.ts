// The sweep on a real Slurm cluster: `sweep --slurm 3 --submit` submits a job
// array of three shards and the merge job after it; the merged sweep.json
// equals, row for row, the same sweep run sequentially in this process (f64
// CPU: identical numbers). CI starts a one-node cluster first
// (scripts/start-slurm.sh, from .ci/run). Where no cluster answers, the test
// skips and says why; with CI set it fails instead.
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runSweep } from '../../src/sweeps/run-sweep.js';
import { runStudy } from '../../src/studies/run-study.js';
import { comparable } from '../helpers/sweep-rows.js';
import { inCI } from '../helpers/webgpu.js';

const TINY = { N: 12, L: 2, x2: 3, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, Jsd: 0.6 };
const WAIT_MS = 240_000;

/** Whether a Slurm controller answers and has a node that can take jobs; else why not. */
function slurmAvailability(): { available: boolean; detail: string } {
  try {
    const states = execFileSync('sinfo', ['-h', '-o', '%t %N'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    const usable = states.split('\n').filter((l) => /^(idle|mix|alloc|comp)\S*\s/.test(l));
    return usable.length
      ? { available: true, detail: `nodes ${usable.map((l) => l.split(/\s+/)[1]).join(', ')}` }
      : { available: false, detail: `sinfo shows no usable node (${states || 'no nodes'})` };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    return { available: false, detail: err.code === 'ENOENT' ? 'sinfo is not installed' : `sinfo failed: ${String(err.stderr ?? err.message).trim()}` };
  }
}

const slurm = slurmAvailability();
const START = 'as root: bash scripts/start-slurm.sh (Debian packages slurm-wlm and munge)';

function describeSlurm(name: string, fn: () => void): void {
  if (slurm.available) {
    describe(`${name} [${slurm.detail}]`, fn);
  } else if (inCI()) {
    describe(name, () => {
      it('has a Slurm cluster (required with CI set)', () => {
        throw new Error(`no Slurm cluster: ${slurm.detail}. With CI set the Slurm test must run, not skip; start one ${START}.`);
      });
    });
  } else {
    const why = `${name} — SKIPPED: no Slurm cluster (${slurm.detail}); start one ${START}; with CI=true this fails`;
    console.warn(why);
    describe.skip(why, fn);
  }
}

let dir: string | undefined;
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describeSlurm('sweep on Slurm', () => {
  it('a 3-task job array and its merge job give the table of a sequential in-process sweep', async () => {
    dir = await mkdtemp(join(tmpdir(), 'spin-transfer-slurm-'));
    const base = join(dir, 'base.json');
    await writeFile(base, JSON.stringify(TINY));
    const out = join(dir, 'out');
    let stdout = '', stderr = '';
    const io: CliIo = {
      stdin: Readable.from(['']),
      stdout: new Writable({ write: (c, _e, done) => ((stdout += String(c)), done()) }),
      stderr: new Writable({ write: (c, _e, done) => ((stderr += String(c)), done()) }),
      signals: new EventEmitter(),
    };
    const args = ['sweep', '--grid', 'Jsd=0.3:0.9:3', '--grid', 'state=singlet,T0', '--config', base, '--backend', 'cpu', '--threads', '1', '--out', out];
    const code = await main([...args, '--slurm', '3', '--slurm-args', '--time=00:10:00', '--submit'], io);
    expect(code, stderr).toBe(0);
    const ids = stdout.trim().split(/\s+/);
    expect(ids, stdout).toHaveLength(2);
    expect(ids.every((id) => /^[0-9]+$/.test(id))).toBe(true);

    // Poll the merge job's output: no accounting database is needed.
    const deadline = Date.now() + WAIT_MS;
    let table: { complete: boolean; rows: never[] } | undefined;
    while (Date.now() < deadline) {
      table = await readFile(join(out, 'sweep.json'), 'utf8').then((t) => JSON.parse(t), () => undefined);
      if (table) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (!table) {
      const logs = await readdir(join(out, 'slurm')).catch(() => [] as string[]);
      const text = await Promise.all(logs.map(async (l) => `--- ${l}\n${await readFile(join(out, 'slurm', l), 'utf8')}`));
      try {
        execFileSync('scancel', ids, { stdio: 'ignore' });
      } catch {
        // The jobs may be gone already.
      }
      throw new Error(`no sweep.json after ${WAIT_MS / 1000} s (jobs ${ids.join(', ')}); the jobs' logs:\n${text.join('\n')}`);
    }
    expect(table.complete).toBe(true);
    // Each task ran its shard: two points each.
    const logs = (await readdir(join(out, 'slurm'))).sort();
    expect(logs.filter((l) => l.startsWith(`sweep-${ids[0]}_`))).toHaveLength(3);
    for (const i of [0, 1, 2]) {
      expect(await readFile(join(out, 'slurm', `sweep-${ids[0]}_${i}.out`), 'utf8')).toMatch(new RegExp(`shard ${i}/3 done .* 2 of its 2 points`));
    }

    const sequential = await runSweep({ base: TINY, grid: { Jsd: [0.3, 0.6, 0.9], state: ['singlet', 'T0'] } }, { backend: 'cpu', threads: 1 });
    expect(comparable(table.rows)).toEqual(comparable(sequential.rows));
  }, WAIT_MS + 30_000);

  it('a study is a sweep there too: fig2b as a 2-task array, merged into fig2b.json, equals the in-process study', async () => {
    dir ??= await mkdtemp(join(tmpdir(), 'spin-transfer-slurm-'));
    const base = join(dir, 'study-base.json');
    await writeFile(base, JSON.stringify(TINY));
    const out = join(dir, 'study');
    let stdout = '', stderr = '';
    const io: CliIo = {
      stdin: Readable.from(['']),
      stdout: new Writable({ write: (c, _e, done) => ((stdout += String(c)), done()) }),
      stderr: new Writable({ write: (c, _e, done) => ((stderr += String(c)), done()) }),
      signals: new EventEmitter(),
    };
    const argv = ['study', 'fig2b', '--config', base, '--backend', 'cpu', '--threads', '1', '--d', '2,3', '--out', out];
    expect(await main([...argv, '--slurm', '2', '--slurm-args', '--time=00:10:00', '--submit'], io), stderr).toBe(0);
    const ids = stdout.trim().split(/\s+/);
    expect(ids, stdout).toHaveLength(2);
    const deadline = Date.now() + WAIT_MS;
    let study: { d: number[]; final: unknown } | undefined;
    while (Date.now() < deadline && !study) {
      study = await readFile(join(out, 'fig2b.json'), 'utf8').then((t) => JSON.parse(t), () => undefined);
      if (!study) await new Promise((r) => setTimeout(r, 250));
    }
    if (!study) {
      const logs = await readdir(join(out, 'fig2b-sweep', 'slurm')).catch(() => [] as string[]);
      const text = await Promise.all(logs.map(async (l) => `--- ${l}\n${await readFile(join(out, 'fig2b-sweep', 'slurm', l), 'utf8')}`));
      throw new Error(`no fig2b.json after ${WAIT_MS / 1000} s (jobs ${ids.join(', ')}); the jobs' logs:\n${text.join('\n')}`);
    }
    expect(study.d).toEqual([2, 3]);
    const inProcess = await runStudy('fig2b', TINY, { backend: 'cpu', threads: 1, d: [2, 3] });
    expect(study.final).toEqual(inProcess.final);
  }, WAIT_MS + 30_000);
});
