// `spin-transfer run --checkpoint` and `--resume` as a user runs them: the built
// command in a child process (npm test builds dist/ first). The kill test needs
// a run of a few seconds; the refusals use checkpoints written in-process.
import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { writeCheckpointFile } from '../../src/cli/checkpoint-file.js';
import { parseInvocation } from '../../src/cli/commands.js';
import type { Checkpoint } from '../../src/propagator/checkpoint.js';
import { simulate } from '../../src/simulate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'spin-transfer.mjs');

/** About two seconds on one thread: long enough to be killed after its first checkpoint. */
const SLOW = { N: 60, L: 3, tEnd: 40 };
// In the full basis: these tests are of the full layout's checkpoints.
const TINY = { N: 12, L: 2, spinStart: 6, x2: 2, d: 3, sigma: 1.5, tEnd: 4, dt: 0.5, basis: 'full' } as const;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<Outcome>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
const cli = (args: string[]) => start(args).done;

/** The result without its wall time: equal JSON text is equal numbers, bit for bit. */
function numbers(json: string): string {
  const r = JSON.parse(json);
  delete r.timing.seconds;
  return JSON.stringify(r);
}

const exists = (path: string) => access(path).then(() => true, () => false);

let dir: string;
let checkpoint: Checkpoint;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-cli-checkpoint-'));
  const taken: Checkpoint[] = [];
  await simulate(TINY, { backend: 'cpu', threads: 1, outputsPerExpansion: 2, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
  checkpoint = { ...taken[1], codeVersion: '0.0.1' };
  await writeFile(join(dir, 'tiny.json'), JSON.stringify(TINY));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('spin-transfer run --checkpoint / --resume', () => {
  it('a run killed by SIGKILL after a checkpoint resumes to the result of the uninterrupted run, same numbers', async () => {
    const config = join(dir, 'slow.json');
    await writeFile(config, JSON.stringify(SLOW));
    const whole = join(dir, 'whole.json'), resumed = join(dir, 'resumed.json'), ckpt = join(dir, 'slow.ckpt');

    const reference = await cli(['run', config, '--threads', '1', '--out', whole, '-q']);
    expect(reference.code).toBe(0);

    const run = start(['run', config, '--threads', '1', '--out', resumed, '--checkpoint', ckpt, '--checkpoint-every', '0.1s', '-q']);
    let finished = false;
    void run.done.then(() => (finished = true));
    while (!(await exists(ckpt))) {
      if (finished) throw new Error(`the run ended before its first checkpoint:\n${(await run.done).stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(await exists(resumed)).toBe(false);

    const again = await cli(['run', '--resume', ckpt, '--threads', '1', '--out', resumed]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`resumed from ${ckpt} at t = [0-9.]+ fs \\(output \\d+ of 80\\)`));
    expect(numbers(await readFile(resumed, 'utf8'))).toBe(numbers(await readFile(whole, 'utf8')));
    // The run is complete: its checkpoint is gone.
    expect(await exists(ckpt)).toBe(false);
  }, 60_000);

  it('resumes with the config given too, when it is the checkpoint\'s, and says which version wrote it', async () => {
    const ckpt = join(dir, 'same.ckpt');
    await writeCheckpointFile(ckpt, checkpoint);
    const r = await cli(['run', join(dir, 'tiny.json'), '--resume', ckpt, '--threads', '1', '--checkpoint', join(dir, 'next.ckpt')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`resumed from ${ckpt} at t = 2 fs (output 4 of 8; written by spin-transfer 0.0.1, continued by `);
    expect(JSON.parse(r.stdout).t).toHaveLength(9);
  });

  describe('refuses, before any work and with exit status 2, a checkpoint', () => {
    const refused = async (args: string[], message: RegExp) => {
      const out = join(dir, 'never.json');
      const r = await cli([...args, '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(await exists(out)).toBe(false);
    };

    it('truncated', async () => {
      const ckpt = join(dir, 'cut.ckpt');
      await writeCheckpointFile(ckpt, checkpoint);
      const bytes = await readFile(ckpt);
      await writeFile(ckpt, bytes.subarray(0, bytes.length - 1000));
      await refused(['run', '--resume', ckpt], new RegExp(`^spin-transfer: ${ckpt}: truncated checkpoint: ${bytes.length - 1000} bytes, ${bytes.length} expected`));
    });

    it('corrupted', async () => {
      const ckpt = join(dir, 'flipped.ckpt');
      await writeCheckpointFile(ckpt, checkpoint);
      const bytes = await readFile(ckpt);
      bytes[bytes.length - 500] ^= 0x10;
      await writeFile(ckpt, bytes);
      await refused(['run', '--resume', ckpt], /corrupted checkpoint: its SHA-256 does not match its contents/);
    });

    it('of another format version', async () => {
      const ckpt = join(dir, 'v4.ckpt');
      await writeCheckpointFile(ckpt, { ...checkpoint, formatVersion: 4 });
      await refused(['run', '--resume', ckpt], /checkpoint format version 4; this spin-transfer reads format versions 1, 2 and 3 only/);
    });

    it('of another config', async () => {
      const ckpt = join(dir, 'other.ckpt');
      await writeCheckpointFile(ckpt, checkpoint);
      const other = join(dir, 'other.json');
      await writeFile(other, JSON.stringify({ ...TINY, N: 14 }));
      await refused(['run', other, '--resume', ckpt], new RegExp(`${ckpt}: the checkpoint is of another config: N = 12 in the checkpoint, 14 in ${other}`));
    });

    it('of another basis', async () => {
      const ckpt = join(dir, 'basis.ckpt');
      await writeCheckpointFile(ckpt, checkpoint);
      const sector = join(dir, 'sector.json');
      await writeFile(sector, JSON.stringify({ ...TINY, basis: 'sector' }));
      await refused(['run', sector, '--resume', ckpt], /another basis: the checkpoint holds a state in basis "full", .* asks for basis "sector"/);
      await refused(['run', join(dir, 'tiny.json'), '--basis', 'sector', '--resume', ckpt], /another basis: the checkpoint holds a state in basis "full", .*tiny\.json asks for basis "sector"/);
      await refused(['run', '--resume', ckpt, '--basis', 'sector'], /another basis: the checkpoint holds a state in basis "full", --basis asks for basis "sector"/);
    });

    it('that is missing, or no checkpoint at all', async () => {
      await refused(['run', '--resume', join(dir, 'none.ckpt')], /cannot read the checkpoint .*none\.ckpt: no such file/);
      await refused(['run', '--resume', join(dir, 'tiny.json')], /not a spin-transfer checkpoint/);
    });
  });

  it('will not overwrite a file that is not a checkpoint, and says when it replaces one', async () => {
    const config = join(dir, 'tiny.json');
    const before = await readFile(config, 'utf8');
    const r = await cli(['run', config, '--checkpoint', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--checkpoint .*tiny\.json: the file exists and is not a checkpoint; refusing to overwrite it/);
    expect(await readFile(config, 'utf8')).toBe(before);

    const ckpt = join(dir, 'old.ckpt');
    await writeCheckpointFile(ckpt, checkpoint);
    const again = await cli(['run', config, '--checkpoint', ckpt]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`note: ${ckpt} holds a checkpoint already: this run replaces it (--resume ${ckpt} would continue it instead)`);
  });

  it('refuses a --checkpoint in a missing directory before the run', async () => {
    const r = await cli(['run', join(dir, 'tiny.json'), '--checkpoint', join(dir, 'no', 'x.ckpt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write --checkpoint .*x\.ckpt: the directory .* does not exist/);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});

describe('the checkpoint options', () => {
  const runArgs = (argv: string[]) => {
    const inv = parseInvocation(argv);
    if (inv.kind !== 'run') throw new Error('not a run');
    return inv.args;
  };

  it('take durations in s, m and h, 10 minutes by default, and resume into the same file', () => {
    expect(runArgs(['run', 'c.json', '--checkpoint', 'k', '--checkpoint-every', '90s']).checkpointEvery).toBe(90);
    expect(runArgs(['run', 'c.json', '--checkpoint', 'k', '--checkpoint-every', '10m']).checkpointEvery).toBe(600);
    expect(runArgs(['run', 'c.json', '--checkpoint', 'k', '--checkpoint-every=1.5h']).checkpointEvery).toBe(5400);
    expect(runArgs(['run', 'c.json', '--checkpoint', 'k']).checkpointEvery).toBeUndefined();
    expect(runArgs(['run', '--resume', 'k'])).toMatchObject({ resume: 'k', checkpoint: 'k' });
    expect(runArgs(['run', '--resume', 'k']).config).toBeUndefined();
    expect(runArgs(['run', '--resume', 'k', '--checkpoint', 'k2'])).toMatchObject({ resume: 'k', checkpoint: 'k2' });
  });

  it('refuse a duration without its unit or out of form, naming the option and the allowed forms', () => {
    for (const bad of ['10', '10x', '-5m', 'm', '1e3s', '']) {
      expect(() => runArgs(['run', 'c.json', '--checkpoint', 'k', '--checkpoint-every', bad])).toThrow(
        /--checkpoint-every ".*" is not allowed; allowed: a duration with its unit, s, m or h, such as 30s, 10m or 2h/,
      );
    }
  });

  it('refuse --checkpoint-every without a checkpoint file, and a run with neither CONFIG nor --resume', () => {
    expect(() => runArgs(['run', 'c.json', '--checkpoint-every', '5m'])).toThrow(/--checkpoint-every needs --checkpoint FILE/);
    expect(() => runArgs(['run'])).toThrow(UsageError);
    expect(() => runArgs(['run'])).toThrow(/"run" needs CONFIG\.json \(or --resume FILE\)/);
  });
});
