/**
 * WebGPU in tests: one probe per test file, and describeWebGpu(), which runs a
 * suite when an adapter exists, skips it with the reason in its name when it
 * does not (outside CI), and FAILS when it does not and CI is set: a CI run
 * must not pass by skipping the GPU tests.
 */

import { describe, it } from 'vitest';
import { probeAdapter, requestDevice } from '../../src/backends/webgpu/device.js';

export interface WebGpuAvailability {
  readonly available: boolean;
  /** The adapter, or why there is none. */
  readonly detail: string;
}

export const inCI = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
};

export async function webGpuAvailability(): Promise<WebGpuAvailability> {
  const probe = await probeAdapter();
  return probe.found ? { available: true, detail: probe.description } : { available: false, detail: probe.reason };
}

const availability = await webGpuAvailability();

export const WEBGPU_AVAILABLE = availability.available;

/** describe() for suites that need a WebGPU adapter. */
export function describeWebGpu(name: string, fn: () => void): void {
  if (availability.available) {
    describe(`${name} [${availability.detail}]`, fn);
  } else if (inCI()) {
    describe(name, () => {
      it('has a WebGPU adapter (required with CI set)', () => {
        throw new Error(`no WebGPU adapter: ${availability.detail}. With CI set, the WebGPU tests must run, not skip.`);
      });
    });
  } else {
    const why = `${name} — SKIPPED: no WebGPU adapter (${availability.detail}); with CI=true this fails`;
    console.warn(why);
    describe.skip(why, fn);
  }
}

/** A device of its own for a test file (share it between backends: pipelines compile once per device). */
export async function testDevice(label: string): Promise<GPUDevice> {
  const probe = await probeAdapter();
  if (!probe.found) throw new Error(`no WebGPU adapter: ${probe.reason}`);
  return requestDevice(probe.adapter, label);
}

/**
 * Runs fn inside validation and out-of-memory error scopes of `device`; a GPU
 * error that escaped the backend's own scopes fails the test.
 */
export async function expectNoGpuErrors<T>(device: GPUDevice, fn: () => Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  let result: T;
  try {
    result = await fn();
  } finally {
    const oom = await device.popErrorScope();
    const validation = await device.popErrorScope();
    const e = validation ?? oom;
    if (e) throw new Error(`WebGPU ${e === validation ? 'validation' : 'out-of-memory'} error in the test: ${e.message}`);
  }
  return result;
}
