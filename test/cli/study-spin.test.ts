// `spin-transfer study spin` in-process through main() and runStudy: the
// points (S x state in basis "sector", the couplings of each scaling), the
// files, shards with their merge, the Slurm job array, and the refusals.
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { simulate } from '../../src/simulate.js';
import { runStudy } from '../../src/studies/index.js';

const SMALL = { N: 16, L: 3, x2: 5, d: 4, sigma: 1.5, Jsd: 0.6, Jex: 0.3, tEnd: 3, dt: 0.5 };

function io() {
  let err = '';
  const streams: CliIo = {
    stdin: Readable.from(['']),
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    signals: new EventEmitter(),
  };
  return { streams, err: () => err };
}

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-study-spin-'));
  config = join(dir, 'base.json');
  await writeFile(config, JSON.stringify(SMALL));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the spin study', () => {
  it('runs S x state in basis "sector"; "classical" scales Jsd by (1/2)/S and Jex by (1/4)/S^2', async () => {
    const r = await runStudy('spin', SMALL, { backend: 'cpu', threads: 1, S: [0.5, 1.5], scaling: 'classical' });
    expect(r.study).toBe('spin');
    expect(r.S).toEqual([0.5, 1.5]);
    expect(r.Jsd).toEqual([0.6, (0.6 * 0.5) / 1.5]);
    expect(r.Jex).toEqual([0.3, (0.3 * 0.25) / 2.25]);
    const point = await simulate({ ...SMALL, basis: 'sector', localSpin: 1.5, state: 'T-', Jsd: r.Jsd[1], Jex: r.Jex[1] }, { backend: 'cpu', threads: 1 });
    expect(r.final['T-'][1]).toBe(point.deltaSigmaZ.at(-1));
    const fixed = await runStudy('spin', SMALL, { backend: 'cpu', threads: 1, S: [0.5, 1.5] });
    expect(fixed.Jsd).toEqual([0.6, 0.6]);
    // S = 1/2 is the same run under both scalings, and the sector equals the full basis there.
    expect(fixed.final.singlet[0]).toBe(r.final.singlet[0]);
    const full = await simulate({ ...SMALL, state: 'singlet' }, { backend: 'cpu', threads: 1 });
    expect(Math.abs(fixed.final.singlet[0] - full.deltaSigmaZ.at(-1)!)).toBeLessThan(1e-10);
    // Spin S changes the result.
    expect(Math.abs(fixed.final.singlet[1] - fixed.final.singlet[0])).toBeGreaterThan(1e-4);
  });

  it('writes spin.json, spin.csv and spin.svg; shards and their merge give the same study', async () => {
    const whole = join(dir, 'whole');
    const common = ['study', 'spin', '-c', config, '--backend', 'cpu', '--threads', '1', '--S', '0.5,1', '--scaling', 'classical', '-q'];
    expect(await main([...common, '-o', whole], io().streams)).toBe(0);
    expect((await readdir(whole)).filter((f) => !f.startsWith('.')).sort()).toEqual(['spin-sweep', 'spin.csv', 'spin.json', 'spin.svg']);
    const a = JSON.parse(await readFile(join(whole, 'spin.json'), 'utf8'));
    expect(a.scaling).toBe('classical');
    expect((await readFile(join(whole, 'spin.csv'), 'utf8')).split('\n')[0]).toBe('S,final_deltaSigmaZ_singlet,final_deltaSigmaZ_T0,final_deltaSigmaZ_T-,final_deltaSigmaZ_single_down,Jsd_eV,Jex_eV');
    const sharded = join(dir, 'sharded');
    for (const shard of ['0/2', '1/2']) expect(await main([...common, '-o', sharded, '--shard', shard], io().streams)).toBe(0);
    expect(await main(['sweep', 'merge', join(sharded, 'spin-sweep'), '-q'], io().streams)).toBe(0);
    const b = JSON.parse(await readFile(join(sharded, 'spin.json'), 'utf8'));
    expect(b.final).toEqual(a.final);
    expect(b.Jsd).toEqual(a.Jsd);
  });

  it('--slurm writes the job array with --S and --scaling, running nothing', async () => {
    const out = join(dir, 'slurm');
    expect(await main(['study', 'spin', '-c', config, '--backend', 'cpu', '--S', '1,2', '--scaling', 'classical', '-o', out, '--slurm', '2', '-q'], io().streams)).toBe(0);
    const array = await readFile(join(out, 'spin-sweep', 'sweep.sbatch'), 'utf8');
    expect(array).toMatch(/study spin --config \S*base\.json --S 1,2 --scaling classical --out/);
    await expect(readFile(join(out, 'spin.json'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses spins outside 0.5 … 3.5, another scaling, and --S on another study', async () => {
    for (const [argv, message] of [
      [['--S', '0.5,4'], /--S "0.5,4" is not allowed; allowed: a comma-separated list of 0.5, 1/],
      [['--scaling', 'quantum'], /--scaling "quantum" is not allowed; allowed: fixed, classical/],
    ] as const) {
      const x = io();
      expect(await main(['study', 'spin', '-c', config, '-o', join(dir, 'refused'), ...argv], x.streams)).toBe(2);
      expect(x.err()).toMatch(message);
    }
    const x = io();
    expect(await main(['study', 'fig2a', '-c', config, '--S', '1', '-o', join(dir, 'refused')], x.streams)).toBe(2);
    expect(x.err()).toMatch(/--S belongs to the spin study, not fig2a/);
  });
});
