/**
 * The layouts of a state vector: MODEL.md's canonical layout (basis "full"),
 * the one place that knows how a basis state |xA, xB, e, m> maps to a flat
 * amplitude index, and the fixed-S_z sector (basis "sector", model/sector.ts).
 *
 *   two electrons: index = ((xA * N + xB) * 4 + e) * 2^L + m,   e = 2 bA + bB
 *   one electron:  index = (x * 2 + b) * 2^L + m
 *
 * b = 0 is spin up, 1 is down; bit j of m is 1 when local spin j is down.
 * Local spins S > 1/2 (localSpin) replace 2^L by d^L, d = 2S + 1, and m by
 * the mixed-radix number m = sum_j n_j d^j, n_j = S - m_j the deviations of
 * local spin j (n_j = 0: m_j = +S); for S = 1/2 that is the bit layout above.
 * The CPU backend runs it through the sector kernel on tables that list
 * every configuration in this order (model/sector.ts, fullBasisTables).
 * Amplitudes that share the orbital coordinates (xA, xB) form one contiguous
 * "orbital block" of `blockSize` = (electron spin states) * 2^L amplitudes; the
 * hopping couples whole blocks, the spin terms act inside a block. Kernels rely
 * on exactly that structure and nothing else, so the fixed-S_z sector keeps
 * the blocks and only holds fewer spin configurations in each (its order is
 * documented in model/sector.ts), and basis "antisymmetric" keeps the
 * sector's blocks with xA <= xB only, row by row (model/antisymmetric.ts:
 * the index formula, the partner's sign, the maps to the sector and back).
 *
 * States are stored as interleaved complex numbers: re at 2*index, im at 2*index + 1.
 */

import type { Basis, RunConfig } from './config.js';
import { antisymmetricBlockCount, triangleBlock } from './antisymmetric.js';
import { sectorAllUpIndex, sectorConfigCount, sectorDownSpins } from './sector.js';

export interface Layout {
  /**
   * "full": the canonical layout; "sector": the configurations with
   * `downSpins` down spins only; "antisymmetric": the sector's blocks with
   * xA <= xB only (two electrons; one electron gets the sector layout).
   */
  readonly basis: Basis;
  /** Number of conduction electrons, 1 or 2. */
  readonly electrons: 1 | 2;
  /** Sites on the ring. */
  readonly N: number;
  /** Local spins. */
  readonly L: number;
  /** Local-spin configurations per electron spin, 2^L (d^L for spin S, d = 2S + 1), in basis "full"; 0 in a sector (see model/sector.ts). */
  readonly spinConfigs: number;
  /** Down spins K of a sector (electrons' and local spins' together, also of basis "antisymmetric"); -1 in basis "full". */
  readonly downSpins: number;
  /** Electron spin configurations: 4 for two electrons, 2 for one. */
  readonly electronSpinConfigs: 2 | 4;
  /** Amplitudes in one orbital block: electronSpinConfigs * spinConfigs, or the sector's configuration count. */
  readonly blockSize: number;
  /** Orbital blocks: N^2 for two electrons (N (N + 1) / 2 in basis "antisymmetric"), N for one. */
  readonly blocks: number;
  /** Hilbert-space dimension: blocks * blockSize. */
  readonly dim: number;
  /** Deviations one local spin holds at most, 2S (MODEL.md, "Beyond the paper"); absent for spin 1/2. */
  readonly siteDeviations?: number;
}

/** Largest L the full layout handles: m is held in 32-bit integers and 2^L in one block. */
export const MAX_L = 24;

/**
 * Most chain configurations d^L the full basis holds for local spins S > 1/2
 * (d = 2S + 1): as many as spin 1/2's MAX_L. Its tables (model/sector.ts,
 * fullBasisTables) take about a kilobyte per configuration, so memory
 * (simulate.ts, checkMemory) usually stops a run well before this.
 */
export const MAX_FULL_SPIN_CONFIGS = 2 ** MAX_L;

/** Chain configurations of the full basis: 2^L, or (2S + 1)^L for cap = 2S deviations per site. */
export function fullSpinConfigs(L: number, cap = 1): number {
  return (cap + 1) ** L;
}

/**
 * Why the full layout cannot hold L local spins of cap = 2S deviations each
 * (undefined when it can): for people, naming L, localSpin and the sector.
 */
export function fullLayoutTooLarge(L: number, cap = 1): string | undefined {
  if (cap === 1) return L > MAX_L ? `the full basis stops at ${MAX_L} local spins (L = ${L})` : undefined;
  const configs = fullSpinConfigs(L, cap);
  if (configs <= MAX_FULL_SPIN_CONFIGS) return undefined;
  const d = cap + 1;
  const largest = Math.floor(Math.log(MAX_FULL_SPIN_CONFIGS) / Math.log(d) + 1e-9);
  return `the full basis holds at most 2^${MAX_L} chain configurations per electron spin; localSpin = ${cap / 2} and L = ${L} give ` +
    `${d}^${L} = ${configs} (L <= ${largest} for localSpin = ${cap / 2}); basis "sector" holds this state`;
}

