// `spin-transfer study` in-process through main(): the files it writes, the
// options it refuses, and resuming after an interrupt.
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { studyProgressText } from '../../src/cli/study-command.js';
import { runStudy } from '../../src/studies/index.js';

const SMALL = { N: 16, L: 3, x2: 5, d: 4, sigma: 1.5, Jsd: 0.6, tEnd: 3, dt: 0.5 };

function io() {
  let err = '';
  const signals = new EventEmitter();
  const streams: CliIo = {
    stdin: Readable.from(['']),
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    signals,
  };
  return { streams, signals, err: () => err };
}

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-study-'));
  config = join(dir, 'base.json');
  await writeFile(config, JSON.stringify(SMALL));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('spin-transfer study', () => {
  it('writes NAME.json as INTERFACE.md says, the CSV and the SVG figure, and no cache once complete', async () => {
    const out = join(dir, 'fig4-out');
    const x = io();
    expect(await main(['study', 'fig4', '--config', config, '--backend', 'cpu', '--points', '6', '--out', out], x.streams)).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['fig4-series.csv', 'fig4.csv', 'fig4.json', 'fig4.svg']);
    const study = JSON.parse(await readFile(join(out, 'fig4.json'), 'utf8'));
    for (const key of ['theta', 'final', 't', 'series', 'average', 'single', 'fit']) expect(study).toHaveProperty(key);
    expect(study.theta).toHaveLength(6);
    expect(Object.keys(study.fit).sort()).toEqual(['C', 'D', 'phi0', 'rms']);
    const direct = await runStudy('fig4', SMALL, { backend: 'cpu', points: 6 });
    expect(study.final).toEqual(direct.final);
    const csv = (await readFile(join(out, 'fig4.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('theta_rad,final_deltaSigmaZ,fit');
    expect(csv).toHaveLength(7);
    expect(Number(csv[1].split(',')[1])).toBe(study.final[0]);
    const series = (await readFile(join(out, 'fig4-series.csv'), 'utf8')).trim().split('\n');
    expect(series).toHaveLength(study.t.length + 1);
    expect(series[0].split(',')).toHaveLength(1 + 6 + 2);
    const svg = await readFile(join(out, 'fig4.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<path /g)!.length).toBeGreaterThanOrEqual(4);
    expect(x.err()).toMatch(/done in .* 2 runs on cpu \(f64\)/);
  });

  it('writes the fig2b table for the distances of --d', async () => {
    const out = join(dir, 'fig2b-out');
    expect(await main(['study', 'fig2b', '-c', config, '--backend', 'cpu', '--d', '2,5', '-o', out, '-q'], io().streams)).toBe(0);
    const study = JSON.parse(await readFile(join(out, 'fig2b.json'), 'utf8'));
    expect(study.d).toEqual([2, 5]);
    expect(Object.keys(study.final).sort()).toEqual(['T-', 'T0', 'singlet']);
    const csv = (await readFile(join(out, 'fig2b.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('d_a,final_deltaSigmaZ_singlet,final_deltaSigmaZ_T0,final_deltaSigmaZ_T-');
  });

  it.each([
    [['study', 'fig5'], /unknown study "fig5"; studies: fig2a, fig2b, fig3, fig4/],
    [['study', 'fig2a', '--points', '8'], /--points belongs to the fig4 study/],
    [['study', 'fig4', '--points', '2'], /--points "2" is not allowed; allowed: an integer 3 … 4096/],
    [['study', 'fig2b', '--d', '10,x'], /--d "10,x" is not allowed; allowed: a comma-separated list of numbers >= 0/],
    [['study', 'fig3', '--d', '10'], /--d belongs to the fig2b study/],
    [['study', 'fig2a', '--backend', 'cuda'], /--backend "cuda" is not allowed/],
  ])('refuses %j with exit 2 and says why', async (argv, message) => {
    const x = io();
    expect(await main(argv, x.streams)).toBe(2);
    expect(x.err()).toMatch(message);
  });

  it('refuses an --out that is a file, before any run', async () => {
    const x = io();
    expect(await main(['study', 'fig2a', '-c', config, '--backend', 'cpu', '-o', config], x.streams)).toBe(2);
    expect(x.err()).toMatch(/cannot use --out .*base\.json as the output folder: a file of that name is in the way/);
  });

  it('refuses a d that empties a triplet before any run, naming --d', async () => {
    const x = io();
    const out = join(dir, 'bad-d');
    expect(await main(['study', 'fig2b', '-c', config, '--backend', 'cpu', '--d', '3,0', '-o', out], x.streams)).toBe(2);
    expect(x.err()).toMatch(/--d 3,0: .*"d" = 0 is not allowed; allowed: d > 0 for this state/);
    expect(x.err()).not.toMatch(/run 1/);
  });

  it('resumes after an interrupt from the runs it finished, and gives the uninterrupted result', async () => {
    const out = join(dir, 'resume');
    const argv = ['study', 'fig2a', '-c', config, '--backend', 'cpu', '-o', out, '-q'];
    const first = io();
    const running = main(argv, first.streams);
    // Interrupt once the first finished run is on disk.
    const cacheDir = join(out, '.fig2a-runs');
    for (let i = 0; i < 2000; i++) {
      const files = await readdir(cacheDir).catch(() => []);
      if (files.filter((f) => f.endsWith('.json')).length >= 1) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    first.signals.emit('SIGINT');
    expect(await running).toBe(130);
    // main() returns at the signal; the aborted study stops at its next expansion.
    await new Promise((r) => setTimeout(r, 300));
    const kept = (await readdir(cacheDir)).filter((f) => f.endsWith('.json')).length;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(5);
    await expect(readFile(join(out, 'fig2a.json'))).rejects.toThrow(/ENOENT/);

    const second = io();
    second.streams.stderr = new Writable({ write: (_c, _e, done) => done() });
    expect(await main(argv, second.streams)).toBe(0);
    const study = JSON.parse(await readFile(join(out, 'fig2a.json'), 'utf8'));
    expect(study.runs.filter((r: { resumed?: boolean }) => r.resumed)).toHaveLength(kept);
    const fresh = await runStudy('fig2a', SMALL, { backend: 'cpu' });
    expect(study.series).toEqual(fresh.series);
    await expect(readdir(cacheDir)).rejects.toThrow(/ENOENT/);
  });

  it('fig2b in 2 shards into one folder, then assembled, equals the unsharded study row for row', async () => {
    const common = ['study', 'fig2b', '-c', config, '--backend', 'cpu', '--threads', '1', '--d', '2,5', '-q'];
    const whole = join(dir, 'fig2b-whole');
    expect(await main([...common, '-o', whole], io().streams)).toBe(0);
    const sharded = join(dir, 'fig2b-sharded');
    for (const shard of ['0/2', '1/2']) expect(await main([...common, '-o', sharded, '--shard', shard], io().streams)).toBe(0);
    // A shard writes points, not the study.
    await expect(readFile(join(sharded, 'fig2b.json'))).rejects.toThrow(/ENOENT/);
    expect((await readdir(join(sharded, 'fig2b-sweep', 'points'))).filter((f) => !f.startsWith('.'))).toHaveLength(6);
    const assemble = io();
    expect(await main([...common.filter((a) => a !== '-q'), '-o', sharded], assemble.streams)).toBe(0);
    expect(assemble.err()).toMatch(/6 runs on cpu \(f64\), 6 resumed/);

    const a = JSON.parse(await readFile(join(whole, 'fig2b.json'), 'utf8'));
    const b = JSON.parse(await readFile(join(sharded, 'fig2b.json'), 'utf8'));
    expect(b.d).toEqual(a.d);
    expect(b.final).toEqual(a.final);
    const drop = (runs: { seconds: number; resumed?: boolean }[]) => runs.map(({ seconds: _s, resumed: _r, ...rest }) => rest);
    expect(drop(b.runs)).toEqual(drop(a.runs));
    expect(b.runs.map((r: { label: string }) => r.label)).toEqual(['d=2 singlet', 'd=2 T0', 'd=2 T-', 'd=5 singlet', 'd=5 T0', 'd=5 T-']);
    expect(await readFile(join(sharded, 'fig2b.csv'), 'utf8')).toBe(await readFile(join(whole, 'fig2b.csv'), 'utf8'));
    // The same numbers as the library's runStudy.
    expect(b.final).toEqual((await runStudy('fig2b', SMALL, { backend: 'cpu', threads: 1, d: [2, 5] })).final);

    // 'sweep merge' of the study's folder writes the study too.
    await rm(join(sharded, 'fig2b.json'));
    expect(await main(['sweep', 'merge', join(sharded, 'fig2b-sweep'), '-q'], io().streams)).toBe(0);
    expect(JSON.parse(await readFile(join(sharded, 'fig2b.json'), 'utf8')).final).toEqual(a.final);
  });

  it('refuses a changed study in the folder of another, before any run', async () => {
    const out = join(dir, 'fig2b-changed');
    expect(await main(['study', 'fig2b', '-c', config, '--backend', 'cpu', '--d', '2', '-o', out, '--shard', '0/3', '-q'], io().streams)).toBe(0);
    const x = io();
    expect(await main(['study', 'fig2b', '-c', config, '--backend', 'cpu', '--d', '3', '-o', out], x.streams)).toBe(2);
    expect(x.err()).toMatch(/fig2b-sweep holds another sweep .* old and new points must not mix/);
  });

  it('--slurm writes the job array and the merge job of a study, running nothing', async () => {
    const out = join(dir, 'length-slurm');
    const x = io();
    const argv = ['study', 'length', '-c', config, '--backend', 'cpu', '--L', '1', '-o', out, '--slurm', '2', '--slurm-args', '--time=00:05:00'];
    // SMALL's ring is too short for the length study's packets: a base of its own.
    const base = join(dir, 'length-base.json');
    await writeFile(base, JSON.stringify({ N: 40, sigma: 2, d: 8 }));
    argv[3] = base;
    expect(await main([...argv, '--checkpoint-every', '30s'], x.streams)).toBe(0);
    const array = await readFile(join(out, 'length-sweep', 'sweep.sbatch'), 'utf8');
    expect(array).toMatch(/#SBATCH --array=0-1/);
    expect(array).toMatch(/study length --config \S*length-base\.json --L 1 --out \S*length-slurm --backend cpu --checkpoint-every 30s --threads "\$\{SLURM_CPUS_PER_TASK:-1\}" --shard "\$SLURM_ARRAY_TASK_ID\/2"/);
    expect(await readFile(join(out, 'length-sweep', 'merge.sbatch'), 'utf8')).toMatch(/sweep merge \S*length-slurm\/length-sweep\n/);
    const spec = JSON.parse(await readFile(join(out, 'length-sweep', 'sweep-spec.json'), 'utf8'));
    expect(spec.study).toBe('length');
    expect(spec.derived).toHaveLength(4);
    // Nothing ran: no point, no study.
    await expect(readdir(join(out, 'length-sweep', 'points'))).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(out, 'length.json'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses the sweep options for the studies that are not sweeps', async () => {
    const x = io();
    expect(await main(['study', 'fig4', '--shard', '0/2'], x.streams)).toBe(2);
    expect(x.err()).toMatch(/--shard belongs to the studies that are sweeps \(fig2b, length, spin\), not fig4/);
  });

  it('a length study stopped by SIGINT resumes from the points it finished, to the uninterrupted result', async () => {
    const base = join(dir, 'length-base-2.json');
    await writeFile(base, JSON.stringify({ N: 40, sigma: 2, d: 8 }));
    const out = join(dir, 'length-resume');
    const argv = ['study', 'length', '-c', base, '--backend', 'cpu', '--threads', '1', '--L', '1,2', '-o', out, '-q'];
    const first = io();
    const running = main(argv, first.streams);
    const points = join(out, 'length-sweep', 'points');
    const done = async () => (await readdir(points).catch(() => [] as string[])).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    for (let i = 0; i < 5000 && (await done()).length < 2; i++) await new Promise((r) => setTimeout(r, 2));
    first.signals.emit('SIGINT');
    expect(await running).toBe(130);
    await new Promise((r) => setTimeout(r, 300));
    const kept = (await done()).length;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(8);
    await expect(readFile(join(out, 'length.json'))).rejects.toThrow(/ENOENT/);

    expect(await main(argv, io().streams)).toBe(0);
    const study = JSON.parse(await readFile(join(out, 'length.json'), 'utf8'));
    expect(study.runs.filter((r: { resumed?: boolean }) => r.resumed)).toHaveLength(kept);
    const fresh = await runStudy('length', { N: 40, sigma: 2, d: 8 }, { backend: 'cpu', threads: 1, L: [1, 2] });
    expect(study.final).toEqual(fresh.final);
    expect(study.geometry).toEqual(fresh.geometry);
    expect(study.L).toEqual([1, 2]);
  });

  it('shows which run of how many is going, with the ETA', () => {
    expect(studyProgressText({ fraction: 0.42, runsDone: 2, runs: 18, label: 'd=20 T0', t: 33.5, elapsedSeconds: 62, etaSeconds: 190 }))
      .toBe(' 42.0%  run 3/18 d=20 T0  t = 33.5 fs  elapsed 1m02s  ETA 3m10s');
  });
});
