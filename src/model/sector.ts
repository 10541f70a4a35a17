/**
 * The fixed-S_z sector (MODEL.md, Symmetry): the one place that knows which
 * spin configurations an orbital block of basis "sector" holds, in what order,
 * and where each spin flip of H leads.
 *
 * Every term of H conserves K = downs(e) + popcount(m), the number of down
 * spins (electrons' and local spins' together), and every initial state
 * starts from the all-up chain with a definite electron S_z, so a run stays in
 * the configurations (e, m) with that K. A configuration is written as its
 * electron spin e (e = 2 bA + bB, or b for one electron) and the sorted list
 * of its down local spins, of length k = K - downs(e).
 *
 * Order of the configurations inside an orbital block (the sector layout):
 * e ascending; for each e, the sets of k down local spins in lexicographic
 * order of their sorted sites. So for two electrons and K = 1 the block is
 *   c = 0 … L-1: e = 0 (up-up) with local spin c down,
 *   c = L:       e = 1 (A up, B down), chain all up,
 *   c = L + 1:   e = 2 (A down, B up), chain all up.
 * A flat state index is block * C + c with the blocks ordered as in the
 * canonical layout (block = xA N + xB, or x), interleaved complex as everywhere.
 *
 * The tables below are what the kernels read: the J_ex flips as a gather list
 * per configuration, the sd partner of each configuration for an electron on
 * each local spin, and the pairs of configurations that share the chain and
 * differ in e (the off-diagonal elements of the electron spin density matrix).
 *
 * The full basis of local spins S > 1/2 has tables of the same shape
 * (fullBasisTables, below): every configuration, in the canonical
 * mixed-radix order of model/layout.ts, so the sector kernel runs it too.
 */

import type { RunConfig } from './config.js';

/** Down spins of the sector a config's initial state lies in (MODEL.md, Symmetry). */
export function sectorDownSpins(config: Pick<RunConfig, 'state' | 'singleSpin'>): number {
  switch (config.state) {
    case 'T+': return 0;
    case 'T-': return 2;
    case 'single': return config.singleSpin === 'down' ? 1 : 0;
    default: return 1; // singlet, T0, theta: one electron down
  }
}

/** n choose k as a float (exact below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return Math.round(r);
}

function popcount(e: number): number {
  return (e & 1) + ((e >> 1) & 1);
}

/**
 * Chain configurations with k deviations on L sites, at most `cap` = 2S on
 * one site (spin S, MODEL.md "Beyond the paper"): C(L, k) for spin 1/2.
 */
export function chainConfigCount(L: number, k: number, cap = 1): number {
  if (k < 0 || k > L * cap) return 0;
  if (cap === 1) return binomial(L, k);
  // Ways[n] over the sites added one by one, each taking 0 … cap deviations.
  let ways = new Array<number>(k + 1).fill(0);
  ways[0] = 1;
  for (let site = 0; site < L; site++) {
    const next = new Array<number>(k + 1).fill(0);
    for (let n = 0; n <= k; n++) for (let d = 0; d <= cap && n + d <= k; d++) next[n + d] += ways[n];
    ways = next;
  }
  return ways[k];
}

/** Configurations per orbital block: sum over e of the chain configurations with K - downs(e) deviations (cap = 2S per site). */
export function sectorConfigCount(L: number, K: number, electrons: 1 | 2, cap = 1): number {
  let count = 0;
  for (let e = 0; e < 2 * electrons; e++) count += chainConfigCount(L, K - popcount(e), cap);
  return count;
}

/**
 * Index inside the block of (e, chain all up), or -1 when that configuration
 * is not in the sector (downs(e) != K). No tables needed: it is the count of
 * configurations of the electron spins before e.
 */
export function sectorAllUpIndex(L: number, K: number, e: number, cap = 1): number {
  if (popcount(e) !== K) return -1;
  let c = 0;
  for (let f = 0; f < e; f++) c += chainConfigCount(L, K - popcount(f), cap);
  return c;
}

