/**
 * CI's smoke test of the benchmark harness: the built `dist/bench/run.js
 * --quick` runs as a child process (as `npm run bench -- --quick` does), and
 * its JSON records must have the grid's shape and sane figures. WebGPU joins
 * when an adapter exists; with CI set and none, the WebGPU part fails (it
 * does not skip), as every GPU test here does.
 */

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRecord, MeasuredRecord } from '../../bench/core/grid.js';
import { describeWebGpu } from '../helpers/webgpu.js';

const RUN = join(process.cwd(), 'dist', 'bench', 'run.js');
const dir = mkdtempSync(join(os.tmpdir(), 'spin-transfer-bench-test-'));
const json = join(dir, 'quick.json');

let quickRun: Promise<GridRecord[]> | undefined;

/** Runs the quick harness once for every suite of this file. */
function records(): Promise<GridRecord[]> {
  quickRun ??= (async () => {
    if (!existsSync(RUN)) throw new Error(`${RUN} is missing: run \`npm run build\` first (npm test does)`);
    await promisify(execFile)(process.execPath, ['--expose-gc', RUN, '--quick', '--no-docs', '--no-scipy', '--json', json], { timeout: 170_000 });
    const all = JSON.parse(readFileSync(json, 'utf8')) as { kind: string }[];
    return all.filter((r) => r.kind === 'h-apply') as GridRecord[];
  })();
  return quickRun;
}

const find = (rs: GridRecord[], backend: string, N: number, L: number, threads?: number) =>
  rs.filter((r) => r.backend === backend && r.N === N && r.L === L && (threads === undefined || r.threads === threads));

/** The figures of a measured record agree with each other and with the physics of the case. */
function expectSane(r: MeasuredRecord): void {
  const what = r.case;
  for (const k of ['ampsPerSecond', 'secondsPerTerm', 'effectiveGBs', 'bytesPerAmplitudeTerm', 'terms', 'reps'] as const) {
    expect(Number.isFinite(r[k]) && r[k] > 0, `${what}: ${k} = ${r[k]}`).toBe(true);
  }
  expect(r.dim, what).toBe(r.N * r.N * 4 * 2 ** r.L);
  expect(r.ampsPerSecond * r.secondsPerTerm, what).toBeCloseTo(r.dim, 6);
  expect(r.secondsPerTermMin, what).toBeLessThanOrEqual(r.secondsPerTerm);
  expect(r.secondsPerTermMax, what).toBeGreaterThanOrEqual(r.secondsPerTerm);
  expect(r.effectiveGBs, what).toBeCloseTo((r.ampsPerSecond * r.bytesPerAmplitudeTerm) / 1e9, 9);
  // f64 (CPU): T_k, T_{k-1}, T_{k+1} and the accumulator once per three terms, 16-byte amplitudes; f32: five streams of 8 bytes.
  expect(r.bytesPerAmplitudeTerm, what).toBeCloseTo(r.precision === 'f64' ? (3 + 2 / 3) * 16 : 40, 12);
  // The state kept its norm through the timed expansions: the work was done.
  expect(Math.abs(r.normAfter - 1), what).toBeLessThan(r.precision === 'f64' ? 1e-9 : 1e-4);
  expect(r.memoryBytes, what).toBeGreaterThan(r.dim * (r.precision === 'f64' ? 16 : 8));
  expect(typeof r.bandwidthReference, what).toBe('string');
  if (r.bandwidthGBs !== undefined) {
    expect(r.bandwidthGBs, what).toBeGreaterThan(0);
    expect(r.bandwidthRatio, what).toBeCloseTo(r.effectiveGBs / r.bandwidthGBs, 9);
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --quick (built harness, child process)', () => {
  let rs: GridRecord[];
  beforeAll(async () => {
    rs = await records();
  }, 180_000);

  it('lists N = 100, L = 4 on every backend, each record measured or skipped with a reason', () => {
    const backends = [...new Set(rs.map((r) => r.backend))];
    expect(backends).toEqual(expect.arrayContaining(['cpu', 'webgpu', 'gpujs-webasm']));
    for (const b of backends) expect(find(rs, b, 100, 4).length, b).toBeGreaterThan(0);
    for (const r of rs) {
      expect(r, r.case).toMatchObject({ kind: 'h-apply', backend: expect.any(String), threads: expect.any(Number), N: expect.any(Number), L: expect.any(Number), dim: expect.any(Number) });
      if (r.skipped !== undefined) expect(r.skipped.length, r.case).toBeGreaterThan(0);
      else expectSane(r);
    }
  });

  it('measures the CPU at N = 100, L = 4 on one thread and on every core', () => {
    const cores = os.availableParallelism();
    for (const threads of cores > 1 ? [1, cores] : [1]) {
      const [r] = find(rs, 'cpu', 100, 4, threads);
      expect(r, `cpu, ${threads} thread(s)`).toBeDefined();
      expect(r.skipped, r.case).toBeUndefined();
      expectSane(r as MeasuredRecord);
      expect(r.description).toMatch(new RegExp(`${threads} (worker )?thread`));
    }
  });

  it('measures gpu.js in webasm mode (the gpu.js mode Node has)', () => {
    const [r] = find(rs, 'gpujs-webasm', 100, 4);
    expect(r.skipped, r.case).toBeUndefined();
  });

  it('writes the markdown table next to the JSON', () => {
    const md = readFileSync(json.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toMatch(/## Throughput grid — quick run/);
    expect(md).toMatch(/\| 100 \| 4 \| 640,000 \|/);
  });
});

describeWebGpu('npm run bench -- --quick on WebGPU', () => {
  it('measures WebGPU at N = 100, L = 4, against a copy kernel on the same device', async () => {
    const [r] = find(await records(), 'webgpu', 100, 4);
    expect(r.skipped, r.case).toBeUndefined();
    const m = r as MeasuredRecord;
    expectSane(m);
    expect(m.bandwidthReference).toMatch(/copy kernel/);
    expect(m.bandwidthRatio).toBeGreaterThan(0);
  }, 180_000);
});
