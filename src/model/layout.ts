/**
 * The canonical layout of MODEL.md: the one place that knows how a basis state
 * |xA, xB, e, m> maps to a flat amplitude index.
 *
 *   two electrons: index = ((xA * N + xB) * 4 + e) * 2^L + m,   e = 2 bA + bB
 *   one electron:  index = (x * 2 + b) * 2^L + m
 *
 * b = 0 is spin up, 1 is down; bit j of m is 1 when local spin j is down.
 * Amplitudes that share the orbital coordinates (xA, xB) form one contiguous
 * "orbital block" of `blockSize` = (electron spin states) * 2^L amplitudes; the
 * hopping couples whole blocks, the spin terms act inside a block. Kernels rely
 * on exactly that structure and nothing else, so a reduced basis (a fixed
 * total-S_z sector) only needs a new Layout and kernels that read it.
 *
 * States are stored as interleaved complex numbers: re at 2*index, im at 2*index + 1.
 */

import type { RunConfig } from './config.js';

export interface Layout {
  /** Number of conduction electrons, 1 or 2. */
  readonly electrons: 1 | 2;
  /** Sites on the ring. */
  readonly N: number;
  /** Local spins. */
  readonly L: number;
  /** Local-spin configurations, 2^L. */
  readonly spinConfigs: number;
  /** Electron spin configurations: 4 for two electrons, 2 for one. */
  readonly electronSpinConfigs: 2 | 4;
  /** Amplitudes in one orbital block: electronSpinConfigs * 2^L. */
  readonly blockSize: number;
  /** Orbital blocks: N^2 for two electrons, N for one. */
  readonly blocks: number;
  /** Hilbert-space dimension: blocks * blockSize. */
  readonly dim: number;
}

/** Largest L the layout handles: m is held in 32-bit integers and 2^L in one block. */
export const MAX_L = 24;

export function createLayout(N: number, L: number, electrons: 1 | 2): Layout {
  if (L > MAX_L) throw new RangeError(`L = ${L} exceeds the largest supported chain (${MAX_L} local spins)`);
  const spinConfigs = 2 ** L;
  const electronSpinConfigs = electrons === 2 ? 4 : 2;
  const blockSize = electronSpinConfigs * spinConfigs;
  const blocks = electrons === 2 ? N * N : N;
  return { electrons, N, L, spinConfigs, electronSpinConfigs, blockSize, blocks, dim: blocks * blockSize };
}

export function layoutForConfig(config: Pick<RunConfig, 'N' | 'L' | 'state'>): Layout {
  return createLayout(config.N, config.L, config.state === 'single' ? 1 : 2);
}

/** Flat index of |xA, xB, e, m> (two electrons; e = 2 bA + bB). */
export function pairIndex(layout: Layout, xA: number, xB: number, e: number, m: number): number {
  return ((xA * layout.N + xB) * 4 + e) * layout.spinConfigs + m;
}

/** Flat index of |x, b, m> (one electron). */
export function singleIndex(layout: Layout, x: number, b: number, m: number): number {
  return (x * 2 + b) * layout.spinConfigs + m;
}

/** Orbital block of (xA, xB), or of x for one electron. */
export function blockIndex(layout: Layout, xA: number, xB = 0): number {
  return layout.electrons === 2 ? xA * layout.N + xB : xA;
}

/** The coordinates of a flat index: xA, xB (= 0 for one electron), electron spin e, local spins m. */
export function decodeIndex(layout: Layout, index: number): { xA: number; xB: number; e: number; m: number } {
  const m = index % layout.spinConfigs;
  const rest = (index - m) / layout.spinConfigs;
  const e = rest % layout.electronSpinConfigs;
  const block = (rest - e) / layout.electronSpinConfigs;
  if (layout.electrons === 2) {
    const xB = block % layout.N;
    return { xA: (block - xB) / layout.N, xB, e, m };
  }
  return { xA: block, xB: 0, e, m };
}

/** Spin of electron A (0 up, 1 down) in electron-spin configuration e. */
export function spinOfA(layout: Layout, e: number): number {
  return layout.electrons === 2 ? e >> 1 : e;
}

/** Spin of electron B (0 up, 1 down) in e; two electrons only. */
export function spinOfB(e: number): number {
  return e & 1;
}

/** Bytes of one complex state vector at the given bytes per real number. */
export function stateBytes(layout: Layout, bytesPerReal: number): number {
  return layout.dim * 2 * bytesPerReal;
}
