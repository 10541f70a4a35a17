/**
 * The spin study (issue 21): how much spin the singlet, T0, T- and one
 * spin-down electron leave in a chain of spin-S moments, S from 1/2 up
 * (MODEL.md, "Beyond the paper"). Local spins above 1/2 run in basis
 * "sector" only, so every point runs there (the sector gives the full
 * basis's results for spin 1/2, MODEL.md Symmetry).
 *
 * Scalings: "fixed" keeps J_sd and J_ex as the base config gives them;
 * "classical" keeps J_sd S and J_ex S^2 at their S = 1/2 values (J_sd (1/2)/S,
 * J_ex (1/4)/S^2): the torque on a classical moment of length S stays the
 * same, so the classical (Landau-Lifshitz) limit is approached at fixed
 * torque as S grows.
 */

import { ConfigError, LOCAL_SPINS, parseRunConfig, type RunConfig } from '../model/config.js';
import { planSweep, type SweepRow } from '../sweeps/run-sweep.js';
import { completeRows, recordOfRow, type SweepStudyPlan } from './study-sweep.js';
import { SPIN_STATES, studyHeader, type SpinResult, type SpinScaling, type SpinState } from './study-result.js';

export const SPIN_SCALINGS: readonly SpinScaling[] = ['fixed', 'classical'];

/** The couplings of spin S under a scaling, from the base config's (taken at S = 1/2). */
export function spinCouplings(base: Pick<RunConfig, 'Jsd' | 'Jex'>, S: number, scaling: SpinScaling): { Jsd: number; Jex: number } {
  if (scaling === 'fixed') return { Jsd: base.Jsd, Jex: base.Jex };
  return { Jsd: (base.Jsd * 0.5) / S, Jex: (base.Jex * 0.25) / (S * S) };
}

/**
 * The study as a sweep: the grid {localSpin: spins, state: SPIN_STATES}
 * (S slowest) over the base config in basis "sector", each point carrying
 * its couplings under "classical" (derived Jsd, Jex) and singleSpin "down"
 * for the one electron. Every config is checked before the first run.
 */
export function planSpin(baseInput: Partial<RunConfig>, spins: readonly number[], scaling: SpinScaling): SweepStudyPlan<SpinResult> {
  if (!Array.isArray(spins) || spins.length === 0 || spins.some((S) => !LOCAL_SPINS.includes(S))) {
    throw new ConfigError('S', spins, `a list of spins from ${LOCAL_SPINS.join(', ')}`, undefined, 'spin option');
  }
  if (!SPIN_SCALINGS.includes(scaling)) throw new ConfigError('scaling', scaling, '"fixed" or "classical"', undefined, 'spin option');
  if (baseInput.JsdSites !== undefined || baseInput.JexBonds !== undefined) {
    throw new ConfigError('JsdSites', baseInput.JsdSites ?? baseInput.JexBonds, 'left out in the spin study', 'the study scales the uniform Jsd and Jex', 'spin option');
  }
  const written: Partial<RunConfig> = { ...baseInput, basis: 'sector' };
  delete written.localSpin;
  const base = parseRunConfig(written);
  const derived = spins.flatMap((S) =>
    SPIN_STATES.map((state): Partial<RunConfig> => ({
      ...(scaling === 'classical' ? spinCouplings(base, S, scaling) : {}),
      ...(state === 'single' ? { singleSpin: 'down' as const } : {}),
    })),
  );
  const sweep = planSweep({ base: written, grid: { localSpin: [...spins], state: [...SPIN_STATES] }, mode: 'product', derived });
  const label = (params: SweepRow['params']): string => `S=${params.localSpin} ${params.state === 'single' ? 'single down' : params.state}`;
  return {
    study: 'spin',
    sweep,
    label,
    assemble(table, resumed) {
      const rows = completeRows(table);
      const final = {} as Record<SpinState, number[]>;
      SPIN_STATES.forEach((state, s) => {
        final[state] = spins.map((_, i) => rows[i * SPIN_STATES.length + s].finalDeltaSigmaZ!);
      });
      const runs = rows.map((r) => recordOfRow(label(r.params), r, resumed?.has(r.index) ?? false));
      const couplings = spins.map((S) => spinCouplings(base, S, scaling));
      return { ...studyHeader('spin', base, runs), S: [...spins], scaling, final, Jsd: couplings.map((c) => c.Jsd), Jex: couplings.map((c) => c.Jex) };
    },
  };
}
