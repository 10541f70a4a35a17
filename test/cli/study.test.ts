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

  it('shows which run of how many is going, with the ETA', () => {
    expect(studyProgressText({ fraction: 0.42, runsDone: 2, runs: 18, label: 'd=20 T0', t: 33.5, elapsedSeconds: 62, etaSeconds: 190 }))
      .toBe(' 42.0%  run 3/18 d=20 T0  t = 33.5 fs  elapsed 1m02s  ETA 3m10s');
  });
});
