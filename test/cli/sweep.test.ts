// `spin-transfer sweep` in-process through main(): the files it writes, the
// inputs it refuses (exit 2, naming the point, key, value and range), resume,
// a folder of another sweep, sweep files, shards and merge, the Slurm scripts.
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { directorySweepStore } from '../../src/cli/sweep-store.js';
import { planSweep, runSweep, type SweepResult } from '../../src/sweeps/run-sweep.js';
import { comparable } from '../helpers/sweep-rows.js';

const TINY = { N: 12, L: 2, x2: 3, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, Jsd: 0.6 };
const GRID = ['--grid', 'Jsd=0.3:0.9:3', '--grid', 'state=singlet,T0'];
const SPEC = { base: TINY, grid: { Jsd: [0.3, 0.6, 0.9], state: ['singlet', 'T0'] } };

function io() {
  let err = '', out = '';
  const streams: CliIo = {
    stdin: Readable.from(['']),
    stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    signals: new EventEmitter(),
  };
  return { streams, err: () => err, out: () => out };
}

async function sweep(args: string[]) {
  const x = io();
  const code = await main(['sweep', ...args], x.streams);
  return { code, err: x.err(), out: x.out() };
}

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

let dir: string;
let base: string;
let reference: SweepResult;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-sweep-'));
  base = join(dir, 'base.json');
  await writeFile(base, JSON.stringify(TINY));
  reference = await runSweep(SPEC, { backend: 'cpu', threads: 1 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('spin-transfer sweep', () => {
  it('writes sweep.json, sweep.csv, the figures and one file per point; the table equals runSweep in-process', async () => {
    const out = join(dir, 'whole');
    const r = await sweep([...GRID, '--config', base, '--backend', 'cpu', '--threads', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['points', 'sweep-spec.json', 'sweep.csv', 'sweep.json', 'sweep.png', 'sweep.svg']);
    expect((await readdir(join(out, 'points'))).sort()).toHaveLength(6);
    const table = await readJson(join(out, 'sweep.json'));
    expect(table).toMatchObject({ kind: 'spin-transfer sweep', points: 6, complete: true, backend: 'cpu', precision: 'f64', missing: [], failed: [], mode: 'product' });
    expect(table.base).toEqual(TINY);
    expect(table.grid).toEqual(SPEC.grid);
    expect(comparable(table.rows)).toEqual(comparable(reference.rows));
    const point = await readJson(join(out, 'points', '5-Jsd=0.9-state=T0.json'));
    expect(point.result.deltaSigmaZ.at(-1)).toBe(reference.rows[5].finalDeltaSigmaZ);
    expect(point.config).toMatchObject({ ...TINY, Jsd: 0.9, state: 'T0' });
    const csv = (await readFile(join(out, 'sweep.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(7);
    expect(csv[1].startsWith('0,0-Jsd=0.3-state=singlet,0.3,singlet,done,')).toBe(true);
    expect(r.err).toMatch(/6 of 6 points done on cpu \(f64\)/);

    // Run again: every point is resumed, nothing runs, the table is the same.
    const again = await sweep([...GRID, '--config', base, '--backend', 'cpu', '--threads', '1', '--out', out]);
    expect(again.code).toBe(0);
    expect(again.err).not.toMatch(/backend: cpu/);
    expect(comparable((await readJson(join(out, 'sweep.json'))).rows)).toEqual(comparable(reference.rows));

    // The same sweep written as a sweep file is the same sweep: it resumes into the folder.
    const file = join(dir, 'sweep-file.json');
    await writeFile(file, JSON.stringify({ base: TINY, grid: { Jsd: '0.3:0.9:3', state: ['singlet', 'T0'] } }));
    const fromFile = await sweep([file, '--backend', 'cpu', '--out', out]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.err).not.toMatch(/backend: cpu/);

    // Another grid into the same folder is refused, saying how to start fresh.
    const other = await sweep(['--grid', 'Jsd=0.3,0.6', '--config', base, '--backend', 'cpu', '--out', out]);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/holds another sweep/);
    expect(other.err).toMatch(/another --out or delete/);
  });

  it('refuses bad input with exit 2 before running anything, naming the point, the key, the value and the range', async () => {
    const out = join(dir, 'refused');
    const bad = await sweep(['--grid', 'sigma=1,-1', '--config', base, '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/point 1 \(sigma=-1\): invalid run config: "sigma" = -1 is not allowed; allowed: number in \[0\.1, 1000000\]/);
    expect(bad.err).toContain(base);
    await expect(readdir(out)).rejects.toThrow();

    const cases: [string[], RegExp][] = [
      [['--grid', 'Jsd=0:1:0', '--out', out], /"Jsd" = "0:1:0" is not allowed.*integer >= 1/],
      [['--grid', 'state=0:1:2', '--out', out], /"state".*list only/],
      [['--grid', 'nope=1,2', '--out', out], /"nope".*unknown key in the grid/],
      [['--grid', 'Jsd=1,2', '--grid', 'd=1,2,3', '--zip', '--out', out], /"d".*2 values/],
      [['--grid', 'Jsd=1,2', '--grid', 'Jsd=3', '--out', out], /given twice/],
      [['--grid', 'Jsd=1,2'], /needs --out DIR/],
      [['--out', out], /at least one --grid/],
      [['--grid', 'Jsd=1,2', '--out', out, '--shard', '3/3'], /--shard "3\/3" is not allowed/],
      [['--grid', 'Jsd=1,2', '--out', out, '--submit'], /--submit needs --slurm/],
      [['--grid', 'Jsd=1,2', '--out', out, '--slurm', '0'], /--slurm "0" is not allowed/],
      [['--grid', 'Jsd=1,2', '--out', out, '--basis', 'half'], /--basis "half" is not allowed; allowed: auto, full, sector, antisymmetric/],
      [['--grid', 'Jsd=1,2', '--out', out, '--checkpoint-every', '10'], /--checkpoint-every "10" is not allowed; allowed: a duration with its unit/],
      [['--grid', 'L=2,13', '--config', base, '--out', out], /point 1 \(L=13\).*"L" = 13 is not allowed; allowed: integer 1 … 12/],
    ];
    const badFile = join(dir, 'bad-sweep.json');
    await writeFile(badFile, JSON.stringify({ base: TINY, grid: { Jsd: [0.1] }, points: 3 }));
    cases.push([[badFile, '--out', out], /bad-sweep\.json: .*"points" = 3 is not allowed; allowed: base, grid, mode/]);
    const badMode = join(dir, 'bad-mode.json');
    await writeFile(badMode, JSON.stringify({ grid: { Jsd: [0.1] }, mode: 'outer' }));
    cases.push([[badMode, '--out', out], /"mode" = "outer" is not allowed; allowed: "product" or "zip"/]);
    cases.push([[badMode, '--grid', 'Jsd=1', '--out', out], /either SWEEP.json or --grid/]);
    for (const [args, message] of cases) {
      const r = await sweep(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
    await expect(readdir(out)).rejects.toThrow();
  });

  it('--basis sets the base config\'s basis', async () => {
    const out = join(dir, 'basis');
    const r = await sweep(['--grid', 'Jsd=0.3,0.6', '--config', base, '--basis', 'sector', '--backend', 'cpu', '--threads', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect((await readJson(join(out, 'sweep-spec.json'))).base.basis).toBe('sector');
    expect((await readJson(join(out, 'points', '1-Jsd=0.6.json'))).config.basis).toBe('sector');
  });

  it('shards into separate folders merge into the whole table; a missing or failed point is named and exits 1', async () => {
    const shardDirs = [0, 1, 2].map((i) => join(dir, `shard-${i}`));
    for (const [i, out] of shardDirs.entries()) {
      const r = await sweep([...GRID, '--config', base, '--backend', 'cpu', '--threads', '1', '--out', out, '--shard', `${i}/3`]);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(new RegExp(`shard ${i}/3 done .* 2 of its 2 points`));
      await expect(readFile(join(out, 'sweep.json'))).rejects.toThrow();
    }
    // Two of three shards: the third one's points are missing.
    const partial = await sweep(['merge', shardDirs[0], shardDirs[1]]);
    expect(partial.code).toBe(1);
    expect(partial.err).toMatch(/2 point\(s\) missing/);
    expect(partial.err).toMatch(/2-Jsd=0.6-state=singlet/);
    expect(partial.err).toMatch(/5-Jsd=0.9-state=T0/);
    expect((await readJson(join(shardDirs[0], 'sweep.json'))).complete).toBe(false);

    const merged = await sweep(['merge', ...shardDirs]);
    expect(merged.code).toBe(0);
    const table = await readJson(join(shardDirs[0], 'sweep.json'));
    expect(table.complete).toBe(true);
    expect(comparable(table.rows)).toEqual(comparable(reference.rows));
    // The first folder now holds every point.
    expect(await readdir(join(shardDirs[0], 'points'))).toHaveLength(6);

    // A point that failed is named with its error.
    const plan = planSweep(SPEC);
    const store = directorySweepStore(shardDirs[1], plan.id);
    const failing = join(dir, 'with-failure');
    await sweep([...GRID, '--config', base, '--backend', 'cpu', '--threads', '1', '--out', failing, '--shard', '0/2']);
    const failedStore = directorySweepStore(failing, plan.id);
    await failedStore.put(plan.points[1], { index: 1, name: plan.points[1].name, params: plan.points[1].params, status: 'failed', error: 'GPU lost', wallSeconds: 0 });
    const withFailure = await sweep(['merge', failing]);
    expect(withFailure.code).toBe(1);
    expect(withFailure.err).toMatch(/1 point\(s\) failed:\n {2}1-Jsd=0.3-state=T0: GPU lost/);
    expect(await store.get(plan.points[1])).toMatchObject({ status: 'done' });
  });

  it('a basis swept as a grid key gives the same physics in every basis', async () => {
    const out = join(dir, 'bases');
    const r = await sweep(['--grid', 'basis=full,sector,antisymmetric', '--grid', 'state=T0,T+', '--config', base, '--backend', 'cpu', '--threads', '1', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const rows = (await readJson(join(out, 'sweep.json'))).rows;
    expect(rows.map((row: { params: object }) => row.params)).toEqual([
      { basis: 'full', state: 'T0' }, { basis: 'full', state: 'T+' }, { basis: 'sector', state: 'T0' }, { basis: 'sector', state: 'T+' },
      { basis: 'antisymmetric', state: 'T0' }, { basis: 'antisymmetric', state: 'T+' },
    ]);
    for (const k of [0, 1, 2, 3]) {
      expect(Math.abs(rows[k + 2].finalDeltaSigmaZ - rows[k % 2].finalDeltaSigmaZ)).toBeLessThan(1e-12);
      expect(Math.abs(rows[k + 2].maxDeltaSigmaZ - rows[k % 2].maxDeltaSigmaZ)).toBeLessThan(1e-12);
      for (const p of ['S', 'T0', 'T+', 'T-']) expect(Math.abs(rows[k + 2].finalProbabilities[p] - rows[k % 2].finalProbabilities[p])).toBeLessThan(1e-12);
    }
  });

  it('SIGINT stops the sweep (exit 130, "cancelled"), keeping the points it finished', async () => {
    const out = join(dir, 'interrupted');
    const x = io();
    const run = main(['sweep', '--grid', 'Jsd=0.1:0.9:9', '--config', base, '--backend', 'cpu', '--threads', '1', '--out', out], x.streams);
    while ((await readdir(join(out, 'points')).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).length < 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    (x.streams.signals as EventEmitter).emit('SIGINT');
    expect(await run).toBe(130);
    expect(x.err()).toMatch(/cancelled\n$/);
    await expect(readFile(join(out, 'sweep.json'))).rejects.toThrow();
    const kept = (await readdir(join(out, 'points'))).filter((n) => !n.startsWith('.'));
    expect(kept.length).toBeGreaterThanOrEqual(1);
    const resumed = await sweep(['--grid', 'Jsd=0.1:0.9:9', '--config', base, '--backend', 'cpu', '--threads', '1', '--out', out]);
    expect(resumed.code).toBe(0);
    // In-process, the run abandoned at the signal may still finish the point it was on: at least the kept ones resume.
    const count = Number(/(\d+) point\(s\) resumed/.exec(resumed.err)?.[1]);
    expect(count).toBeGreaterThanOrEqual(kept.length);
    expect(count).toBeLessThan(9);
  });

  it('help sweep describes the command, merge and the exit statuses', async () => {
    const x = io();
    expect(await main(['help', 'sweep'], x.streams)).toBe(0);
    for (const text of ['--grid KEY=VALUES', 'sweep merge DIR', 'a:b:n', '--shard I/N', '--slurm N', '--submit', 'afterok', 'sweep-spec.json']) {
      expect(x.out()).toContain(text);
    }
  });

  it('merge refuses folders of different sweeps, and a folder with no sweep', async () => {
    const a = join(dir, 'merge-a'), b = join(dir, 'merge-b');
    expect((await sweep(['--grid', 'Jsd=0.3', '--config', base, '--backend', 'cpu', '--out', a])).code).toBe(0);
    expect((await sweep(['--grid', 'Jsd=0.4', '--config', base, '--backend', 'cpu', '--out', b])).code).toBe(0);
    const r = await sweep(['merge', a, b]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds another sweep/);
    const none = await sweep(['merge', join(dir, 'nothing-here')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no sweep to merge/);
  });

  it('--slurm N writes a job array of N shards with the same arguments and a merge job, with absolute paths', async () => {
    const out = join(dir, 'slurm');
    const r = await sweep([...GRID, '--config', base, '--backend', 'cpu', '--out', out, '--slurm', '3', '--slurm-args', '--partition=gpu --gres=gpu:1 --time=02:00:00']);
    expect(r.code).toBe(0);
    const array = await readFile(join(out, 'sweep.sbatch'), 'utf8');
    expect(array).toMatch(/^#!\/bin\/bash\n/);
    expect(array).toContain('#SBATCH --array=0-2\n');
    expect(array).toContain('#SBATCH --partition=gpu\n#SBATCH --gres=gpu:1\n#SBATCH --time=02:00:00\n');
    expect(array).toContain(`cd ${process.cwd()}\n`);
    const exec = array.split('\n').find((l) => l.startsWith('exec '))!;
    expect(exec).toContain(`exec ${process.execPath} `);
    expect(exec).toMatch(/\/bin\/spin-transfer\.mjs sweep --grid Jsd=0.3:0.9:3 --grid state=singlet,T0 --config \/\S+base\.json --backend cpu --out \/\S+ --threads "\$\{SLURM_CPUS_PER_TASK:-1\}" --shard "\$SLURM_ARRAY_TASK_ID\/3"$/);
    const merge = await readFile(join(out, 'merge.sbatch'), 'utf8');
    expect(merge).toContain('#SBATCH --partition=gpu\n');
    expect(merge).not.toContain('--gres');
    expect(merge).toMatch(new RegExp(`exec \\S+ \\S+spin-transfer\\.mjs sweep merge ${out}\\n`));
    expect(r.out).toBe(`jobid=$(sbatch --parsable ${join(out, 'sweep.sbatch')})\nsbatch --dependency=afterok:\${jobid%%;*} ${join(out, 'merge.sbatch')}\n`);
    // Nothing ran.
    await expect(readdir(join(out, 'points'))).rejects.toThrow();
  });
});
