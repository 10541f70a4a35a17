/**
 * The chain-length study (issue 12): how much spin the singlet, T0, T- and
 * one spin-down electron leave in the chain as the chain grows, the question
 * the paper could not ask at L = 4. Long chains need basis "sector"
 * (MODEL.md, Symmetry); the study runs in the base config's basis.
 *
 * For each L the chain sits at its default place, spinStart = floor(N/2) -
 * floor(L/2), and the packets before it as in the paper's defaults: the
 * leading one 4 sigma before the first local spin (20 sites at sigma = 5),
 * the trailing one d behind it. "Final" must mean "after the pair has
 * crossed the chain", so tEnd is where the trailing packet's centre leaves
 * the chain region [n_0 - 2 sigma, n_{L-1} + 2 sigma] (the end of its
 * packet-in-chain interval, MODEL.md), on the output grid; it must come
 * before the leading packet, going round the ring, reaches that region
 * again. A tEnd given in the base config is checked against both instead.
 * Every L is checked before the first run, and a ring too short for a chain
 * is refused naming the quantity to change.
 */

import { ConfigError, defaultSpinStart, parseRunConfig, type RunConfig } from '../model/config.js';
import { groupVelocity } from '../model/observables.js';
import { planSweep, type SweepRow } from '../sweeps/run-sweep.js';
import { completeRows, recordOfRow, type SweepStudyPlan } from './study-sweep.js';
import { LENGTH_STATES, studyHeader, type LengthGeometry, type LengthResult, type LengthState } from './study-result.js';

/** Distance, in packet widths, from the leading packet's centre to the first local spin (20 sites at sigma = 5, as in the paper). */
export const LEADING_GAP_SIGMAS = 4;

/**
 * Where the chain and the packets go for chain length L, and the time window
 * in which "final" is meaningful. `givenTEnd` (from the base config) is
 * checked instead of chosen. Throws ConfigError naming the key to change.
 */
export function lengthGeometry(base: RunConfig, L: number, givenTEnd?: number): LengthGeometry {
  const { N, sigma, d, dt } = base;
  if (!(Number.isInteger(L) && L >= 1 && L <= N)) throw new ConfigError('L', L, `integer 1 … ${N} (N)`, 'a chain length of the study');
  const v = groupVelocity(base);
  if (!(v > 0)) {
    throw new ConfigError('ke', base.ke, 'k_e in (0, π) with t_h > 0', `the packets must move towards the chain (group velocity ${v} a/fs)`);
  }
  const spinStart = defaultSpinStart(N, L);
  const x2 = spinStart - LEADING_GAP_SIGMAS * sigma;
  const x1 = x2 - d;
  const lo = spinStart - 2 * sigma;
  const hi = spinStart + L - 1 + 2 * sigma;
  // The trailing packet's tail (3 sigma) must start clear of the chain region's image one ring to the left.
  if (x1 - 3 * sigma < hi - N) {
    throw new ConfigError(
      'N', N, `N >= ${Math.ceil(hi - x1 + 3 * sigma)} for L = ${L}, d = ${d}, sigma = ${sigma}`,
      `the ring is too short for L = ${L}: the trailing packet would start inside the chain (round the ring); increase N or reduce d or L`,
    );
  }
  const tLeave = (hi - x1) / v;
  const tReturn = (lo + N - x2) / v;
  const onGrid = Math.ceil(tLeave / dt - 1e-9) * dt;
  const tEnd = givenTEnd ?? onGrid;
  if (tEnd < tLeave - 1e-9 || tEnd >= tReturn) {
    const why = tReturn <= onGrid
      ? `the leading packet comes round the ring into the chain at t = ${tReturn.toFixed(1)} fs, before the trailing one has left it at t = ${tLeave.toFixed(1)} fs: increase N or reduce d or L`
      : `for L = ${L} the trailing packet leaves the chain at t = ${tLeave.toFixed(1)} fs and the leading one comes round into it again at t = ${tReturn.toFixed(1)} fs`;
    throw new ConfigError(givenTEnd === undefined ? 'N' : 'tEnd', givenTEnd ?? N, givenTEnd === undefined ? 'a ring long enough for the chain and both packets' : `tEnd in [${tLeave.toFixed(1)}, ${tReturn.toFixed(1)}) fs`, why);
  }
  return { L, spinStart, x2, tEnd, tLeave, tReturn };
}

/**
 * The study as a sweep: the grid {L: lengths, state: LENGTH_STATES} over the
 * base config (L slowest), each point carrying the keys its L derives
 * (spinStart, x2, tEnd; singleSpin "down" for the one electron), every config
 * and its geometry checked before the first run. `givenTEnd` is the base
 * config's tEnd when the user set it, else undefined.
 */
export function planLength(baseInput: Partial<RunConfig>, lengths: readonly number[], givenTEnd?: number): SweepStudyPlan<LengthResult> {
  if (lengths.length === 0) throw new RangeError('the length study needs at least one chain length L');
  const base = parseRunConfig(baseInput);
  const geometry = lengths.map((L) => lengthGeometry(base, L, givenTEnd));
  const derived = geometry.flatMap((g) =>
    LENGTH_STATES.map((state): Partial<RunConfig> => ({
      spinStart: g.spinStart, x2: g.x2, tEnd: g.tEnd, ...(state === 'single' ? { singleSpin: 'down' as const } : {}),
    })),
  );
  const sweep = planSweep({ base: baseInput, grid: { L: geometry.map((g) => g.L), state: [...LENGTH_STATES] }, mode: 'product', derived });
  const label = (params: SweepRow['params']): string => `L=${params.L} ${params.state === 'single' ? 'single down' : params.state}`;
  return {
    study: 'length',
    sweep,
    label,
    assemble(table, resumed) {
      const rows = completeRows(table);
      const final = {} as Record<LengthState, number[]>;
      LENGTH_STATES.forEach((state, s) => {
        final[state] = geometry.map((_, i) => rows[i * LENGTH_STATES.length + s].finalDeltaSigmaZ!);
      });
      const runs = rows.map((r) => recordOfRow(label(r.params), r, resumed?.has(r.index) ?? false));
      return { ...studyHeader('length', base, runs), L: geometry.map((g) => g.L), final, geometry };
    },
  };
}
