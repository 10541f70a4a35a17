/**
 * The WebGPU memory budget (memory-budget.ts): byte sizes as people write
 * them, the cap chosen from the user's figure and the device's, and the bytes
 * a small state needs counted by hand from the layout (MODEL.md) against what
 * the backend reports before it allocates and what it then holds.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceError } from '../../../src/backends/backend.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostMemoryLimit } from '../../../src/backends/memory.js';
import {
  describeGpuMemory, gpuMemoryAllowed, knownDeviceMemory, parseByteSize, type GpuMemoryBudget,
} from '../../../src/backends/webgpu/memory-budget.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import { describeWebGpu, testDevice } from '../../helpers/webgpu.js';
import { problemFor } from './fixtures.js';

describe('byte sizes (--gpu-memory)', () => {
  it('reads bytes, binary units (K, M, G, T, KiB … TiB) and decimal ones (KB … TB)', () => {
    expect(parseByteSize('8589934592')).toBe(8 * 2 ** 30);
    expect(parseByteSize('8G')).toBe(8 * 2 ** 30);
    expect(parseByteSize('8GiB')).toBe(8 * 2 ** 30);
    expect(parseByteSize('8gib')).toBe(8 * 2 ** 30);
    expect(parseByteSize('512M')).toBe(512 * 2 ** 20);
    expect(parseByteSize('1.5K')).toBe(1536);
    expect(parseByteSize('2T')).toBe(2 * 2 ** 40);
    expect(parseByteSize('8GB')).toBe(8e9);
    expect(parseByteSize('64KB')).toBe(64000);
    expect(parseByteSize('100B')).toBe(100);
  });

  it('refuses what is not a size of at least one byte', () => {
    for (const bad of ['', 'G', '8X', '-1G', '0', '0.1', '8 G B', '1e9', '8GiBs', '9999999999T']) expect(parseByteSize(bad), bad).toBeUndefined();
  });
});

describe('the cap on all buffers', () => {
  const device = { bytes: 1000, source: 'the device' };
  it('is the smaller of the user cap and the known device memory, and says which', () => {
    expect(gpuMemoryAllowed(undefined, undefined)).toBeUndefined();
    expect(gpuMemoryAllowed(500, undefined)?.bytes).toBe(500);
    expect(gpuMemoryAllowed(undefined, device)).toBe(device);
    expect(gpuMemoryAllowed(2000, device)).toBe(device);
    const user = gpuMemoryAllowed(500, device)!;
    expect(user.bytes).toBe(500);
    expect(user.source).toMatch(/--gpu-memory/);
  });
});

describe('the device memory where it is known', () => {
  /** An adapter as Dawn describes an NVIDIA GPU over Vulkan (no memory heaps). */
  const nvidia = { info: { vendor: 'nvidia', architecture: 'hopper', device: '', description: '' } } as unknown as GPUAdapter;
  const dir = mkdtempSync(join(tmpdir(), 'spin-transfer-nvidia-smi-'));
  const path = process.env.PATH;
  afterAll(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });
  /** A stand-in nvidia-smi on PATH that prints `lines` (MiB free, one line per GPU). */
  function nvidiaSmi(lines: string[]): void {
    writeFileSync(join(dir, 'nvidia-smi'), `#!/bin/sh\nprintf '${lines.map((l) => `${l}\\n`).join('')}'\n`, { mode: 0o755 });
    process.env.PATH = dir;
  }

  it("is one NVIDIA GPU's free memory from nvidia-smi, and unknown with several or none", () => {
    nvidiaSmi(['79123']);
    expect(knownDeviceMemory(nvidia)).toEqual({ bytes: 79123 * 2 ** 20, source: "the NVIDIA GPU's free memory (nvidia-smi)" });
    nvidiaSmi(['79123', '40000']);
    expect(knownDeviceMemory(nvidia)).toBeUndefined();
    rmSync(join(dir, 'nvidia-smi'));
    expect(knownDeviceMemory(nvidia)).toBeUndefined();
    // Another vendor's adapter does not ask nvidia-smi.
    nvidiaSmi(['79123']);
    expect(knownDeviceMemory({ info: { vendor: 'amd', architecture: 'rdna-3', device: '', description: '' } } as unknown as GPUAdapter)).toBeUndefined();
  });

  it("is the sum of the device-local heaps where the adapter reports them, and the host's for a software adapter", () => {
    const heaps = { info: { vendor: 'amd', memoryHeaps: [{ size: 2 ** 34, properties: 1 }, { size: 2 ** 35, properties: 2 }, { size: 2 ** 28, properties: 3 }] } } as unknown as GPUAdapter;
    expect(knownDeviceMemory(heaps)?.bytes).toBe(2 ** 34 + 2 ** 28);
    const soft = { info: { vendor: 'google', architecture: 'swiftshader', description: '' } } as unknown as GPUAdapter;
    expect(knownDeviceMemory(soft)).toMatchObject({ bytes: hostMemoryLimit().bytes, source: expect.stringMatching(/software adapter's buffers are host memory/) });
  });
});

/** N = 20, L = 2, two electrons, basis "full": the CLI test's config too. */
const TINY = { N: 20, L: 2, spinStart: 10, x2: 4, d: 4, sigma: 1.5, tEnd: 2, dt: 0.5 };

/**
 * The plan's bytes counted from the layout: dim = N^2 x 4 electron spin
 * states x 2^L = 6400 amplitudes of 8 bytes (f32 complex); psi, work and 4
 * accumulators; the tables of H (the diagonal of H~ and of H per spin
 * configuration, 2 x 2^L floats, and spinAtSite, N ints); the reduction
 * scratch at 128 invocations per workgroup: (block, m) pairs = dim / 4 = 1600
 * in ceil(1600 / 128) = 13 first-level records of 5 + ceil(L / 4) = 6 vec4s,
 * one partial record per 128 records for the sum levels, 1600 / 2^L = 400
 * segment weights, and the final shares (4 ceil((24 + N) / 4) = 44 floats
 * per slot, psi and 4 accumulators) with one readback copy for each of the 4
 * expansions in flight.
 */
function handCount(): number {
  const { N, L } = TINY;
  const dim = N * N * 4 * 2 ** L;
  const states = (2 + 4) * dim * 8;
  const tables = 4 * (2 * 2 ** L + N);
  const pairs = dim / 4;
  const records = Math.ceil(pairs / 128);
  const recordFloats = 4 * (5 + Math.ceil(L / 4));
  const finalFloats = 4 * Math.ceil((recordFloats + N) / 4);
  const scratchFloats = records * recordFloats + Math.ceil(records / 128) * recordFloats + pairs / 2 ** L + (1 + 4) * (1 + 4) * finalFloats;
  return states + tables + 4 * scratchFloats;
}

describeWebGpu('the WebGPU memory budget', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('memory-budget.test');
  });
  afterAll(() => device?.destroy());

  it('reports, before allocating, the bytes counted by hand, and holds no more than that plus uniforms', async () => {
    const p = problemFor(TINY);
    const budgets: { budget: GpuMemoryBudget; heldBefore: number }[] = [];
    const backend = createWebGpuBackend({
      device,
      maxTotalBytes: 2 ** 30,
      onMemoryBudget: (budget) => budgets.push({ budget, heldBefore: backend.bytesAllocated }),
    });
    try {
      await backend.load(p, p.psi);
      const r = await backend.advance(p.series(4));
      expect(r).toHaveLength(4);
      expect(budgets).toHaveLength(1);
      const { budget, heldBefore } = budgets[0];
      expect(heldBefore).toBe(0);
      expect(budget.bytesNeeded).toBe(handCount());
      expect(budget.stateBytes).toBe(6400 * 8);
      expect(budget.accumulators).toBe(4);
      expect(budget.chunks).toBe(1);
      expect(budget.allowed?.bytes).toBe(2 ** 30);
      // What it holds after 4 outputs: the plan, and only the uniforms and coefficients beyond it.
      expect(backend.bytesAllocated).toBeGreaterThanOrEqual(budget.bytesNeeded);
      expect(backend.bytesAllocated - budget.bytesNeeded).toBeLessThan(64 * 1024);
      expect(describeGpuMemory(budget)).toMatch(/^gpu memory: about 307\.3 KiB on .*6 states of 50\.0 KiB.*allowed 1\.0 GiB \(the cap given: --gpu-memory/);
    } finally {
      await backend.dispose();
    }
  });

  it('refuses one byte below the hand count with the bytes needed and allowed, having allocated nothing', async () => {
    const p = problemFor(TINY);
    let told = false;
    const backend = createWebGpuBackend({ device, maxTotalBytes: handCount() - 1, onMemoryBudget: () => (told = true) });
    try {
      const err = await backend.load(p, p.psi).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ResourceError);
      expect((err as ResourceError).bytesNeeded).toBe(handCount());
      expect((err as ResourceError).bytesAllowed).toBe(handCount() - 1);
      expect((err as Error).message).toContain(`(${handCount()} bytes); allowed: 307.3 KiB (${handCount() - 1} bytes) (the cap given: --gpu-memory`);
      expect(told).toBe(false);
      expect(backend.bytesAllocated).toBe(0);
    } finally {
      await backend.dispose();
    }
  });

  it('plans anew, within the cap, when an expansion asks for more outputs than the load planned', async () => {
    const p = problemFor(TINY);
    const budgets: GpuMemoryBudget[] = [];
    // Room for 4 accumulators, not 6: the 6-output expansion is refused, not allocated past the cap.
    const backend = createWebGpuBackend({ device, maxTotalBytes: handCount(), onMemoryBudget: (b) => budgets.push(b) });
    try {
      await backend.load(p, p.psi);
      const err = await backend.advance(p.series(6)).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ResourceError);
      expect((err as ResourceError).bytesNeeded).toBeGreaterThan(handCount());
      expect((err as Error).message).toMatch(/6 accumulators/);
      expect(backend.bytesAllocated).toBe(0);
    } finally {
      await backend.dispose();
    }
    expect(budgets.map((b) => b.accumulators)).toEqual([4]);
  });
});

