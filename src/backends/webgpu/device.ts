/**
 * Where a WebGPU device comes from, in both hosts: navigator.gpu in a browser
 * (or Deno), the `webgpu` npm package (Dawn) in Node. The package is loaded by
 * a dynamic import of a computed specifier, so bundlers leave it out of the
 * browser build and a browser never tries to fetch it.
 *
 * In Node, Dawn finds adapters through the Vulkan loader. On a machine without
 * a GPU, the SwiftShader CPU driver that ships with Chromium gives one when
 * VK_ICD_FILENAMES names its ICD file; this module does not set that variable
 * itself, so a real GPU is never hidden behind the software one.
 */

/** How to get an adapter, for error messages. */
export const WEBGPU_HELP =
  'In a browser, use one with WebGPU enabled (Chrome or Edge 113+, Safari 26+, Firefox 141+ on Windows) ' +
  'on https or localhost. In Node, the `webgpu` package needs a Vulkan driver: a GPU with its Vulkan driver, ' +
  'or the SwiftShader CPU driver from Chromium (Debian: `apt-get install -y chromium libvulkan1`, then ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).';

/** No WebGPU here: says why and how to get it. */
export class WebGpuUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`no WebGPU adapter: ${reason}. ${WEBGPU_HELP}`);
    this.name = 'WebGpuUnavailableError';
  }
}

export interface AdapterFound {
  readonly adapter: GPUAdapter;
  /** "vendor architecture (description)", for people. */
  readonly description: string;
  /** A CPU implementation (SwiftShader, llvmpipe, WARP): correct but slow. */
  readonly software: boolean;
  readonly host: 'browser' | 'node';
}

export type AdapterProbe = ({ found: true } & AdapterFound) | { found: false; reason: string };

interface NodeWebGpuModule {
  create(options: string[]): GPU;
}

let nodeGpu: Promise<GPU> | undefined;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The GPU entry point of this host, or why there is none. */
export async function gpuEntryPoint(): Promise<{ gpu: GPU; host: 'browser' | 'node' } | { gpu: undefined; reason: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, host: 'browser' };
  if (!isNode()) return { gpu: undefined, reason: 'this browser has no navigator.gpu' };
  try {
    nodeGpu ??= (async () => {
      // A computed specifier: bundlers must not pull the native package into the browser build.
      const specifier = ['web', 'gpu'].join('');
      const mod = (await import(/* @vite-ignore */ specifier)) as NodeWebGpuModule;
      return mod.create([]);
    })();
    return { gpu: await nodeGpu, host: 'node' };
  } catch (err) {
    nodeGpu = undefined;
    return { gpu: undefined, reason: `the Node package "webgpu" could not be loaded (${(err as Error).message})` };
  }
}

/**
 * Why no hardware GPU can be present, or undefined when one may be. On Linux a
 * GPU driver exposes a device node (/dev/dri/renderD*, /dev/nvidia*, /dev/dxg
 * under WSL); without one only software adapters can exist, which "auto" does
 * not choose, so it need not probe (probing makes Dawn and Mesa print
 * warnings on machines without a GPU).
 */
export function noHardwareGpuReason(): string | undefined {
  const proc = (globalThis as { process?: { platform?: string; getBuiltinModule?: (id: string) => unknown } }).process;
  if (!isNode() || proc?.platform !== 'linux') return undefined;
  const fs = proc.getBuiltinModule?.('node:fs') as { existsSync(p: string): boolean; readdirSync(p: string): string[] } | undefined;
  if (!fs) return undefined;
  try {
    if (fs.existsSync('/dev/dri') && fs.readdirSync('/dev/dri').some((f) => f.startsWith('renderD'))) return undefined;
    if (fs.existsSync('/dev/nvidia0') || fs.existsSync('/dev/nvidiactl') || fs.existsSync('/dev/dxg')) return undefined;
  } catch {
    return undefined;
  }
  return 'no GPU device node (/dev/dri/renderD*, /dev/nvidia*, /dev/dxg) on this machine';
}

/** Looks for an adapter (high performance preferred); never throws. */
export async function probeAdapter(): Promise<AdapterProbe> {
  const entry = await gpuEntryPoint();
  if (!entry.gpu) return { found: false, reason: entry.reason };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await entry.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { found: false, reason: `requestAdapter failed (${(err as Error).message})` };
  }
  if (!adapter) {
    const hint = entry.host === 'node' && !readEnv('VK_ICD_FILENAMES') ? ' (VK_ICD_FILENAMES is not set)' : '';
    return { found: false, reason: `requestAdapter() found none${hint}` };
  }
  return { found: true, adapter, description: describeAdapter(adapter), software: isSoftwareAdapter(adapter), host: entry.host };
}

function readEnv(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

export function describeAdapter(adapter: GPUAdapter | GPUDevice): string {
  const info = 'adapterInfo' in adapter ? adapter.adapterInfo : adapter.info;
  const name = [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return info?.description ? `${name} (${info.description})` : name;
}

/** CPU implementations report themselves as fallback adapters; older ones are known by name. */
export function isSoftwareAdapter(adapter: GPUAdapter | GPUDevice): boolean {
  const info = ('adapterInfo' in adapter ? adapter.adapterInfo : adapter.info) as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
  if (info?.isFallbackAdapter) return true;
  if ((adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter) return true;
  const text = `${info?.vendor ?? ''} ${info?.architecture ?? ''} ${info?.description ?? ''}`.toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|warp|software/.test(text);
}

/**
 * A device with the adapter's largest buffer limits: the state is split into
 * chunks no larger than one storage binding, so every byte the adapter allows
 * in a binding is one chunk fewer.
 */
export async function requestDevice(adapter: GPUAdapter, label: string): Promise<GPUDevice> {
  const a = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
    maxBufferSize: a.maxBufferSize,
    maxStorageBuffersPerShaderStage: a.maxStorageBuffersPerShaderStage,
    maxComputeWorkgroupStorageSize: a.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: a.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: a.maxComputeWorkgroupSizeX,
  };
  // Timestamp queries time the phases of an expansion (result timing.phases) where the adapter has them.
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ label, requiredLimits, requiredFeatures });
  if (!device) throw new WebGpuUnavailableError('requestDevice() returned no device');
  return device;
}
