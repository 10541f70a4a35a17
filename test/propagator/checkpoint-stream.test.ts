// Checkpoints written piece by piece (issue 19 item 4): the state goes from
// the backend to the file one piece at a time, hashed as it goes, and the
// bytes are those of the whole-state encoding. A stub that hands out every
// piece in one reused buffer (poisoning it when the next is asked for) shows
// the writer never holds more than one piece.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/backends/cpu/cpu-backend.js';
import { readCheckpointFile, writeCheckpointFile } from '../../src/cli/checkpoint-file.js';
import type { SimulationResult } from '../../src/model/result.js';
import {
  encodeCheckpointBytes, writeCheckpoint, type Checkpoint, type StreamedCheckpoint,
} from '../../src/propagator/checkpoint.js';
import { resumeSimulation, simulate } from '../../src/simulate.js';
import { initialState } from '../../src/model/initial-state.js';
import { prepareProblem } from '../../src/propagator/propagate.js';
import { engineConfig } from '../helpers/engine-config.js';

const TINY = { N: 12, L: 2, spinStart: 6, x2: 2, d: 3, sigma: 1.5, tEnd: 4, dt: 0.5, basis: 'full' } as const;
const RUN = { backend: 'cpu', threads: 1, outputsPerExpansion: 2 } as const;
const numbers = (r: SimulationResult) => JSON.stringify({ ...r, timing: { matvecs: r.timing.matvecs } });

/**
 * A streamed checkpoint of `cp`'s state whose pieces all live in one buffer
 * of `maxDoubles`: a piece is alive from when it is handed out until the
 * next is asked for (or the iteration ends), and is then overwritten with
 * NaN, so a writer that kept one would write NaN.
 */
function stub(cp: Checkpoint) {
  const seen = { requested: 0, largest: 0, alive: 0, mostAlive: 0, pieces: 0 };
  const { state, ...info } = cp;
  const streamed: StreamedCheckpoint = {
    ...info,
    async *stateChunks(maxDoubles: number) {
      seen.requested = Math.max(seen.requested, maxDoubles);
      const buffer = new Float64Array(maxDoubles);
      try {
        for (let o = 0; o < state.length; o += maxDoubles) {
          const n = Math.min(maxDoubles, state.length - o);
          buffer.fill(Number.NaN);
          buffer.set(state.subarray(o, o + n));
          seen.largest = Math.max(seen.largest, n);
          seen.pieces++;
          seen.mostAlive = Math.max(seen.mostAlive, ++seen.alive);
          yield buffer.subarray(0, n);
          seen.alive--;
        }
      } finally {
        buffer.fill(Number.NaN);
      }
    },
  };
  return { streamed, seen };
}

