// Checkpoints of one run: a resumed run is the uninterrupted run (bit for bit
// on the CPU backend with one thread), the encoding round-trips, and every
// checkpoint that cannot continue the run is refused with its reason.
import { engineConfig } from '../helpers/engine-config.js';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FORMAT_VERSION, CheckpointError, checkCheckpointConfig, decodeCheckpoint, encodeCheckpointBytes, type Checkpoint,
} from '../../src/propagator/checkpoint.js';
import { readCheckpointFile, simulateWithCheckpoint, writeCheckpointFile } from '../../src/cli/checkpoint-file.js';
import { parseRunConfig } from '../../src/model/config.js';
import type { SimulationResult } from '../../src/model/result.js';
import { resumeSimulation, simulate } from '../../src/simulate.js';
import { expectSameRun } from '../helpers/result-checks.js';
import { TOLERANCES } from '../tolerances.js';

/** 8 output intervals of a 2304-amplitude state: milliseconds. */
// In the full basis: these tests are of the full layout's checkpoints (the sector's have their own, below).
const TINY = { N: 12, L: 2, spinStart: 6, x2: 2, d: 3, sigma: 1.5, tEnd: 4, dt: 0.5, basis: 'full' } as const;
const RUN = { backend: 'cpu', threads: 1, outputsPerExpansion: 2 } as const;

/** The result without its wall time, as JSON: equal strings are equal numbers, bit for bit. */
const numbers = (r: SimulationResult) => JSON.stringify({ ...r, timing: { matvecs: r.timing.matvecs } });

