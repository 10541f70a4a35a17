/**
 * The one owner of everything the WebGPU backend creates on a device: buffers
 * (counted, so a memory report is one number), bind group layouts and compute
 * pipelines (built once per device and cached by a key, so backends that share
 * a device share them), and the device itself when it was requested here. destroy() frees all of it; freeBuffers() only the
 * buffers, so a backend can load a new problem on the same device and keep
 * its compiled pipelines.
 *
 * It also watches the device: a lost device or an uncaptured error is
 * remembered and turned into a thrown Error by check(), and scoped() runs work
 * inside validation / out-of-memory / internal error scopes, so a fault is a
 * clear exception, never a silent result of zeros.
 */

export class GpuFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuFault';
  }
}

export interface ScopedErrors {
  readonly validation?: GPUError;
  readonly outOfMemory?: GPUError;
  readonly internal?: GPUError;
}

const DEVICE_CACHES = new WeakMap<
  GPUDevice,
  { pipelines: Map<string, Promise<GPUComputePipeline>>; layouts: Map<string, GPUBindGroupLayout> }
>();

export class GpuResources {
  /** Bytes held in buffers right now. */
  bytesAllocated = 0;
  private readonly buffers = new Set<GPUBuffer>();
  /** Shared by every owner on the same device: a pipeline is compiled once per device. */
  private readonly pipelines: Map<string, Promise<GPUComputePipeline>>;
  private readonly layouts: Map<string, GPUBindGroupLayout>;
  private lostInfo?: GPUDeviceLostInfo;
  private uncaptured?: GPUError;
  private destroyed = false;
  /** Kept so destroy() can take it off a device the caller shares between backends (else listeners pile up). */
  private readonly onUncapturedError = (ev: Event): void => {
    this.uncaptured ??= (ev as GPUUncapturedErrorEvent).error;
  };

  constructor(
    readonly device: GPUDevice,
    /** Destroy the device in destroy(): true when this backend requested it. */
    private readonly ownsDevice: boolean,
    readonly adapterDescription: string,
  ) {
    let cache = DEVICE_CACHES.get(device);
    if (!cache) DEVICE_CACHES.set(device, (cache = { pipelines: new Map(), layouts: new Map() }));
    this.pipelines = cache.pipelines;
    this.layouts = cache.layouts;
    void device.lost.then((info) => {
      if (!this.destroyed) this.lostInfo = info;
    });
    device.addEventListener?.('uncapturederror', this.onUncapturedError);
  }

  /** Throws if the device was lost or reported an error nobody caught. */
  check(what: string): void {
    if (this.destroyed) throw new GpuFault(`WebGPU ${what}: the backend's device resources were destroyed`);
    if (this.lostInfo) {
      throw new GpuFault(
        `WebGPU device lost during ${what} (reason: ${this.lostInfo.reason || 'unknown'}${this.lostInfo.message ? `: ${this.lostInfo.message}` : ''}); ` +
          'no result was produced. Load the problem again on a new backend.',
      );
    }
    if (this.uncaptured) throw new GpuFault(`WebGPU error during ${what}: ${this.uncaptured.message}`);
  }

  get lost(): boolean {
    return this.lostInfo !== undefined;
  }

  createBuffer(label: string, size: number, usage: number): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
    this.buffers.add(buffer);
    this.bytesAllocated += buffer.size;
    return buffer;
  }

  destroyBuffer(buffer: GPUBuffer | undefined): void {
    if (!buffer || !this.buffers.delete(buffer)) return;
    this.bytesAllocated -= buffer.size;
    buffer.destroy();
  }

  freeBuffers(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.clear();
    this.bytesAllocated = 0;
  }

  bindGroupLayout(key: string, entries: GPUBindGroupLayoutEntry[]): GPUBindGroupLayout {
    let layout = this.layouts.get(key);
    if (!layout) {
      layout = this.device.createBindGroupLayout({ label: `spin-transfer ${key} bindings`, entries });
      this.layouts.set(key, layout);
    }
    return layout;
  }

  /** A compute pipeline, compiled once per key; a failed compilation throws with the compiler's messages. */
  pipeline(key: string, make: () => GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(key);
    if (!p) {
      p = this.compile(key, make());
      this.pipelines.set(key, p);
      p.catch(() => this.pipelines.delete(key));
    }
    return p;
  }

  private async compile(key: string, descriptor: GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
    const module = descriptor.compute.module;
    let pipeline: GPUComputePipeline | undefined;
    let failure: unknown;
    const errors = await this.scoped(async () => {
      try {
        pipeline = await this.device.createComputePipelineAsync(descriptor);
      } catch (err) {
        failure = err;
      }
    });
    const messages = await compilationMessages(module);
    const problem = errors.validation ?? errors.internal ?? errors.outOfMemory;
    if (failure || problem || !pipeline) {
      const why = (failure as Error | undefined)?.message ?? problem?.message ?? 'no pipeline';
      throw new GpuFault(`WebGPU pipeline "${key}" could not be created: ${why}${messages ? `\n${messages}` : ''}`);
    }
    return pipeline;
  }

  /** Runs fn inside validation, out-of-memory and internal error scopes and returns what they caught. */
  async scoped(fn: () => void | Promise<void>): Promise<ScopedErrors> {
    const d = this.device;
    d.pushErrorScope('validation');
    d.pushErrorScope('out-of-memory');
    d.pushErrorScope('internal');
    let thrown: unknown;
    try {
      await fn();
    } catch (err) {
      thrown = err;
    }
    const internal = (await d.popErrorScope()) ?? undefined;
    const outOfMemory = (await d.popErrorScope()) ?? undefined;
    const validation = (await d.popErrorScope()) ?? undefined;
    if (thrown) throw thrown;
    return { validation, outOfMemory, internal };
  }

  /** As scoped(), but any caught error is thrown, naming `what`. */
  async guarded(what: string, fn: () => void | Promise<void>): Promise<void> {
    const errors = await this.scoped(fn);
    const e = errors.validation ?? errors.outOfMemory ?? errors.internal;
    if (e) {
      const kind = e === errors.validation ? 'validation' : e === errors.outOfMemory ? 'out-of-memory' : 'internal';
      throw new GpuFault(`WebGPU ${kind} error during ${what}: ${e.message}`);
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.freeBuffers();
    this.destroyed = true;
    this.device.removeEventListener?.('uncapturederror', this.onUncapturedError);
    if (this.ownsDevice) {
      DEVICE_CACHES.delete(this.device);
      this.device.destroy();
    }
  }
}

async function compilationMessages(module: GPUShaderModule): Promise<string> {
  try {
    const info = await module.getCompilationInfo();
    return info.messages
      .filter((m) => m.type !== 'info')
      .map((m) => `  ${m.type} at line ${m.lineNum}:${m.linePos}: ${m.message}`)
      .join('\n');
  } catch {
    return '';
  }
}
