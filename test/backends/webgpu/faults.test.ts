/**
 * Limits and faults of the WebGPU backend: a state too large is refused before
 * allocation with a ResourceError; a lost device, a failed pipeline or a call
 * out of order is a clear Error, never a result made of zeros; "webgpu" and
 * "auto" in selectBackend say what they chose and why.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { CancelledError, ResourceError } from '../../../src/backends/backend.js';
import { selectBackend } from '../../../src/backends/select.js';
import { noHardwareGpuReason, probeAdapter, WebGpuUnavailableError } from '../../../src/backends/webgpu/device.js';
import { GpuFault, GpuResources } from '../../../src/backends/webgpu/gpu-resources.js';
import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import { describeWebGpu, testDevice } from '../../helpers/webgpu.js';
import { problemFor } from './fixtures.js';

const SMALL = { N: 10, L: 2, spinStart: 4, x2: 4, d: 3, sigma: 1.5, tEnd: 1, dt: 0.5, basis: 'full' as const };

describeWebGpu('WebGPU limits and faults', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice('faults.test');
  });
  afterAll(() => device?.destroy());

  it('refuses a state whose row exceeds the largest binding before allocating anything', async () => {
    const p = problemFor(SMALL);
    const rowBytes = 10 * 16 * 8;
    const backend = createWebGpuBackend({ device, maxBindingBytes: rowBytes - 8 });
    try {
      const err = await backend.load(p, p.psi).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResourceError);
      expect((err as ResourceError).bytesNeeded).toBe(rowBytes);
      expect((err as ResourceError).bytesAllowed).toBe(rowBytes - 8);
      expect((err as Error).message).toMatch(/does not fit the WebGPU adapter.*needs .*more than/);
      expect(backend.bytesAllocated).toBe(0);
    } finally {
      await backend.dispose();
    }
  });

  it('refuses a state above maxTotalBytes before allocating anything', async () => {
    const p = problemFor(SMALL);
    const backend = createWebGpuBackend({ device, maxTotalBytes: 4096 });
    try {
      const err = await backend.load(p, p.psi).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResourceError);
      expect((err as ResourceError).bytesAllowed).toBe(4096);
      expect((err as ResourceError).bytesNeeded).toBeGreaterThan(6 * 10 * 10 * 16 * 8);
      expect(backend.bytesAllocated).toBe(0);
    } finally {
      await backend.dispose();
    }
  });

  it('turns a lost device into a clear error, for a call after the loss and for one in flight', async () => {
    const own = await testDevice('faults.test lost device');
    const p = problemFor(SMALL);
    const backend = createWebGpuBackend({ device: own });
    await backend.load(p, p.psi);
    const series = p.series(2);
    await backend.advance(series);
    const inFlight = backend.advance(series);
    own.destroy();
    await expect(inFlight).rejects.toThrow(/WebGPU device lost during advance \(reason: destroyed/);
    await expect(backend.advance(series)).rejects.toThrow(/WebGPU device lost during advance \(reason: destroyed/);
    await expect(backend.reduce()).rejects.toThrow(/device lost/);
    await expect(backend.readState()).rejects.toThrow(/device lost/);
    // A device given by the caller is not replaced behind its back.
    await expect(backend.load(p, p.psi)).rejects.toThrow(/device lost/);
    await backend.dispose();
  });

  it('reports a pipeline that fails to compile, with the compiler message', async () => {
    const gpu = new GpuResources(device, false, 'test');
    const broken = gpu.pipeline('broken', () => ({
      label: 'broken',
      layout: 'auto',
      compute: { module: device.createShaderModule({ label: 'broken.wgsl', code: '@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }' }), entryPoint: 'main' },
    }));
    await expect(broken).rejects.toBeInstanceOf(GpuFault);
    await expect(broken).rejects.toThrow(/pipeline "broken" could not be created/);
  });

  it('refuses workgroup sizes the adapter does not allow, clearly', async () => {
    const p = problemFor(SMALL);
    const backend = createWebGpuBackend({ device, workgroupSize: device.limits.maxComputeInvocationsPerWorkgroup * 2 });
    await expect(backend.load(p, p.psi)).rejects.toThrow(/exceed the adapter's maxComputeInvocationsPerWorkgroup/);
    await backend.dispose();
    expect(() => createWebGpuBackend({ reduceWorkgroupSize: 100 })).toThrow(/power of two/);
  });

  it('refuses calls before load, concurrent calls, and calls after dispose', async () => {
    const p = problemFor(SMALL);
    const backend = createWebGpuBackend({ device });
    await expect(backend.reduce()).rejects.toThrow(/before load/);
    await backend.load(p, p.psi);
    const first = backend.advance(p.series(1));
    await expect(backend.advance(p.series(1))).rejects.toThrow(/already running/);
    await first;
    await backend.dispose();
    await backend.dispose();
    await expect(backend.advance(p.series(1))).rejects.toBeInstanceOf(CancelledError);
  });

  it('takes its error watch off a device the caller shares: twelve backends in turn leave no listener behind', async () => {
    // Each backend watches the device for uncaptured errors; on a device the caller keeps, a watch left
    // after dispose() would pile up (Node warns past ten) and hold every disposed backend alive.
    const own = await testDevice('faults.test shared device');
    const watching = new Set<unknown>();
    const add = own.addEventListener.bind(own);
    const remove = own.removeEventListener.bind(own);
    Object.assign(own, {
      addEventListener: (type: string, fn: unknown, o?: unknown) => {
        if (type === 'uncapturederror') watching.add(fn);
        add(type as 'uncapturederror', fn as EventListener, o as AddEventListenerOptions);
      },
      removeEventListener: (type: string, fn: unknown, o?: unknown) => {
        if (type === 'uncapturederror') watching.delete(fn);
        remove(type as 'uncapturederror', fn as EventListener, o as EventListenerOptions);
      },
    });
    try {
      const p = problemFor(SMALL);
      for (let i = 0; i < 12; i++) {
        const backend = createWebGpuBackend({ device: own });
        await backend.load(p, p.psi);
        expect(watching.size).toBe(1);
        await backend.dispose();
        expect(watching.size).toBe(0);
      }
    } finally {
      own.destroy();
    }
  });

  it('refuses a state of the wrong length', async () => {
    const p = problemFor(SMALL);
    const backend = createWebGpuBackend({ device });
    await expect(backend.load(p, new Float64Array(10))).rejects.toThrow(RangeError);
    await backend.dispose();
  });
});

describeWebGpu('selectBackend with WebGPU', () => {
  it('"webgpu" gives the WebGPU backend and names the adapter', async () => {
    const { backend, reason } = await selectBackend('webgpu');
    try {
      expect(backend.name).toBe('webgpu');
      expect(reason).toMatch(/^requested; adapter /);
    } finally {
      await backend.dispose();
    }
  });

  it('"auto" picks WebGPU on a hardware adapter and the CPU otherwise, saying why', async () => {
    const probe = await probeAdapter();
    const { backend, reason } = await selectBackend('auto');
    try {
      if (noHardwareGpuReason()) {
        expect(backend.name).toBe('cpu');
        expect(reason).toMatch(/^auto: no GPU device node .*so the f64 CPU backend; --backend webgpu tries a software adapter/);
      } else if (probe.found && probe.software) {
        expect(backend.name).toBe('cpu');
        expect(reason).toMatch(/auto: the only WebGPU adapter is a software one .*--backend webgpu uses it anyway/);
      } else {
        expect(backend.name).toBe('webgpu');
        expect(reason).toMatch(/^auto: WebGPU adapter /);
      }
    } finally {
      await backend.dispose();
    }
  });
});

it('says how to get an adapter when there is none', () => {
  const err = new WebGpuUnavailableError('requestAdapter() found none');
  expect(err.message).toMatch(/^no WebGPU adapter: requestAdapter\(\) found none\./);
  expect(err.message).toMatch(/apt-get install -y chromium libvulkan1/);
  expect(err.message).toMatch(/VK_ICD_FILENAMES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json/);
  expect(err.message).toMatch(/navigator|browser/);
});
