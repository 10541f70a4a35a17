/**
 * The gpu.js backend: the Chebyshev recurrence of MODEL.md as three gpu.js
 * kernels (src/backends/gpujs/kernels.ts) over one interleaved f32 state, so
 * the same kernel source runs on gpu.js's web-assembly backend in Node, on
 * WebGL2 in a browser and on its plain-JS cpu backend.
 *
 * Per Chebyshev term k: TERM (T_k = alpha H~ T_{k-1} - beta T_{k-2}) once,
 * then ACCUMULATE once per output time of the expansion. The kernels run in
 * gpu.js pipeline mode with immutable outputs, so on WebGL2 every T_k and
 * accumulator stays a texture on the device between terms (each is deleted
 * when the recurrence no longer needs it). On webasm and cpu a kernel output
 * is a host Float32Array anyway.
 *
 * Reductions: gpu.js has no reduction primitive, so each output state is
 * read back once per output time and reduced on the CPU in f64 by the CPU
 * backend's reduceBlocks (a first step; a texture reduction is future work).
 */

import gpujsModule from 'gpu.js';
import type { IKernelRunShortcut, Texture } from 'gpu.js';
import { blockOperator, reduceBlocks, spinObservablesFromWeights, spinWeightCount, type BlockOperator } from '../cpu/kernel.js';
import { assertRunsBasis, assertRunsHamiltonianTerms, type PropagationBackend, type PropagationProblem } from '../backend.js';
import { emptyReduction, type StateReduction } from '../../model/observables.js';
import { termPhase, type ChebyshevSeries } from '../../propagator/chebyshev.js';
import { ACCUMULATE_KERNEL, SCALE_KERNEL, TERM_KERNEL } from './kernels.js';

const { GPU } = gpujsModule as unknown as typeof import('gpu.js');

/** gpu.js modes this backend offers. undefined: the best one available (webgl2 in a browser, webasm in Node). */
export type GpuJsMode = 'webasm' | 'webgl2' | 'cpu';
export const GPUJS_MODES: readonly GpuJsMode[] = ['webasm', 'webgl2', 'cpu'];

export interface GpuJsBackendOptions {
  mode?: GpuJsMode;
}

/** A mode that cannot start here (no WebGL2 context, no WebAssembly). */
export class GpuJsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuJsUnavailableError';
  }
}

/** Whether a mode can start in this environment, and why not. */
export function gpuJsModeSupport(mode: GpuJsMode): { ok: true } | { ok: false; reason: string } {
  switch (mode) {
    case 'webasm':
      return GPU.isWebAssemblySupported ? { ok: true } : { ok: false, reason: 'gpu.js reports no WebAssembly here' };
    case 'webgl2':
      return GPU.isWebGL2Supported
        ? { ok: true }
        : { ok: false, reason: 'gpu.js reports no WebGL2 context here (WebGL2 needs a browser; Node has none)' };
    case 'cpu':
      return { ok: true };
  }
}

/** The best mode here: webgl2 where gpu.js finds a WebGL2 context (a browser), else webasm, else cpu. */
export function bestGpuJsMode(): GpuJsMode {
  if (GPU.isWebGL2Supported) return 'webgl2';
  if (GPU.isWebAssemblySupported) return 'webasm';
  return 'cpu';
}

export function createGpuJsBackend(options: GpuJsBackendOptions = {}): GpuJsBackend {
  const mode = options.mode ?? bestGpuJsMode();
  const support = gpuJsModeSupport(mode);
  if (!support.ok) throw new GpuJsUnavailableError(`gpu.js mode "${mode}" cannot start: ${support.reason}`);
  return new GpuJsBackend(mode);
}

/** A kernel output: a host array (webasm, cpu) or a texture kept on the device (webgl2). */
type Output = Float32Array | Texture;

export class GpuJsBackend implements PropagationBackend {
  readonly name: string;
  readonly precision = 'f32' as const;
  /** Like the WebGPU backend: several output times share the T_k (docs/gpujs.md). */
  readonly preferredOutputsPerExpansion = 4;
  /** Its kernels index the canonical layout only. */
  readonly bases = ['full'] as const;
  readonly description: string;

  private gpu: InstanceType<typeof GPU> | undefined;
  private term!: IKernelRunShortcut;
  private accumulate!: IKernelRunShortcut;
  private scale!: IKernelRunShortcut;
  private hamiltonian!: BlockOperator;
  private scalars!: [number, number, number, number];
  private diag!: Float32Array;
  private spinAt!: Float32Array;
  private psi: Output | undefined;
  /** The states of the last advance's outputs (f64 copies of what was read back). */
  private lastOutputs: Float64Array[] = [];
  private scratch!: Float64Array;
  private disposed = false;

  constructor(readonly mode: GpuJsMode) {
    this.name = `gpujs-${mode}`;
    this.description = `gpujs f32, gpu.js mode ${mode}`;
  }

