/**
 * Checkpoints of a WebGPU run read back piece by piece (issue 19 item 4):
 * readStateChunks() copies the state through one small staging buffer
 * (readbackBytes) across the chunks of a split state; the file streamed from
 * it is byte for byte the one written from readState() of the same state, and
 * a run resumed from it gives the f64 CPU path's result within the WebGPU
 * tolerance.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readCheckpointFile, writeCheckpointFile } from '../../../src/cli/checkpoint-file.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import type { RunConfigInput } from '../../../src/model/config.js';
import { resumeSimulation, simulate } from '../../../src/simulate.js';
import { expectSameRun } from '../../helpers/result-checks.js';
import { describeWebGpu, expectNoGpuErrors, testDevice } from '../../helpers/webgpu.js';
import { TOLERANCES } from '../../tolerances.js';

const BASE: RunConfigInput = { N: 10, L: 3, spinStart: 4, x2: 4, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5 };

/** 37 amplitudes of f32: pieces that divide neither a chunk nor a row (320 amplitudes in the full basis). */
const READBACK_BYTES = 37 * 8;

const CASES: { name: string; config: RunConfigInput; maxChunkBytes?: number }[] = [
  // 3200 amplitudes in 3 chunks of 4, 3 and 3 rows.
  { name: 'full basis, split into 3 chunks', config: { state: 'singlet', basis: 'full' }, maxChunkBytes: 4 * 10 * 4 * 8 * 8 },
  { name: 'sector, one chunk', config: { state: 'T-', basis: 'sector', L: 4 } },
];

describeWebGpu('WebGPU checkpoints streamed from the device', () => {
  let device: GPUDevice;
  let dir: string;
  beforeAll(async () => {
    device = await testDevice('checkpoint.test');
    dir = await mkdtemp(join(tmpdir(), 'spin-transfer-webgpu-checkpoint-'));
  });
  afterAll(async () => {
    device?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CASES)('$name: the streamed file is the readState() one, byte for byte, and resumes to the f64 run', async ({ name, config: part, maxChunkBytes }) => {
    const config = { ...BASE, ...part };
    const streamedPath = join(dir, `${name}-streamed.ckpt`);
    const wholePath = join(dir, `${name}-whole.ckpt`);
    const options = { device, maxChunkBytes, readbackBytes: READBACK_BYTES };
    const gpu = createWebGpuBackend(options);
    const pieces: number[] = [];
    const chunks = gpu.readStateChunks.bind(gpu);
    gpu.readStateChunks = async function* (maxDoubles) {
      for await (const piece of chunks(maxDoubles)) {
        pieces.push(piece.length);
        yield piece;
      }
    };
    const cpu = await simulate(config, { backend: 'cpu', threads: 1 });
    await expectNoGpuErrors(device, async () => {
      try {
        let written = 0;
        await simulate(config, {
          backend: gpu,
          outputsPerExpansion: 2,
          checkpoint: {
            everySeconds: 0,
            writeStreamed: async (cp) => {
              written++;
              if (maxChunkBytes) expect(gpu.plan!.chunks.length).toBe(3);
              // Pieces of at most 2 x 29 doubles asked for; the staging buffer holds 37 amplitudes.
              await writeCheckpointFile(streamedPath, cp, { maxDoubles: 58 });
              const { stateChunks: _, ...info } = cp;
              await writeCheckpointFile(wholePath, { ...info, state: await gpu.readState() });
            },
          },
        });
        expect(written).toBe(1);
        expect(Math.max(...pieces)).toBe(58);
        expect(pieces.reduce((a, b) => a + b, 0)).toBe(2 * cpu.dim);
        expect(new Uint8Array(await readFile(streamedPath))).toEqual(new Uint8Array(await readFile(wholePath)));

        // The state read back piece by piece through a 37-amplitude buffer is readState()'s.
        const fine: Float64Array[] = [];
        for await (const piece of chunks(Infinity)) fine.push(Float64Array.from(piece));
        expect(Math.max(...fine.map((x) => x.length))).toBe(2 * 37);
        const joined = new Float64Array(2 * cpu.dim);
        fine.reduce((o, x) => (joined.set(x, o), o + x.length), 0);
        expect(joined).toEqual(await gpu.readState());

        const checkpoint = await readCheckpointFile(streamedPath);
        expect(checkpoint).toMatchObject({ backend: 'webgpu', precision: 'f32', step: 2 });
        const again = createWebGpuBackend(options);
        try {
          const resumed = await resumeSimulation(checkpoint, { backend: again });
          expectSameRun(resumed, cpu, TOLERANCES.webgpu);
        } finally {
          await again.dispose();
        }
      } finally {
        await gpu.dispose();
      }
    });
  }, 60_000);
});