export interface SectorTables {
  readonly electrons: 1 | 2;
  readonly L: number;
  /**
   * Down spins of the sector: deviations of the electrons and the chain
   * (MODEL.md, "Beyond the paper"); -1 for the full basis's tables of spin S
   * (fullBasisTables: every deviation count).
   */
  readonly K: number;
  /** Deviations one local spin holds at most: 2S (1 for spin 1/2). */
  readonly cap: number;
  /** Configurations per orbital block, C. */
  readonly configs: number;
  /** Electron spin e of configuration c. */
  readonly electronSpin: Int32Array;
  /**
   * Sorted down local spins (deviations: a site listed once per deviation) of
   * configuration c at [c downStride, (c + 1) downStride), padded with -1.
   */
  readonly downSites: Int32Array;
  /** Entries of downSites per configuration: K in a sector, L 2S in the full basis's tables. */
  readonly downStride: number;
  /**
   * J_ex flips as a gather list: configuration c is coupled (element
   * -J_ex/2) to exchangeNeighbours[exchangeStart[c] … exchangeStart[c + 1]),
   * the configurations with one down spin moved across a bond to an up neighbour.
   */
  readonly exchangeStart: Int32Array;
  readonly exchangeNeighbours: Int32Array;
  /** The bond j (spins j, j + 1) each entry of exchangeNeighbours flips across. */
  readonly exchangeBonds: Int32Array;
  /**
   * The ladder factors of each entry of exchangeNeighbours,
   * sqrt(S(S+1) - m_s(m_s+1)) sqrt(S(S+1) - m_t(m_t-1)): the element is
   * -J_ex/2 times it (exactly 1 for spin 1/2).
   */
  readonly exchangeFactors: Float64Array;
  /**
   * sd partner of configuration c for electron X (0 = A, 1 = B; 0 for one
   * electron) on local spin j, at [(X L + j) C + c]: -1 when the electron and
   * local spin j are parallel (diagonal +sdZz only), else the configuration
   * with both spins swapped (diagonal -sdZz, flip element sdFlip).
   */
  readonly sdPartner: Int32Array;
  /** The ladder factor of each sd flip (at sdPartner's index): sqrt(S(S+1) - m_j(m_j -+ 1)), exactly 1 for spin 1/2. */
  readonly sdFactor: Float64Array;
  /**
   * The sd zz diagonal of electron X on local spin j in configuration c,
   * over sdZz, less 1 (the kernels put +sdZz on every configuration):
   * 2 sigma m_j - 1 with sigma = +-1; for spin 1/2, 0 (parallel) or -2 (antiparallel).
   */
  readonly sdZzCorrection: Float64Array;
  /**
   * Pairs (c, c') with c < c', the same down local spins and different e:
   * where rho[e][e'] gets off-diagonal weight. Flat [c0, c0', c1, c1', …].
   */
  readonly spinPairs: Int32Array;
}

/** Bytes the tables of a sector take (for memory estimates), without building them. */
export function sectorTableBytes(L: number, K: number, electrons: 1 | 2, cap = 1): number {
  const C = sectorConfigCount(L, K, electrons, cap);
  // electronSpin, downSites, exchange lists (at most 2K neighbours, bonds and factors each), sd partners, factors and corrections, spin pairs.
  return 4 * C * (1 + K + 1 + 8 * K + 5 * electrons * L + 2);
}

/** sqrt(S(S+1) - m(m +- 1)): the element of S^+ (raise) or S^- on |S, m> (exactly 1 for spin 1/2's allowed moves). */
export function ladderElement(S: number, m: number, raise: boolean): number {
  return Math.sqrt(S * (S + 1) - m * (raise ? m + 1 : m - 1));
}

