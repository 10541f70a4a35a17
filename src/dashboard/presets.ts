/**
 * What the dashboard can run: one simulation, one of the paper's figures
 * (a study of src/studies run on the config in the form as its base), or a
 * sweep of one or two keys over that config (src/sweeps).
 * Figs. 4a and 4b are both the fig4 study; they differ in which chart leads.
 */

import type { RunConfig } from '../model/config.js';
import type { StudyName } from '../studies/study-result.js';

export type PresetId = 'run' | 'fig2a' | 'fig2b' | 'fig3' | 'fig4a' | 'fig4b' | 'length' | 'sweep';

export interface Preset {
  id: PresetId;
  title: string;
  description: string;
  /** The study it runs; none for a single run. */
  study?: StudyName;
  /** Runs it makes (fig2b: per distance; fig4: the two propagations of the θ sweep plus one). */
  runs: string;
  /** Form values choosing the preset puts in (the rest of the form stays), and why. */
  base?: { values: Partial<Record<keyof RunConfig, string>>; why: string };
}

/**
 * The chain-length preset's base: a ring and packets small enough that the
 * T- run at L = 64 (two down spins: N²·C(L+2, 2) = 2.1e7 amplitudes in the
 * sector, 2.2 GiB at its peak) and the whole study (L = 4 … 64) run in
 * minutes in a tab on 2 cores: about 2.4e10 amplitude-terms, 3 min at the
 * 8 ns per amplitude and term of docs/benchmarks.md's sector figures on 2
 * threads. N = 100 is near the
 * least the study allows at L = 64 with σ = 3 and d = 10 (N >= L - 1 + 9σ + d = 100).
 */
export const LENGTH_BASE = { N: '100', sigma: '3', d: '10', dt: '1' } as const;
/** Its chain lengths: up to 64. */
export const LENGTH_CHAIN_LENGTHS = '4, 8, 16, 32, 64';

export const PRESETS: readonly Preset[] = [
  { id: 'run', title: 'Single run', description: 'One simulation of the config below: Δσ_z(t), S_z per local spin, the spin-state probabilities and n(x, t), drawn while it runs.', runs: '1 run' },
  { id: 'fig2a', title: 'Fig. 2a', study: 'fig2a', description: 'Δσ_z(t) from a singlet, T0, T−, T+ and one spin-down electron (T+ gives 0).', runs: '5 runs' },
  { id: 'fig2b', title: 'Fig. 2b', study: 'fig2b', description: 'Final Δσ_z against the packet distance d, from a singlet, T0 and T−.', runs: '3 runs per distance' },
  { id: 'fig3', title: 'Fig. 3', study: 'fig3', description: 'Spin-state probabilities from a singlet and a T0 start with the sd exchange cut to σ_zS_z ("zz"), to the flip terms ("flip") or kept whole.', runs: '6 runs' },
  { id: 'fig4a', title: 'Fig. 4a', study: 'fig4', description: 'Final Δσ_z against the relative phase θ, with its cosine fit (the exact θ sweep: two propagations for any number of angles).', runs: 'θ sweep (2 propagations) + 1 run' },
  { id: 'fig4b', title: 'Fig. 4b', study: 'fig4', description: 'The incoherent pair (Δσ_z averaged over θ) against one spin-down electron.', runs: 'θ sweep (2 propagations) + 1 run' },
  {
    id: 'length', title: 'Chain length', study: 'length',
    description: 'Spin left in the chain by a singlet, T0, T− and one spin-down electron as the chain grows: for each L the chain is centred, the packets start before it and t_end is set to when the pair has crossed it (the form\'s L, spin start, x₂ and t_end are not used). The default basis "auto" runs long chains in the fixed-S_z sector.',
    runs: '4 runs per chain length',
    base: { values: LENGTH_BASE, why: 'Choosing it sets N = 100, σ = 3 a, d = 10 a and Δt = 1 fs: a size at which L = 64 runs here in minutes (N = 200 and the paper\'s packets would take 8 times as long, and 9 GiB for T− at L = 64).' },
  },
  {
    id: 'sweep', title: 'Sweep',
    description: 'Final Δσ_z over a grid of one or two config keys (KEY=VALUES, as the CLI\'s --grid): a curve over one key, a curve per state, or a heatmap over two keys; any point opens its full result.',
    runs: 'one run per point',
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/**
 * Propagations held in memory at once: the θ sweep holds two states side by
 * side on the CPU (and under "auto", which may take it); on a device backend
 * it propagates three phase states one after another, one state at a time.
 */
export function propagationsOf(preset: Preset, backend = 'auto'): number {
  if (preset.study !== 'fig4') return 1;
  return backend === 'webgpu' || backend.startsWith('gpujs') ? 1 : 2;
}
