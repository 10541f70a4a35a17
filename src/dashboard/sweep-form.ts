/**
 * The dashboard's sweep field: one or two `KEY=VALUES` lines (the CLI's
 * `--grid` syntax, read by parseGridArgument) over the form's config as the
 * base, checked point by point as the CLI checks them, and an estimate of
 * how long the sweep would take here, with the warnings the page shows
 * before running a long one. Pure functions: tested in Node.
 */

import { ResourceError } from '../backends/backend.js';
import { ConfigError, outputTimes, type RunConfig } from '../model/config.js';
import { hamiltonianTerms } from '../model/hamiltonian.js';
import { withPresumedBasis } from '../model/basis.js';
import { layoutForConfig } from '../model/layout.js';
import { spectralBounds, spectralScale } from '../model/spectral-bounds.js';
import { HBAR_EV_FS } from '../model/units.js';
import { chebyshevSeries } from '../propagator/chebyshev.js';
import { planRun } from '../simulate.js';
import { parseGridArgument, pointCount, type SweepGrid, type SweepSpec } from '../sweeps/grid.js';
import { planSweep, type SweepPlan } from '../sweeps/run-sweep.js';
import { basisForRun } from './run-basis.js';

/** As the form shows a ConfigError (config-form.ts's fieldMessage, without its element): "N = 2 is not allowed; allowed: …". */
function fieldMessage(message: string): string {
  return message.replace(/invalid run config: /, '').replace(/"(\w+)" = /, '$1 = ');
}

/** Lines the field takes: one key gives curves, two a curve per state or a heatmap. */
export const MAX_SWEEP_KEYS = 2;
/** Past this the page refuses and points to the CLI: a browser tab is the wrong place for it. */
export const MAX_DASHBOARD_POINTS = 400;
/** Above either, the page warns before running (and runs when told to). */
export const WARN_POINTS = 20;
export const WARN_SECONDS = 180;
/**
 * Cost of one Chebyshev term per amplitude on the CPU backend when nothing
 * has been measured here yet: the slow end of docs/benchmarks.md (one
 * thread, 10 … 31 ns), so the first guess errs long.
 */
export const DEFAULT_NS_PER_AMPLITUDE_TERM = 25;
/** Set-up per point (worker, layout, result), s: what dominates a sweep of tiny points. */
export const SECONDS_PER_POINT = 0.05;
/** A run smaller than this (amplitude-terms) is mostly set-up: too small to measure the cost per amplitude. */
export const MIN_CALIBRATION_WORK = 5e7;

export interface SweepFormCheck {
  /** The sweep, when the lines and every point are valid. */
  plan?: SweepPlan;
  /** The lines as read (key and values), in order. */
  grid?: SweepGrid;
  /** What is wrong: each message names the line or point, the key, the value and the allowed range. */
  errors: string[];
  /** The key at fault in the first error, for `run-error`. */
  key?: string;
}

/**
 * Reads the sweep field over `base` (the form's run-config input). Blank
 * lines are skipped; at most two keys, each once.
 */
export function checkSweepForm(text: string, base: Record<string, unknown>): SweepFormCheck {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return { errors: ['give one or two lines KEY=VALUES, e.g. Jsd=0.1,0.2,0.3 or Jsd=0.05:0.5:10 (and state=singlet,T0)'] };
  const grid: SweepGrid = {};
  const errors: string[] = [];
  let key: string | undefined;
  lines.forEach((line, i) => {
    const where = lines.length > 1 ? `line ${i + 1}: ` : '';
    try {
      const parsed = parseGridArgument(line);
      if (parsed.key in grid) {
        errors.push(`${where}${parsed.key} is swept twice; give each key once`);
        key ??= parsed.key;
        return;
      }
      grid[parsed.key] = parsed.values;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(`${where}${fieldMessage(e.message)}`);
      key ??= e.key || undefined;
    }
  });
  if (lines.length > MAX_SWEEP_KEYS) {
    errors.push(`the dashboard sweeps at most ${MAX_SWEEP_KEYS} keys (one line each); the CLI's spin-transfer sweep takes more`);
  }
  if (errors.length) return { errors, key, grid };
  const count = pointCount(grid);
  if (count > MAX_DASHBOARD_POINTS) {
    return { grid, errors: [`${count} points: the dashboard runs at most ${MAX_DASHBOARD_POINTS}; run a sweep this size with the CLI (spin-transfer sweep), on a cluster if need be, and import its sweep.json here`] };
  }
  const spec: SweepSpec = { base: base as SweepSpec['base'], grid, mode: 'product' };
  try {
    return { plan: planSweep(spec), grid, errors: [] };
  } catch (e) {
    if (e instanceof ConfigError) return { grid, errors: [fieldMessage(e.message)], key: e.key || undefined };
    if (e instanceof ResourceError) return { grid, errors: [e.message] };
    throw e;
  }
}