/** Builds the enumeration and the flip tables of a sector (MODEL.md, Symmetry). */
export function sectorTables(L: number, K: number, electrons: 1 | 2, cap = 1): SectorTables {
  const ns = 2 * electrons;
  if (!(Number.isInteger(K) && K >= 0 && K <= electrons + L * cap)) throw new RangeError(`sector: K = ${K} down spins is out of range for ${electrons} electron(s) and L = ${L}`);
  const C = sectorConfigCount(L, K, electrons, cap);
  const electronSpin = new Int32Array(C);
  const downSites = new Int32Array(C * K).fill(-1);
  const rank = new Map<string, number>();
  const keyOf = (e: number, downs: readonly number[]) => `${e}:${downs.join(',')}`;

  let c = 0;
  for (let e = 0; e < ns; e++) {
    const k = K - popcount(e);
    if (k < 0 || k > L * cap) continue;
    for (const downs of multisets(L, k, cap)) {
      electronSpin[c] = e;
      downs.forEach((s, i) => (downSites[c * K + i] = s));
      rank.set(keyOf(e, downs), c);
      c++;
    }
  }
  if (c !== C) throw new Error(`sector: enumerated ${c} configurations, expected ${C}`);
  const downsOf = (cfg: number): number[] => Array.from(downSites.subarray(cfg * K, cfg * K + K - popcount(electronSpin[cfg])));
  const find = (e: number, downs: number[]): number => {
    const r = rank.get(keyOf(e, [...downs].sort((a, b) => a - b)));
    if (r === undefined) throw new Error(`sector: configuration e = ${e}, downs [${downs}] is missing (a flip left the sector)`);
    return r;
  };
  const S = cap / 2;
  const count = (downs: readonly number[], j: number) => downs.reduce((n, x) => n + (x === j ? 1 : 0), 0);
  const ladder = (m: number, raise: boolean) => ladderElement(S, m, raise);

  // J_ex: move one deviation across a bond to a neighbour that can take it (S^+ on its site, S^- on the other).
  const exchangeStart = new Int32Array(C + 1);
  const neighbours: number[] = [];
  const bonds: number[] = [];
  const factors: number[] = [];
  for (let cfg = 0; cfg < C; cfg++) {
    const downs = downsOf(cfg);
    for (const s of [...new Set(downs)]) {
      for (const t of [s - 1, s + 1]) {
        if (t < 0 || t >= L || count(downs, t) >= cap) continue;
        const moved = [...downs];
        moved[moved.indexOf(s)] = t;
        neighbours.push(find(electronSpin[cfg], moved));
        bonds.push(Math.min(s, t));
        factors.push(ladder(S - count(downs, s), true) * ladder(S - count(downs, t), false));
      }
    }
    exchangeStart[cfg + 1] = neighbours.length;
  }

  // sd: electron X and local spin j exchange one unit of S_z (sigma_+ S_- or sigma_- S_+) where both can.
  const sdPartner = new Int32Array(electrons * L * C).fill(-1);
  const sdFactor = new Float64Array(electrons * L * C);
  const sdZzCorrection = new Float64Array(electrons * L * C);
  for (let X = 0; X < electrons; X++) {
    const eBit = electrons === 2 && X === 0 ? 2 : 1;
    for (let cfg = 0; cfg < C; cfg++) {
      const e = electronSpin[cfg];
      const electronDown = (e & eBit) !== 0;
      const downs = downsOf(cfg);
      for (let j = 0; j < L; j++) {
        const at = (X * L + j) * C + cfg;
        const n = count(downs, j), m = S - n;
        // The zz diagonal is sdZz 2 sigma m (sigma = +-1 for up/down): +sdZz rides on every configuration, this is the rest.
        sdZzCorrection[at] = 2 * (electronDown ? -1 : 1) * m - 1;
        if (electronDown ? n >= cap : n === 0) continue;
        const moved = electronDown ? [...downs, j] : downs.filter((_, i) => i !== downs.indexOf(j));
        sdPartner[at] = find(e ^ eBit, moved);
        sdFactor[at] = ladder(m, !electronDown);
      }
    }
  }

  // Pairs sharing the chain configuration with different e.
  const byChain = new Map<string, number[]>();
  for (let cfg = 0; cfg < C; cfg++) {
    const key = downsOf(cfg).join(',');
    const list = byChain.get(key);
    if (list) list.push(cfg);
    else byChain.set(key, [cfg]);
  }
  const pairs: number[] = [];
  for (const list of byChain.values()) {
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) pairs.push(list[i], list[j]);
  }

  return {
    electrons, L, K, cap, configs: C, electronSpin, downSites, downStride: K,
    exchangeStart, exchangeNeighbours: Int32Array.from(neighbours), exchangeBonds: Int32Array.from(bonds), exchangeFactors: Float64Array.from(factors),
    sdPartner, sdFactor, sdZzCorrection, spinPairs: Int32Array.from(pairs),
  };
}