let full: SimulationResult;
let checkpoints: Checkpoint[];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-checkpoint-'));
  checkpoints = [];
  full = await simulate(TINY, { ...RUN, checkpoint: { everySeconds: 0, codeVersion: '9.9.9', write: (cp) => void checkpoints.push(cp) } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rewrites the trailing SHA-256 after an edit, as a writer of that content would have. */
function resign(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out.set(createHash('sha256').update(out.subarray(0, out.length - 32)).digest(), out.length - 32);
  return out;
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<CheckpointError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return e as CheckpointError;
  }
  throw new Error('expected a CheckpointError');
}

describe('checkpoints of a run', () => {
  it('are taken between expansions, at every expansion boundary with everySeconds 0, never at the end', () => {
    expect(checkpoints.map((c) => c.step)).toEqual([2, 4, 6]);
    expect(checkpoints.map((c) => c.t)).toEqual([1, 2, 3]);
    for (const c of checkpoints) {
      expect(c.formatVersion).toBe(CHECKPOINT_FORMAT_VERSION);
      expect(c.codeVersion).toBe('9.9.9');
      expect(c.outputsPerExpansion).toBe(2);
      expect(c.state).toHaveLength(2 * full.dim);
      expect(c.reductions).toHaveLength(c.step + 1);
      expect(c.config).toEqual(full.config);
    }
  });

  it('resume to the result of the uninterrupted run: the same numbers, bit for bit, on the CPU with the same threads', async () => {
    for (const cp of checkpoints) {
      const decoded = await decodeCheckpoint(await encodeCheckpointBytes(cp));
      const progress: number[] = [];
      const resumed = await resumeSimulation(decoded, { backend: 'cpu', threads: 1, onProgress: (p) => progress.push(p.step) });
      expect(numbers(resumed)).toBe(numbers(full));
      expect(resumed.timing.matvecs).toBe(full.timing.matvecs);
      // Progress starts from the output reached, not from 0.
      expect(progress[0]).toBe(cp.step);
      expect(progress.at(-1)).toBe(8);
    }
  });

  it('resume bit for bit on two worker threads too, when both sessions use two', async () => {
    const run = { backend: 'cpu', threads: 2, outputsPerExpansion: 2 } as const;
    const taken: Checkpoint[] = [];
    const whole = await simulate(TINY, { ...run, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    expect(taken[0].backendDescription).toBe('cpu f64, 2 worker threads');
    const resumed = await resumeSimulation(await decodeCheckpoint(await encodeCheckpointBytes(taken[1])), { backend: 'cpu', threads: 2 });
    expect(numbers(resumed)).toBe(numbers(whole));
  });

  it('round-trip through the encoding unchanged', async () => {
    const cp = checkpoints[1];
    const back = await decodeCheckpoint(await encodeCheckpointBytes(cp));
    expect(back).toEqual(cp);
  });

  it('of one electron round-trip and resume too', async () => {
    const single = { ...TINY, state: 'single' as const };
    const taken: Checkpoint[] = [];
    const whole = await simulate(single, { ...RUN, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    expect(taken[0].codeVersion).toBe('unknown');
    const resumed = await resumeSimulation(await decodeCheckpoint(await encodeCheckpointBytes(taken[0])), { backend: 'cpu', threads: 1 });
    expect(numbers(resumed)).toBe(numbers(whole));
  });
});

describe('a checkpoint that cannot continue the run is refused, saying why', () => {
  it('truncated: its length is short of what its header says', async () => {
    const bytes = await encodeCheckpointBytes(checkpoints[0]);
    for (const length of [bytes.length - 1, bytes.length - 40, 100, 12]) {
      const e = await refusal(decodeCheckpoint(bytes.subarray(0, length)));
      expect(e.problem).toBe('truncated');
      expect(e.message).toMatch(/^truncated checkpoint: \d+ bytes, (at least )?\d+ expected/);
    }
  });

  it('corrupted: one flipped byte in the state, the series, the header or the checksum', async () => {
    const bytes = await encodeCheckpointBytes(checkpoints[0]);
    const headerBytes = new DataView(bytes.buffer).getUint32(12, true);
    for (const at of [16 + headerBytes + 5, bytes.length - 40, bytes.length - 1, 16 + headerBytes - 20]) {
      const bad = bytes.slice();
      bad[at] ^= 0x01;
      const e = await refusal(decodeCheckpoint(bad));
      expect(e.problem).toBe('corrupted');
      expect(e.message).toMatch(/corrupted checkpoint/);
    }
    // A byte appended: not the length the header says.
    expect((await refusal(decodeCheckpoint(new Uint8Array([...bytes, 0])))).problem).toBe('corrupted');
  });

  it('another format version, even with a valid checksum; another package version is accepted', async () => {
    const bytes = await encodeCheckpointBytes(checkpoints[0]);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, CHECKPOINT_FORMAT_VERSION + 1, true);
    const e = await refusal(decodeCheckpoint(resign(newer)));
    expect(e.problem).toBe('version');
    expect(e.message).toMatch(new RegExp(`format version ${CHECKPOINT_FORMAT_VERSION + 1}; this spin-transfer reads format versions 1, 2 and ${CHECKPOINT_FORMAT_VERSION} only`));
    const older = await decodeCheckpoint(await encodeCheckpointBytes({ ...checkpoints[0], codeVersion: '0.0.1' }));
    expect(older.codeVersion).toBe('0.0.1');
  });

  it('not a checkpoint at all', async () => {
    const e = await refusal(decodeCheckpoint(new TextEncoder().encode('{"N": 12}')));
    expect(e.problem).toBe('not-a-checkpoint');
  });

  it('another config, naming the keys that differ', async () => {
    const cp = checkpoints[0];
    const e = await refusal(() => checkCheckpointConfig(cp, parseRunConfig({ ...TINY, Jsd: 0.4 }), 'other.json'));
    expect(e.problem).toBe('config');
    expect(e.message).toBe('the checkpoint is of another config: Jsd = 0.3 in the checkpoint, 0.4 in other.json');
    const viaSimulate = await refusal(simulate({ ...TINY, tEnd: 5 }, { ...RUN, resumeFrom: cp }));
    expect(viaSimulate.message).toMatch(/tEnd = 4 in the checkpoint, 5 in the config/);
  });

  it('another basis', async () => {
    const e = await refusal(() => checkCheckpointConfig(checkpoints[0], parseRunConfig({ ...TINY, basis: 'sector' })));
    expect(e.problem).toBe('basis');
    expect(e.message).toMatch(/another basis: the checkpoint holds a state in basis "full", the config asks for basis "sector"/);
  });

  it('a config that does not match the checkpoint\'s own state size', async () => {
    const cp = checkpoints[0];
    const e = await refusal(decodeCheckpoint(await encodeCheckpointBytes({ ...cp, state: cp.state.subarray(0, cp.state.length - 2) })));
    expect(e.problem).toBe('config');
    expect(e.message).toMatch(/state has 2303 amplitudes; its config \(N = 12, L = 2, basis "full"\) needs 2304/);
  });
});

describe('checkpoint files (Node)', () => {
  it('leave the library entry, which exports them, bundleable for a browser (no static Node imports)', async () => {
    const { build } = await import('esbuild');
    const entry = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'index.ts');
    const out = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    expect(out.errors).toEqual([]);
  }, 30_000);

  it('are written atomically, leave no temporary file, and read back', async () => {
    const path = join(dir, 'a.ckpt');
    await writeCheckpointFile(path, checkpoints[0]);
    await writeCheckpointFile(path, checkpoints[1]);
    expect(await readdir(dir)).toEqual(['a.ckpt']);
    expect((await readCheckpointFile(path)).step).toBe(4);
  });

  it('name the file in every refusal', async () => {
    const path = join(dir, 'cut.ckpt');
    await writeCheckpointFile(path, checkpoints[0]);
    await writeFile(path, (await readFile(path)).subarray(0, 1000));
    const e = await refusal(readCheckpointFile(path));
    expect(e.message).toBe(`${path}: truncated checkpoint: 1000 bytes, ${(await encodeCheckpointBytes(checkpoints[0])).length} expected`);
    expect((await refusal(readCheckpointFile(join(dir, 'none.ckpt')))).problem).toBe('missing');
  });

  it('simulateWithCheckpoint resumes from a valid checkpoint of the config and removes it when done', async () => {
    const path = join(dir, 'point.ckpt');
    await writeCheckpointFile(path, checkpoints[1]);
    const resumed: number[] = [];
    const r = await simulateWithCheckpoint(TINY, path, { ...RUN, everySeconds: 0, onResume: (cp) => resumed.push(cp.step) });
    expect(resumed).toEqual([4]);
    expect(numbers(r)).toBe(numbers(full));
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('simulateWithCheckpoint starts afresh past a checkpoint of another config or a corrupted one, and says why', async () => {
    const path = join(dir, 'stale.ckpt');
    for (const [problem, prepare] of [
      ['config', () => writeCheckpointFile(path, { ...checkpoints[0], config: engineConfig({ ...TINY, Jex: 0.1 }) })],
      ['corrupted', async () => {
        await writeCheckpointFile(path, checkpoints[0]);
        const b = await readFile(path);
        b[b.length - 100] ^= 0xff;
        await writeFile(path, b);
      }],
    ] as const) {
      await prepare();
      const discarded: string[] = [];
      const written: number[] = [];
      const r = await simulateWithCheckpoint(TINY, path, {
        ...RUN, everySeconds: 0, keep: true, onDiscard: (e) => discarded.push(e.problem), onCheckpoint: (cp) => written.push(cp.step),
      });
      expect(discarded).toEqual([problem]);
      expect(written).toEqual([2, 4, 6]);
      expect((await readCheckpointFile(path)).codeVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(numbers(r)).toBe(numbers(full));
      // Kept: the last checkpoint the fresh run wrote.
      expect((await readCheckpointFile(path)).step).toBe(6);
    }
  });
});

describe('resuming on another backend', () => {
  it('gives the uninterrupted run within that backend\'s tolerance (gpu.js webasm, f32, from and to the f64 CPU)', async () => {
    // CPU checkpoint, continued in f32.
    const onGpu = await resumeSimulation(checkpoints[1], { backend: 'gpujs-webasm' });
    expect(onGpu.backend).toBe('gpujs-webasm');
    expectSameRun(onGpu, full, TOLERANCES.gpujs);
    // f32 checkpoint (its state read back as f64), continued on the CPU.
    const taken: Checkpoint[] = [];
    await simulate(TINY, { backend: 'gpujs-webasm', outputsPerExpansion: 2, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    expect(taken[0]).toMatchObject({ backend: 'gpujs-webasm', precision: 'f32', step: 2 });
    const onCpu = await resumeSimulation(await decodeCheckpoint(await encodeCheckpointBytes(taken[0])), { backend: 'cpu', threads: 1 });
    expectSameRun(onCpu, full, TOLERANCES.gpujs);
  }, 60_000);
});

describe('a run in the sector basis', () => {
  it('checkpoints its sector state (the layout\'s dim, in the sector\'s order) and resumes to the same numbers', async () => {
    const sector = { ...TINY, basis: 'sector' as const };
    const taken: Checkpoint[] = [];
    const whole = await simulate(sector, { ...RUN, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    expect(taken[0].dim).toBe(whole.dim);
    expect(taken[0].dim).toBeLessThan(full.dim);
    expect(taken[0].state).toHaveLength(2 * whole.dim);
    const resumed = await resumeSimulation(await decodeCheckpoint(await encodeCheckpointBytes(taken[1])), { backend: 'cpu', threads: 1 });
    expect(numbers(resumed)).toBe(numbers(whole));
    // Its state cannot continue the full-basis run.
    const e = await refusal(simulate(TINY, { ...RUN, resumeFrom: taken[1] }));
    expect(e.problem).toBe('basis');
  });
});

describe('a run in the antisymmetric basis', () => {
  const half = { ...TINY, basis: 'antisymmetric' as const };

  it('checkpoints its half state (format version 2 on) and resumes to the same numbers', async () => {
    const taken: Checkpoint[] = [];
    const whole = await simulate(half, { ...RUN, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    expect(taken[0].formatVersion).toBe(CHECKPOINT_FORMAT_VERSION);
    expect(taken[0].dim).toBe(whole.dim);
    expect(taken[0].dim).toBe(((TINY.N + 1) / (2 * TINY.N)) * (await simulate({ ...TINY, basis: 'sector', tEnd: 0.5 }, RUN)).dim);
    const resumed = await resumeSimulation(await decodeCheckpoint(await encodeCheckpointBytes(taken[1])), { backend: 'cpu', threads: 1 });
    expect(numbers(resumed)).toBe(numbers(whole));
    // Its state continues neither the sector run nor the full one.
    expect((await refusal(simulate({ ...TINY, basis: 'sector' }, { ...RUN, resumeFrom: taken[1] }))).problem).toBe('basis');
  });

  it('refuses to resume a state that is not antisymmetric under the exchange, naming the amplitude', async () => {
    const taken: Checkpoint[] = [];
    await simulate(half, { ...RUN, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    const state = Float64Array.from(taken[1].state);
    // Block (0, 0) holds e = 1 (up-down) and e = 2 (down-up) with opposite signs: make them equal.
    const C = state.length / 2 / ((TINY.N * (TINY.N + 1)) / 2);
    state[2 * (C - 1)] = state[2 * (C - 2)] = 0.1;
    await expect(resumeSimulation({ ...taken[1], state }, { backend: 'cpu', threads: 1 })).rejects.toThrow(
      /the resumed state is not antisymmetric under the exchange of the two electrons: psi\(xA = 0, xB = 0, e = 1/,
    );
  });

  it('reads a format version 1 checkpoint (full or sector) as it is; one that names basis "antisymmetric" is corrupted', async () => {
    const v1 = await decodeCheckpoint(await encodeCheckpointBytes({ ...checkpoints[1], formatVersion: 1 }));
    expect(v1.formatVersion).toBe(1);
    expect(numbers(await resumeSimulation(v1, { backend: 'cpu', threads: 1 }))).toBe(numbers(full));
    const taken: Checkpoint[] = [];
    await simulate(half, { ...RUN, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    const e = await refusal(decodeCheckpoint(await encodeCheckpointBytes({ ...taken[0], formatVersion: 1 })));
    expect(e.problem).toBe('corrupted');
    expect(e.message).toMatch(/format version 1 has no basis "antisymmetric"/);
  });
});

describe('a run with the entanglement observables (format version 3)', () => {
  // Two electrons in both bases, one electron, and a chain whose entropy is given at the final time only.
  const CASES = [
    { name: 'singlet, full basis', config: { ...TINY, tEnd: 3, state: 'singlet', entanglement: true } },
    { name: 'T0, sector', config: { ...TINY, tEnd: 3, state: 'T0', basis: 'sector', entanglement: true } },
    { name: 'one electron, sector', config: { ...TINY, tEnd: 3, state: 'single', basis: 'sector', entanglement: true } },
    { name: 'entropy at the final time only (L = 8)', config: { N: 8, L: 8, spinStart: 0, x2: 2, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, state: 'T0', basis: 'full', entanglement: true } },
  ] as const;

  it.each(CASES)('$name: interrupted at a checkpoint and resumed from its file, gives the uninterrupted result', async ({ config }) => {
    const whole = await simulate(config, RUN);
    expect(whole.entanglement!.szCorrelations).toHaveLength(whole.t.length);
    // Interrupted: cancelled once its first checkpoint is in the file (streamed, in small pieces).
    const path = join(dir, 'entanglement.ckpt');
    const stop = new AbortController();
    await expect(simulate(config, {
      ...RUN, signal: stop.signal,
      checkpoint: { everySeconds: 0, writeStreamed: async (cp) => { await writeCheckpointFile(path, cp, { maxDoubles: 256 }); stop.abort(); } },
    })).rejects.toThrow(/cancelled/);
    const cp = await readCheckpointFile(path);
    expect(cp.formatVersion).toBe(3);
    expect(cp.step).toBe(2);
    const series = cp.entanglement!;
    expect(series.szCorrelations).toEqual(whole.entanglement!.szCorrelations.slice(0, 3));
    expect(series.concurrence).toEqual(whole.entanglement!.concurrence?.slice(0, 3));
    expect(series.chainEntropy).toEqual(whole.entanglement!.note ? [] : whole.entanglement!.chainEntropy.slice(0, 3));
    const resumed = await resumeSimulation(cp, { backend: 'cpu', threads: 1 });
    // Bit for bit on one thread (the issue asks 1e-12): the same numbers, the same note.
    expect(numbers(resumed)).toBe(numbers(whole));
    expect(resumed.entanglement).toEqual(whole.entanglement);
    // Round-trips through the encoding unchanged.
    expect(await decodeCheckpoint(await encodeCheckpointBytes(cp))).toEqual(cp);
  });

  it('a checkpoint without entanglement is version 2\'s bytes but for the version number, and round-trips', async () => {
    const cp = checkpoints[1];
    expect(cp.entanglement).toBeUndefined();
    const v3 = await encodeCheckpointBytes(cp);
    const v2 = await encodeCheckpointBytes({ ...cp, formatVersion: 2 });
    const differ = [...v3.keys()].filter((i) => v3[i] !== v2[i]);
    expect(differ.filter((i) => i < v3.length - 32)).toEqual([8]);
    const back = await decodeCheckpoint(v3);
    expect(back).toEqual(cp);
    expect('entanglement' in back).toBe(false);
  });

  it('refuses a version 2 file whose config asks for entanglement, and a checkpoint without the series', async () => {
    const taken: Checkpoint[] = [];
    const config = { ...TINY, tEnd: 2, state: 'T0', entanglement: true } as const;
    await simulate(config, { ...RUN, checkpoint: { everySeconds: 0, write: (cp) => void taken.push(cp) } });
    const { entanglement, ...bare } = taken[0];
    expect(entanglement!.concurrence).toHaveLength(3);
    // A version 2 writer could not have written it: its bytes, signed, are refused as corrupted.
    const v2 = resign(await encodeCheckpointBytes({ ...taken[0], formatVersion: 3, entanglement: undefined, config: { ...taken[0].config, entanglement: false } }));
    const json = new TextDecoder().decode(v2.subarray(16, 16 + new DataView(v2.buffer).getUint32(12, true)));
    const forged = json.replace('"entanglement":false', '"entanglement":true ');
    const bytes = v2.slice();
    bytes.set(new TextEncoder().encode(forged), 16);
    new DataView(bytes.buffer).setUint32(8, 2, true);
    const e = await refusal(decodeCheckpoint(resign(bytes)));
    expect(e.problem).toBe('corrupted');
    expect(e.message).toMatch(/format version 2 holds no entanglement series, yet its config asks for them/);
    // The same bytes as version 3: the header lacks the series it must describe.
    new DataView(bytes.buffer).setUint32(8, 3, true);
    expect((await refusal(decodeCheckpoint(resign(bytes)))).message).toMatch(/its header does not agree with its config/);
    // In memory: not encoded without its series, and not resumed without them.
    await expect(encodeCheckpointBytes(bare)).rejects.toThrow(/does not hold the entanglement series of its 3 output times/);
    await expect(resumeSimulation(bare, { backend: 'cpu', threads: 1 })).rejects.toThrow(/cannot resume at output 2 with "entanglement": true: the snapshot holds no entanglement series/);
  });
});