  async load(problem: PropagationProblem, psi: Float64Array): Promise<void> {
    this.assertLive();
    const layout = problem.hamiltonian.layout;
    if (psi.length !== 2 * layout.dim) throw new RangeError(`state has ${psi.length / 2} amplitudes, the layout ${layout.dim}`);
    assertRunsBasis(this, layout.basis);
    assertRunsHamiltonianTerms(this, problem.hamiltonian);
    this.release();
    this.lastOutputs = [];
    this.gpu?.destroy();
    const gpu = new GPU({ mode: this.mode });
    if (gpu.mode !== this.mode) {
      throw new GpuJsUnavailableError(`gpu.js mode "${this.mode}" cannot start: gpu.js chose "${gpu.mode}" instead`);
    }
    this.gpu = gpu;
    const h = problem.scaled;
    this.hamiltonian = blockOperator(problem.hamiltonian);
    this.scratch = new Float64Array(2 * layout.blockSize);
    this.scalars = [h.hop, h.exchangeFlip, h.sdZz, h.sdFlip];
    this.diag = Float32Array.from(h.exchangeDiagonal, (v) => v + h.shift);
    this.spinAt = Float32Array.from(h.spinAtSite);
    const settings = {
      output: [2 * layout.dim],
      pipeline: true,
      immutable: true,
      tactic: 'precision' as const,
      precision: 'single' as const,
      constants: { N: layout.N, S: layout.spinConfigs, B: layout.blockSize, L: layout.L, E: layout.electrons },
    };
    this.term = gpu.createKernel(TERM_KERNEL, settings);
    this.accumulate = gpu.createKernel(ACCUMULATE_KERNEL, settings);
    this.scale = gpu.createKernel(SCALE_KERNEL, settings);
    this.psi = this.scale(Float32Array.from(psi), 1) as Output;
  }

  async reduce(): Promise<StateReduction> {
    this.assertLive();
    return this.reduceOutput(this.psiOutput());
  }

  async advance(series: ChebyshevSeries): Promise<StateReduction[]> {
    this.assertLive();
    const psi = this.psiOutput();
    const accs = series.weights.map((w) => this.scale(psi, w[0]) as Output);
    let prev: Output | undefined;
    let cur = psi;
    for (let k = 1; k < series.terms; k++) {
      const first = k === 1;
      const next = this.term(cur, prev ?? cur, first ? 1 : 2, first ? 0 : 1, ...this.scalars, this.diag, this.spinAt) as Output;
      const [pr, pi] = termPhase(k);
      for (let q = 0; q < accs.length; q++) {
        const w = series.weights[q][k];
        if (w === 0) continue;
        const sum = this.accumulate(accs[q], next, pr * w, pi * w) as Output;
        free(accs[q]);
        accs[q] = sum;
      }
      if (prev) free(prev);
      prev = cur;
      cur = next;
    }
    // T_{k-2} of the first terms was psi itself; with a single term psi is still live.
    if (prev) free(prev);
    free(cur);
    // Each output is read back once anyway (for its reduction): keep the copies for outputStates().
    this.lastOutputs = accs.map((a) => Float64Array.from(read(a)));
    const reductions = this.lastOutputs.map((state) => this.reduceState(state));
    for (let q = 0; q < accs.length - 1; q++) free(accs[q]);
    this.psi = accs[accs.length - 1];
    return reductions;
  }

  async readState(): Promise<Float64Array> {
    this.assertLive();
    return Float64Array.from(read(this.psiOutput()));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.release();
    const gpu = this.gpu;
    this.gpu = undefined;
    await gpu?.destroy();
  }

  /** The states of the last advance's outputs, as read back for their reductions. */
  async outputStates(): Promise<Float64Array[]> {
    this.assertLive();
    if (this.lastOutputs.length === 0) throw new Error(`${this.name}: outputStates() before advance()`);
    return this.lastOutputs;
  }

  /** The f64 reductions of one output, read back once (gpu.js has no reduction primitive). */
  private reduceOutput(out: Output): StateReduction {
    return this.reduceState(Float64Array.from(read(out)));
  }

  private reduceState(state: Float64Array): StateReduction {
    const op = this.hamiltonian;
    const r = emptyReduction(op.ns, op.L, op.N);
    const spinWeights = new Float64Array(spinWeightCount(op));
    reduceBlocks(op, state, 0, op.blocks, r, spinWeights, this.scratch);
    spinObservablesFromWeights(op, spinWeights, r);
    return r;
  }

  private psiOutput(): Output {
    if (!this.psi) throw new Error(`${this.name}: load() a problem first`);
    return this.psi;
  }

  private release(): void {
    if (this.psi) free(this.psi);
    this.psi = undefined;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error(`${this.name} backend used after dispose()`);
  }
}

function read(out: Output): Float32Array {
  return out instanceof Float32Array ? out : (out.toArray() as Float32Array);
}

function free(out: Output): void {
  if (!(out instanceof Float32Array)) out.delete();
}