/** Sorted k-multisets of 0 … L-1 with at most `cap` copies of each, in lexicographic order (cap 1: the k-subsets). */
function* multisets(L: number, k: number, cap: number): Generator<number[]> {
  if (cap === 1) {
    yield* combinations(L, k);
    return;
  }
  const out: number[] = [];
  function* rec(from: number, left: number): Generator<number[]> {
    if (left === 0) {
      yield [...out];
      return;
    }
    for (let s = from; s < L; s++) {
      const copies = out.length > 0 && out[out.length - 1] === s ? countTail(out, s) : 0;
      if (copies >= cap) continue;
      out.push(s);
      yield* rec(s, left - 1);
      out.pop();
    }
  }
  yield* rec(0, k);
}

function countTail(list: readonly number[], s: number): number {
  let n = 0;
  for (let i = list.length - 1; i >= 0 && list[i] === s; i--) n++;
  return n;
}

/** Sorted k-subsets of 0 … L-1 in lexicographic order. */
function* combinations(L: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > L) return;
  for (;;) {
    yield [...idx];
    let i = k - 1;
    while (i >= 0 && idx[i] === L - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

/**
 * The local-spin configuration m of the canonical layout (model/layout.ts) of
 * configuration c: m = sum_j n_j d^j with n_j the deviations of local spin j
 * and d = 2S + 1, so for spin 1/2 bit j is set when spin j is down. d^L <= 2^24.
 */
export function canonicalSpinConfig(tables: SectorTables, c: number): number {
  const d = tables.cap + 1;
  let m = 0;
  for (let i = 0; i < tables.downStride; i++) {
    const s = tables.downSites[c * tables.downStride + i];
    if (s >= 0) m += d ** s;
  }
  return m;
}

/**
 * A sector state (interleaved complex, the order above) written out in the
 * canonical layout of MODEL.md (basis "full", for spin S its mixed-radix
 * order), zeros elsewhere: for cross-checks and for users who want the
 * canonical order. The full layout must fit (model/layout.ts): small cases only.
 */
export function sectorStateToCanonical(tables: SectorTables, N: number, psi: Float64Array): Float64Array {
  const { L, configs: C, electrons } = tables;
  const blocks = electrons === 2 ? N * N : N;
  if (psi.length !== 2 * blocks * C) throw new RangeError(`sectorStateToCanonical: a state of ${psi.length / 2} amplitudes, the sector has ${blocks * C}`);
  const S = (tables.cap + 1) ** L;
  const full = 2 * electrons * S;
  const out = new Float64Array(2 * blocks * full);
  for (let c = 0; c < C; c++) {
    const i = tables.electronSpin[c] * S + canonicalSpinConfig(tables, c);
    for (let b = 0; b < blocks; b++) {
      out[2 * (b * full + i)] = psi[2 * (b * C + c)];
      out[2 * (b * full + i) + 1] = psi[2 * (b * C + c) + 1];
    }
  }
  return out;
}

/**
 * The full basis of local spins S > 1/2 (model/layout.ts) as tables of the
 * sector's shape, so that the sector kernel runs it: every configuration
 * (e, n_0 … n_{L-1}), each n_j = S - m_j in 0 … 2S, in the canonical order
 * c = e d^L + sum_j n_j d^j (d = 2S + 1), with the same elements as
 * sectorTables (ladderElement) but found by index arithmetic instead of a
 * lookup. K is -1: the tables hold every deviation count. For spin 1/2 the
 * full basis keeps its own bit kernel (backends/cpu/kernel.ts).
 */
export function fullBasisTables(L: number, electrons: 1 | 2, cap: number): SectorTables {
  if (!(Number.isInteger(cap) && cap >= 2)) throw new RangeError(`fullBasisTables: 2S = ${cap}; spin 1/2 runs the full basis's bit kernel`);
  const d = cap + 1, P = d ** L, ns = 2 * electrons, C = ns * P, stride = L * cap, S = cap / 2;
  const pow = Array.from({ length: L + 1 }, (_, j) => d ** j);
  // Deviations of every chain configuration m, n_j at [m L + j].
  const digits = new Uint8Array(P * L);
  for (let m = 0; m < P; m++) for (let j = 0, r = m; j < L; j++, r = Math.floor(r / d)) digits[m * L + j] = r % d;

  const electronSpin = new Int32Array(C);
  const downSites = new Int32Array(C * stride).fill(-1);
  for (let c = 0; c < C; c++) {
    const m = c % P;
    electronSpin[c] = (c - m) / P;
    let q = c * stride;
    for (let j = 0; j < L; j++) for (let k = digits[m * L + j]; k > 0; k--) downSites[q++] = j;
  }

  // J_ex: one deviation moved from s to a neighbour t that can take it, in sectorTables' order (s ascending, then t = s - 1, s + 1).
  const movesOf = (m: number, visit: (s: number, t: number) => void) => {
    for (let s = 0; s < L; s++) {
      if (digits[m * L + s] === 0) continue;
      for (const t of [s - 1, s + 1]) if (t >= 0 && t < L && digits[m * L + t] < cap) visit(s, t);
    }
  };
  let perChain = 0;
  for (let m = 0; m < P; m++) movesOf(m, () => perChain++);
  const total = ns * perChain;
  const exchangeStart = new Int32Array(C + 1);
  const exchangeNeighbours = new Int32Array(total);
  const exchangeBonds = new Int32Array(total);
  const exchangeFactors = new Float64Array(total);
  let n = 0;
  for (let c = 0; c < C; c++) {
    const m = c % P;
    movesOf(m, (s, t) => {
      exchangeNeighbours[n] = c - pow[s] + pow[t];
      exchangeBonds[n] = Math.min(s, t);
      exchangeFactors[n] = ladderElement(S, S - digits[m * L + s], true) * ladderElement(S, S - digits[m * L + t], false);
      n++;
    });
    exchangeStart[c + 1] = n;
  }

  // sd: electron X and local spin j exchange one unit of S_z where both can (as in sectorTables).
  const sdPartner = new Int32Array(electrons * L * C).fill(-1);
  const sdFactor = new Float64Array(electrons * L * C);
  const sdZzCorrection = new Float64Array(electrons * L * C);
  for (let X = 0; X < electrons; X++) {
    const eBit = electrons === 2 && X === 0 ? 2 : 1;
    for (let c = 0; c < C; c++) {
      const m = c % P, e = electronSpin[c];
      const electronDown = (e & eBit) !== 0;
      for (let j = 0; j < L; j++) {
        const at = (X * L + j) * C + c;
        const k = digits[m * L + j], mj = S - k;
        sdZzCorrection[at] = 2 * (electronDown ? -1 : 1) * mj - 1;
        if (electronDown ? k >= cap : k === 0) continue;
        sdPartner[at] = (e ^ eBit) * P + (electronDown ? m + pow[j] : m - pow[j]);
        sdFactor[at] = ladderElement(S, mj, !electronDown);
      }
    }
  }

  // Every chain configuration appears once per e: the pairs (e, m), (f, m) with e < f.
  const spinPairs = new Int32Array(P * ns * (ns - 1));
  let p = 0;
  for (let m = 0; m < P; m++) {
    for (let e = 0; e < ns; e++) for (let f = e + 1; f < ns; f++) {
      spinPairs[p++] = e * P + m;
      spinPairs[p++] = f * P + m;
    }
  }

  return {
    electrons, L, K: -1, cap, configs: C, electronSpin, downSites, downStride: stride,
    exchangeStart, exchangeNeighbours, exchangeBonds, exchangeFactors,
    sdPartner, sdFactor, sdZzCorrection, spinPairs,
  };
}

/**
 * Bytes the full basis of spin S holds besides its states (memory
 * estimates): fullBasisTables, the sector kernel's operator built from them
 * (its sd lists, diagonal tiles and band), and H's diagonal, per configuration
 * C = 2 electrons (2S + 1)^L; an upper bound.
 */
export function fullBasisTableBytes(L: number, electrons: 1 | 2, cap: number): number {
  const ns = 2 * electrons, C = ns * (cap + 1) ** L;
  // Tables: electronSpin, downSites, exchange (at most 2 (L - 1) moves of 16 bytes), sd (20 bytes per electron and site), spin pairs.
  const tables = 4 + 4 * L * cap + 32 * Math.max(0, L - 1) + 20 * electrons * L + 4 * (ns - 1);
  // Operator: sd lists (24 bytes per electron and site), other flips (half the moves, 16 bytes), three diagonal tiles, the band, H's diagonal twice.
  const operator = 24 * electrons * L + 16 * Math.max(0, L - 1) + 48 + 32 + 16;
  return C * (tables + operator);
}