/** The canonical layout of MODEL.md (basis "full"); cap = 2S deviations per local spin (1: spin 1/2). */
export function createLayout(N: number, L: number, electrons: 1 | 2, cap = 1): Layout {
  const tooLarge = fullLayoutTooLarge(L, cap);
  if (tooLarge) throw new RangeError(cap === 1 ? `L = ${L} exceeds the largest chain of the full basis (${MAX_L} local spins); basis "sector" has no such limit` : tooLarge);
  // 1 << L, not 2 ** L: V8 keeps an exponentiation's result as a heap double, and the
  // kernels' index arithmetic on B = 4 * 2^L would then run in doubles (1.5x slower).
  const spinConfigs = cap === 1 ? 1 << L : fullSpinConfigs(L, cap);
  const electronSpinConfigs = electrons === 2 ? 4 : 2;
  const blockSize = electronSpinConfigs * spinConfigs;
  const blocks = electrons === 2 ? N * N : N;
  return {
    basis: 'full', electrons, N, L, spinConfigs, downSpins: -1, electronSpinConfigs, blockSize, blocks, dim: blocks * blockSize,
    ...(cap !== 1 ? { siteDeviations: cap } : {}),
  };
}

/** The fixed-S_z sector of K down spins (basis "sector"): same blocks, C(K) configurations each. Cheap: no tables. */
export function createSectorLayout(N: number, L: number, electrons: 1 | 2, K: number, cap = 1): Layout {
  const electronSpinConfigs = electrons === 2 ? 4 : 2;
  const blockSize = sectorConfigCount(L, K, electrons, cap);
  const blocks = electrons === 2 ? N * N : N;
  return {
    basis: 'sector', electrons, N, L, spinConfigs: 0, downSpins: K, electronSpinConfigs, blockSize, blocks, dim: blocks * blockSize,
    ...(cap !== 1 ? { siteDeviations: cap } : {}),
  };
}

/**
 * The sector of K down spins of two electrons with one orbital block of each
 * exchange pair (basis "antisymmetric", model/antisymmetric.ts): the
 * sector's C configurations in each of N (N + 1) / 2 blocks.
 */
export function createAntisymmetricLayout(N: number, L: number, K: number): Layout {
  const blockSize = sectorConfigCount(L, K, 2);
  const blocks = antisymmetricBlockCount(N);
  return { basis: 'antisymmetric', electrons: 2, N, L, spinConfigs: 0, downSpins: K, electronSpinConfigs: 4, blockSize, blocks, dim: blocks * blockSize };
}

/** Whether the layout holds the sector's configurations in each block (bases "sector" and "antisymmetric"). */
export function holdsSectorBlocks(layout: Pick<Layout, 'basis'>): boolean {
  return layout.basis !== 'full';
}

/**
 * The layout of a config; its basis must be resolved (model/basis.ts): "auto"
 * is no layout. Its basis's, except that basis "antisymmetric"
 * with one electron (no exchange partner) is the sector's layout.
 */
export function layoutForConfig(config: Pick<RunConfig, 'N' | 'L' | 'state'> & { basis?: Basis; singleSpin?: RunConfig['singleSpin']; localSpin?: RunConfig['localSpin'] }): Layout {
  const electrons = config.state === 'single' ? 1 : 2;
  if (config.basis === 'sector' || config.basis === 'antisymmetric') {
    const K = sectorDownSpins({ state: config.state, singleSpin: config.singleSpin ?? 'down' });
    if (config.basis === 'antisymmetric' && electrons === 2) return createAntisymmetricLayout(config.N, config.L, K);
    return createSectorLayout(config.N, config.L, electrons, K, 2 * (config.localSpin ?? 0.5));
  }
  return createLayout(config.N, config.L, electrons, 2 * (config.localSpin ?? 0.5));
}

/**
 * Index inside an orbital block of electron spin e with every local spin up
 * (where every initial state lives), or -1 when a sector does not hold it.
 */
export function allUpIndex(layout: Layout, e: number): number {
  if (holdsSectorBlocks(layout)) return sectorAllUpIndex(layout.L, layout.downSpins, e, layout.siteDeviations ?? 1);
  return e * layout.spinConfigs;
}

/** Flat index of |xA, xB, e, m> (two electrons; e = 2 bA + bB), basis "full". */
export function pairIndex(layout: Layout, xA: number, xB: number, e: number, m: number): number {
  return ((xA * layout.N + xB) * 4 + e) * layout.spinConfigs + m;
}

/** Flat index of |x, b, m> (one electron), basis "full". */
export function singleIndex(layout: Layout, x: number, b: number, m: number): number {
  return (x * 2 + b) * layout.spinConfigs + m;
}

/** Orbital block of (xA, xB), or of x for one electron; -1 for a block basis "antisymmetric" does not keep (xA > xB). */
export function blockIndex(layout: Layout, xA: number, xB = 0): number {
  if (layout.basis === 'antisymmetric') return xA <= xB ? triangleBlock(layout.N, xA, xB) : -1;
  return layout.electrons === 2 ? xA * layout.N + xB : xA;
}

/** The coordinates of a flat index of basis "full": xA, xB (= 0 for one electron), electron spin e, local spins m (mixed radix for spin S). */
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