let dir: string;
let full: SimulationResult;
let checkpoints: Checkpoint[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-checkpoint-stream-'));
  checkpoints = [];
  full = await simulate(TINY, { ...RUN, checkpoint: { everySeconds: 0, write: (cp) => void checkpoints.push(cp) } });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a checkpoint streamed to its file', () => {
  it('holds one piece at a time and writes the bytes of the whole-state encoding', async () => {
    const cp = checkpoints[1];
    const whole = await encodeCheckpointBytes(cp);
    const { streamed, seen } = stub(cp);
    const path = join(dir, 'stub.ckpt');
    await writeCheckpointFile(path, streamed, { maxDoubles: 100 });
    expect(new Uint8Array(await readFile(path))).toEqual(whole);
    // 4608 doubles in pieces of 100 (whole amplitudes): 47 pieces, one alive at a time.
    expect(seen).toEqual({ requested: 100, largest: 100, alive: 0, mostAlive: 1, pieces: 47 });
    expect((await readCheckpointFile(path)).state).toEqual(cp.state);
  });

  it('hands every piece on before asking for the next: no write is larger than a piece, header or series', async () => {
    const cp = checkpoints[0];
    const { streamed, seen } = stub(cp);
    const writes: number[] = [];
    const bytes: Uint8Array[] = [];
    await writeCheckpoint(streamed, async (b) => {
      // A piece must be whole while it is written: it is not NaN (the stub's poison).
      expect(seen.alive).toBeLessThanOrEqual(1);
      writes.push(b.length);
      bytes.push(b.slice());
    }, { createSha256: () => createHash('sha256'), maxDoubles: 64 });
    const written = Buffer.concat(bytes);
    expect(new Uint8Array(written)).toEqual(await encodeCheckpointBytes(cp));
    const pieceWrites = writes.slice(1, -2);
    expect(pieceWrites).toHaveLength(72); // 4608 / 64
    expect(Math.max(...pieceWrites)).toBe(8 * 64);
    expect(seen.mostAlive).toBe(1);
  });

  it('rounds a piece down to whole amplitudes and refuses less than one', async () => {
    const { streamed, seen } = stub(checkpoints[0]);
    await writeCheckpointFile(join(dir, 'odd.ckpt'), streamed, { maxDoubles: 7 });
    expect(seen.requested).toBe(6);
    await expect(writeCheckpointFile(join(dir, 'one.ckpt'), streamed, { maxDoubles: 1 })).rejects.toThrow(/at least one amplitude/);
  });

  it('that does not add up to the state is not written, and the previous checkpoint stays', async () => {
    const path = join(dir, 'short.ckpt');
    await writeCheckpointFile(path, checkpoints[0]);
    const before = await readFile(path);
    for (const state of [checkpoints[1].state.subarray(0, 100), Float64Array.from([...checkpoints[1].state, 1, 2])]) {
      const { streamed } = stub({ ...checkpoints[1], state });
      await expect(writeCheckpointFile(path, streamed, { maxDoubles: 64 })).rejects.toThrow(/the backend gave (more than )?\d+ doubles of state, the header says 4608/);
      expect(await readFile(path)).toEqual(before);
      expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
    }
  });

  it('joins the pieces for the browser path (encodeCheckpoint, Web Crypto)', async () => {
    const { streamed } = stub(checkpoints[2]);
    expect(await encodeCheckpointBytes(streamed)).toEqual(await encodeCheckpointBytes(checkpoints[2]));
  });
});

describe('simulate() with writeStreamed on the CPU backend', () => {
  it('streams views of the state itself, writes the whole-state bytes, and resumes bit for bit', async () => {
    const paths: string[] = [];
    const r = await simulate(TINY, {
      ...RUN,
      checkpoint: {
        everySeconds: 0,
        writeStreamed: async (cp) => {
          const path = join(dir, `run-${cp.step}.ckpt`);
          await writeCheckpointFile(path, cp, { maxDoubles: 500 });
          // The same checkpoint, its state joined: the same bytes.
          expect(new Uint8Array(await readFile(path))).toEqual(await encodeCheckpointBytes(cp));
          paths.push(path);
        },
      },
    });
    expect(numbers(r)).toBe(numbers(full));
    expect(paths).toHaveLength(3);
    for (const path of paths) {
      const resumed = await resumeSimulation(await readCheckpointFile(path), { backend: 'cpu', threads: 1 });
      expect(numbers(resumed)).toBe(numbers(full));
    }
  });

  it('a snapshot\'s state cannot be read once its write has returned', async () => {
    let kept: StreamedCheckpoint | undefined;
    await simulate(TINY, { ...RUN, checkpoint: { everySeconds: 0, writeStreamed: (cp) => void (kept ??= cp) } });
    await expect(encodeCheckpointBytes(kept!)).rejects.toThrow(/a snapshot's state can be read only while it is taken \(stateChunks after take\(\) returned\)/);
  });

  it('CPU readStateChunks: pieces of whole amplitudes, in order, that make up readState()', async () => {
    const config = engineConfig({ ...TINY, state: 'T0' });
    const { problem, seriesFor } = prepareProblem(config, 'f64');
    const cpu = createCpuBackend({ threads: 1 });
    try {
      await cpu.load(problem, initialState(config));
      await cpu.advance(seriesFor(2));
      const pieces: Float64Array[] = [];
      for await (const piece of cpu.readStateChunks!(101)) pieces.push(Float64Array.from(piece));
      expect(Math.max(...pieces.map((x) => x.length))).toBe(100);
      const joined = new Float64Array(pieces.reduce((n, x) => n + x.length, 0));
      pieces.reduce((o, x) => (joined.set(x, o), o + x.length), 0);
      expect(joined).toEqual(await cpu.readState());
    } finally {
      await cpu.dispose();
    }
  });
});
