// --gpu-memory from the built command (`node bin/spin-transfer.mjs …`, as a
// user runs it): the WebGPU backend says what it needs before allocating, a
// cap below that is refused with the bytes needed and allowed and exit 2, a
// run under the cap completes, and study/sweep carry the cap to their runs.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWebGpu } from '../helpers/webgpu.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'spin-transfer.mjs');

/** N = 20, L = 2: 6400 amplitudes; its WebGPU buffers are 314656 bytes (test/backends/webgpu/memory-budget.test.ts counts them). */
// The full basis: the byte counts below are hand-counted for its N²·4·2^L amplitudes.
const TINY = { N: 20, L: 2, spinStart: 10, x2: 4, d: 4, sigma: 1.5, tEnd: 2, dt: 0.5, basis: 'full' };
const NEEDED = 314656;

function cli(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-gpu-memory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses a malformed --gpu-memory, and one given with a backend that has no WebGPU buffers, naming what is allowed (exit 2)', async () => {
  const bad = await cli(['run', '-', '--gpu-memory', '8X'], JSON.stringify(TINY));
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--gpu-memory "8X" is not allowed; allowed: .*K, M, G, T or KiB, MiB, GiB, TiB .*KB, MB, GB, TB/);
  const cpu = await cli(['sweep', '--grid', 'Jsd=0.1,0.2', '--out', join(dir, 'cpu'), '--backend', 'cpu', '--gpu-memory', '1G']);
  expect(cpu.code).toBe(2);
  expect(cpu.stderr).toMatch(/--gpu-memory caps the WebGPU backend's buffers; --backend cpu has none/);
});

it('says the cap has no effect when --backend auto chooses a backend without WebGPU buffers', async () => {
  const r = await cli(['run', '-', '--gpu-memory', '1G'], JSON.stringify(TINY));
  expect(r.code, r.stderr).toBe(0);
  const backend = /^backend: (\S+)/m.exec(r.stderr)![1];
  if (backend === 'webgpu') expect(r.stderr).toMatch(/^gpu memory: about 307\.3 KiB/m);
  else expect(r.stderr).toContain(`note: --gpu-memory caps the WebGPU backend's buffers; backend ${backend} runs, so it has no effect`);
});

describeWebGpu('--gpu-memory on the WebGPU backend', () => {
  it('says what the buffers need before allocating, and runs under a cap that fits', async () => {
    const out = join(dir, 'fits.json');
    const r = await cli(['run', '-', '--backend', 'webgpu', '--gpu-memory', `${NEEDED}`, '--out', out], JSON.stringify(TINY));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n');
    const budget = lines.findIndex((l) => l.startsWith('gpu memory: about 307.3 KiB on '));
    expect(budget, r.stderr).toBeGreaterThan(-1);
    expect(lines[budget]).toMatch(/6 states of 50\.0 KiB \(psi, work, 4 accumulators\).*allowed 307\.3 KiB \(the cap given: --gpu-memory/);
    // The line comes before the backend line the run prints once its state is loaded.
    expect(budget).toBeLessThan(lines.findIndex((l) => l.startsWith('backend: webgpu')));
    const result = JSON.parse(await readFile(out, 'utf8'));
    expect(result.backend).toBe('webgpu');
    expect(result.t).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it('refuses a state above the cap with the bytes needed and allowed, exit 2, and writes no result', async () => {
    const out = join(dir, 'refused.json');
    const r = await cli(['run', '-', '--backend', 'webgpu', '--gpu-memory', '64K', '--out', out], JSON.stringify(TINY));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`need 307.3 KiB (${NEEDED} bytes); allowed: 64.0 KiB (65536 bytes) (the cap given: --gpu-memory`);
    expect(r.stderr).not.toContain('backend: webgpu');
    expect(r.stderr).not.toMatch(/--debug shows the stack trace/);
    await expect(readFile(out, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('a sweep passes the cap to every point and to the Slurm tasks it writes', async () => {
    const base = join(dir, 'base.json');
    await writeFile(base, JSON.stringify(TINY));
    const out = join(dir, 'sweep');
    const r = await cli(['sweep', '--grid', 'Jsd=0.1,0.2', '--config', base, '--backend', 'webgpu', '--gpu-memory', '64K', '--out', out, '-q']);
    expect(r.code).toBe(1);
    // Each point fails alone, with the refusal as its error; the sweep exits 1 as incomplete.
    const rows = (await readFile(join(out, 'sweep.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/,failed,.*need 307\.3 KiB \(314656 bytes\); allowed: 64\.0 KiB \(65536 bytes\)/);
    expect(r.stderr).toContain('the sweep is incomplete (0 of 2 done)');
    const slurm = join(dir, 'slurm');
    const s = await cli(['sweep', '--grid', 'Jsd=0.1,0.2', '--config', base, '--backend', 'webgpu', '--gpu-memory', '8G', '--out', slurm, '--slurm', '2']);
    expect(s.code, s.stderr).toBe(0);
    expect(await readFile(join(slurm, 'sweep.sbatch'), 'utf8')).toContain(`--backend webgpu --gpu-memory ${8 * 2 ** 30} --out `);
  });
});
