/**
 * What this browser offers each backend, and why a backend is unavailable.
 * Probed where the runs happen (the compute worker), so the answer is the
 * worker's: WebGPU through the worker's navigator.gpu, WebGL2 through an
 * OffscreenCanvas, CPU threads through SharedArrayBuffer when the page is
 * cross-origin isolated.
 */

import { isSoftwareAdapter } from '../backends/webgpu/device.js';
import { webGl2Renderer } from '../backends/gpujs/webgl2-renderer.js';

export interface BackendAvailability {
  /** Backend name as simulate() takes it. */
  name: string;
  available: boolean;
  /** What it would run on, or why it cannot run. */
  detail: string;
  /** Runs on the CPU although it is a GPU backend (SwiftShader, llvmpipe, webasm). */
  software?: boolean;
}

export interface Capabilities {
  webgpu: {
    available: boolean;
    /** Adapter vendor, architecture and description, or why there is none. */
    detail: string;
    software: boolean;
    /** Selected adapter limits, bytes or counts. */
    limits?: Record<string, number>;
  };
  webgl2: { available: boolean; renderer?: string; software: boolean };
  cpu: { cores: number; crossOriginIsolated: boolean; sharedMemory: boolean; threads: number };
  /** One entry per backend name, "auto" first. */
  backends: BackendAvailability[];
}

const LIMITS = [
  'maxBufferSize', 'maxStorageBufferBindingSize', 'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupsPerDimension',
] as const;

async function probeWebGpu(): Promise<Capabilities['webgpu']> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) return { available: false, detail: 'this browser exposes no navigator.gpu (WebGPU is off, or not offered to workers)', software: false };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { available: false, detail: `requestAdapter failed: ${(err as Error).message}`, software: false };
  }
  if (!adapter) return { available: false, detail: 'requestAdapter() found no adapter (blocklisted GPU or driver?)', software: false };
  const info = adapter.info;
  const name = [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const detail = info?.description ? `${name} (${info.description})` : name;
  const limits: Record<string, number> = {};
  for (const key of LIMITS) limits[key] = Number(adapter.limits[key]);
  return { available: true, detail, software: isSoftwareAdapter(adapter), limits };
}

/** Probes this global scope (a worker or a window). Never throws. */
export async function probeCapabilities(): Promise<Capabilities> {
  const webgpu = await probeWebGpu();
  let gl: ReturnType<typeof webGl2Renderer>;
  try {
    gl = webGl2Renderer();
  } catch {
    gl = undefined;
  }
  const webgl2 = { available: !!gl, renderer: gl?.renderer, software: gl?.software ?? false };
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const cores = g.navigator?.hardwareConcurrency ?? 1;
  const isolated = g.crossOriginIsolated === true;
  const sharedMemory = isolated && typeof SharedArrayBuffer === 'function';
  const cpu = { cores, crossOriginIsolated: isolated, sharedMemory, threads: sharedMemory ? cores : 1 };
  const wasm = typeof WebAssembly === 'object';

  const backends: BackendAvailability[] = [];
  const auto =
    webgpu.available && !webgpu.software
      ? `would pick webgpu (${webgpu.detail})`
      : webgl2.available && !webgl2.software
        ? `would pick gpujs-webgl2 (${webgl2.renderer})`
        : `would pick cpu: ${webgpu.available ? 'the WebGPU adapter is a software one' : 'no WebGPU adapter'}, ` +
          `${webgl2.available ? 'the WebGL2 renderer is a software one' : 'no WebGL2'}`;
  backends.push({ name: 'auto', available: true, detail: auto });
  backends.push({
    name: 'cpu',
    available: true,
    detail: sharedMemory
      ? `f64, up to ${cores} Web Worker threads over SharedArrayBuffer`
      : 'f64, one thread: the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp for threads)',
  });
  backends.push({
    name: 'webgpu',
    available: webgpu.available,
    software: webgpu.software,
    detail: webgpu.available ? `f32 on ${webgpu.detail}${webgpu.software ? ' — a software adapter: runs on the CPU' : ''}` : webgpu.detail,
  });
  const glDetail = webgl2.available ? `f32 on ${webgl2.renderer}${webgl2.software ? ' — a software renderer: runs on the CPU' : ''}` : 'no WebGL2 context here (OffscreenCanvas webgl2 refused)';
  backends.push({ name: 'gpujs', available: webgl2.available || wasm, detail: webgl2.available ? `gpu.js webgl2: ${glDetail}` : 'gpu.js webasm (no WebGL2 here)', software: webgl2.software || !webgl2.available });
  backends.push({ name: 'gpujs-webgl2', available: webgl2.available, software: webgl2.software, detail: glDetail });
  backends.push({
    name: 'gpujs-webasm',
    available: wasm,
    software: true,
    detail: wasm ? 'f32 in WebAssembly on the CPU (slower than cpu)' : 'no WebAssembly in this browser',
  });
  return { webgpu, webgl2, cpu, backends };
}