/**
 * A device whose queue fails the state upload after the buffers exist: what a
 * device with less memory than the budget does midway through a load. Only
 * the queue is replaced; every other call reaches the real device.
 */
function deviceFailingUpload(real: GPUDevice): GPUDevice {
  const queue = new Proxy(real.queue, {
    get(target, key) {
      if (key === 'writeBuffer') return () => { throw new Error('upload refused (test)'); };
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return new Proxy(real, {
    get(target, key) {
      if (key === 'queue') return queue;
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describeWebGpu('a load that fails after allocating', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('memory-budget.test failing upload');
  });
  afterAll(() => device?.destroy());

  it('frees every buffer it made and says how much, so nothing half-allocated stays', async () => {
    const p = problemFor(TINY);
    const backend = createWebGpuBackend({ device: deviceFailingUpload(device) });
    try {
      const err = await backend.load(p, p.psi).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      // psi, work, the tables and the scratch existed when the upload failed: about the plan less its 4 accumulators.
      expect((err as Error).message).toMatch(/upload refused \(test\) \(the [0-9.]+ KiB \(([0-9]+) bytes\) of buffers allocated so far were freed\)/);
      const freed = Number(/KiB \(([0-9]+) bytes\) of buffers/.exec((err as Error).message)![1]);
      expect(freed).toBeGreaterThanOrEqual(2 * 6400 * 8);
      expect(freed).toBeLessThan(handCount());
      expect(backend.bytesAllocated).toBe(0);
      await expect(backend.reduce()).rejects.toThrow(/reduce\(\) before load\(\)/);
    } finally {
      await backend.dispose();
    }
  });
});