/** The grid back as the field's lines (an imported sweep fills the field with its own grid). */
export function gridLines(grid: SweepGrid): string {
  return Object.entries(grid).map(([k, values]) => `${k}=${values.join(',')}`).join('\n');
}

export interface SweepEstimate {
  points: number;
  /** Hamiltonian applications of every point together (each a pass over the state). */
  matvecs: number;
  /** Amplitude-terms: Σ matvecs × state size; what the time scales with. */
  work: number;
  /** Predicted wall time, s. */
  seconds: number;
  /** ns per amplitude per term the prediction used, and where that figure came from. */
  nsPerAmplitudeTerm: number;
  basis: 'measured' | 'default';
  /** Why the sweep counts as long (empty when it does not): the point count, the time, or both. */
  warnings: string[];
}

/** A run finished here: what it cost, to scale the estimate to this machine and backend. */
export interface Calibration {
  seconds: number;
  matvecs: number;
  dim: number;
}

/** Hamiltonian applications over a whole run of `config` (timing.matvecs of its result), output times per expansion as planRun picks them. */
export function runMatvecs(input: RunConfig): number {
  const config = withPresumedBasis(input);
  const { halfWidth } = spectralScale(spectralBounds(hamiltonianTerms(config)));
  const steps = outputTimes(config).length - 1;
  if (steps <= 0) return 0;
  const per = Math.max(1, Math.min(steps, planRun(config).outputsPerExpansion));
  const full = Math.floor(steps / per);
  const rest = steps - full * per;
  // As propagate.ts counts them: one for the energy at t = 0, then per expansion its terms past T_0 and one per output's energy.
  const expansion = (outputs: number) => chebyshevSeries(halfWidth, config.dt, HBAR_EV_FS, outputs, 'f64').terms - 1 + outputs;
  return 1 + full * expansion(per) + (rest ? expansion(rest) : 0);
}

/** What a list of runs would cost here: Hamiltonian applications, amplitude-terms and the predicted wall time. */
export interface RunsCost {
  matvecs: number;
  work: number;
  seconds: number;
  nsPerAmplitudeTerm: number;
  basis: 'measured' | 'default';
}

/**
 * How long these runs would take one after another: each one's state size
 * (in its own basis) times its Chebyshev terms, at the cost per
 * amplitude-term measured by a run done in this page (`calibration`) or,
 * before any, a conservative default; plus a set-up time per run.
 */
export function predictRuns(configs: readonly RunConfig[], calibration?: Calibration): RunsCost {
  let matvecs = 0;
  let work = 0;
  const cache = new Map<string, number>();
  for (const config of configs) {
    const key = JSON.stringify(config);
    let m = cache.get(key);
    if (m === undefined) cache.set(key, (m = runMatvecs(config)));
    matvecs += m;
    work += m * layoutForConfig(withPresumedBasis(config)).dim;
  }
  const measured = calibration && calibration.seconds > 0 && calibration.matvecs * calibration.dim >= MIN_CALIBRATION_WORK
    ? (calibration.seconds * 1e9) / (calibration.matvecs * calibration.dim)
    : undefined;
  const ns = measured ?? DEFAULT_NS_PER_AMPLITUDE_TERM;
  const seconds = (work * ns) / 1e9 + configs.length * SECONDS_PER_POINT;
  return { matvecs, work, seconds, nsPerAmplitudeTerm: ns, basis: measured === undefined ? 'default' : 'measured' };
}

/**
 * How long the sweep would take on `backend` (predictRuns over its points,
 * each in the basis it will run: basis "auto" resolved), and whether the
 * page should warn before running it.
 */
export function estimateSweep(plan: SweepPlan, calibration?: Calibration, backend = 'auto'): SweepEstimate {
  const cost = predictRuns(plan.points.map((p) => ({ ...p.config, basis: basisForRun(p.config, backend) })), calibration);
  const warnings: string[] = [];
  const n = plan.points.length;
  if (n > WARN_POINTS) warnings.push(`${n} points (more than ${WARN_POINTS})`);
  if (cost.seconds > WARN_SECONDS) warnings.push(`about ${formatDuration(cost.seconds)} predicted (more than ${formatDuration(WARN_SECONDS)})`);
  return { points: n, ...cost, warnings };
}

function formatDuration(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  const m = Math.round(s / 60);
  return m < 90 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
