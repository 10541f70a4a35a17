/**
 * <spin-transfer-dashboard>: the whole dashboard as one element, so that a
 * lab page embeds it with one script tag (docs/dashboard.md).
 *
 * Public API: attribute/property `config` (run-config JSON), `backend`,
 * `preset`, `sweepGrid` and `allowLongSweep` (the Sweep preset); methods
 * run(), cancel() and showResult(); read-only `result`; events
 * `run-progress` {fraction, t}, `run-complete` (the result), `run-error`
 * {message}, `run-cancelled` and `point-open` {index, name, opened}.
 *
 * The computation runs in a module Web Worker (compute-client.ts); this
 * element keeps the form's text, checks it, and shows progress, partial
 * series and results.
 */

import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { BYTE_SIZE_FORMS, describeGpuMemory, parseByteSize, type GpuMemoryBudget } from '../backends/webgpu/memory-budget.js';
import { ConfigError, DEFAULT_CONFIG, type RunConfig, type RunConfigInput } from '../model/config.js';
import type { SimulationResult } from '../model/result.js';
import type { StudyResult } from '../studies/study-result.js';
import { describeParams } from '../sweeps/grid.js';
import { assembleSweep, type SweepPlan, type SweepResult, type SweepRow } from '../sweeps/run-sweep.js';
import { sweepCsv } from '../sweeps/sweep-export.js';
import type { Capabilities } from './capabilities.js';
import type { ChartSpec } from './chart-spec.js';
import { runLabel, runView, studyCharts, studyProgressCharts, type Overlay } from './chart-data.js';
import { ComputeClient, JobCancelledError, JobError } from './compute-client.js';
import { checkConfig, formToInput, inputToForm, type ConfigCheck, type FormValues } from './config-check.js';
import { fieldMessage, type FieldInput } from './config-form.js';
import { FIELD_SPECS } from './field-specs.js';
import { chartsToCsv, composePng, download, resultJson } from './export.js';
import { formatBytes, formatSeconds, formatValue } from './format.js';
import { checkImportSize, parseImportJson, type ImportedFile } from './import-result.js';
import { LENGTH_CHAIN_LENGTHS, PRESETS, presetById, propagationsOf, type PresetId } from './presets.js';
import {
  isStudyResult, isSweepResult, type AnyResult, type BackendInfo, type ComputeJob, type JobProgress, type JobResult, type StudyRunOutcome, type SweepPointDone,
} from './protocol.js';
import type { ResultView } from './result-view.js';
import { withRunBasis } from './run-basis.js';
import { estimateRun, type RunEstimate } from './run-estimate.js';
import type { SpaceTimeData } from './space-time-map.js';
import type { PointOpenDetail, SweepChart } from './sweep-chart.js';
import { checkSweepForm, estimateSweep, gridLines, MIN_CALIBRATION_WORK, type Calibration, type SweepEstimate, type SweepFormCheck } from './sweep-form.js';
import { pointMismatch, type SweepPointFile } from './sweep-import.js';
import './backend-panel.js';
import './config-form.js';
import './progress-bar.js';
import './result-view.js';
import './sweep-chart.js';

export type RunStatus = 'idle' | 'running' | 'cancelling' | 'cancelled' | 'done' | 'error';

/** Detail of `run-progress`. */
export interface RunProgressDetail {
  fraction: number;
  /** Simulated time reached by the running propagation, fs. */
  t?: number;
}

/** Detail of `run-error`. */
export interface RunErrorDetail {
  message: string;
  /** The run-config key at fault, for a config error. */
  key?: string;
}

/** Detail of `point-open`: the sweep point clicked, and whether its result could be shown. */
export interface PointOpenEventDetail {
  index: number;
  name: string;
  /** False when the point's file is not loaded (or the point failed or is missing): the page says what to import. */
  opened: boolean;
}

/** A sweep on display: its table, the full results of the points at hand, and (while it runs) the point going. */
interface SweepView {
  result: SweepResult;
  results: Map<number, SimulationResult>;
  /** While the page runs the sweep: the index of the point running (null between points); undefined once done or imported. */
  running?: number | null;
  /** Run in this page (its points' results come from the worker, not from files). */
  fromPage?: boolean;
  /** Points run here whose result was not kept (past POINT_RESULTS_BYTES). */
  dropped?: Set<number>;
}

/** The point results a sweep run here keeps for the click, at most: a large sweep of paper-size runs would fill the tab. */
const POINT_RESULTS_BYTES = 256 * 2 ** 20;

/** Bytes a result holds, roughly: its per-time series (density N wide, SzSites L wide, a dozen scalars). */
function resultBytes(r: SimulationResult): number {
  return r.t.length * (r.config.N + r.config.L + 12) * 8;
}

/** Finished single runs kept to overlay on the next one. */
const MAX_OVERLAYS = 6;
/** The sweep field's first lines: four points of the sd exchange. */
const DEFAULT_SWEEP_GRID = 'Jsd=0.05:0.2:4';

/** A `config` attribute that is not JSON: kept so that the form can say so instead of throwing on the page. */
class UnreadableConfig {
  constructor(readonly message: string) {}
}

const jsonConverter = {
  fromAttribute: (value: string | null): unknown => {
    if (!value) return {};
    try {
      return JSON.parse(value);
    } catch (err) {
      return new UnreadableConfig(`the config attribute is not valid JSON: ${(err as Error).message}`);
    }
  },
  toAttribute: (value: unknown): string => JSON.stringify(value),
};

/** The config keys the form has a field for; others (basis, or unknown keys from a page) are kept aside. */
const FORM_KEYS = new Set<string>(FIELD_SPECS.map((s) => s.key));

export class SpinTransferDashboard extends LitElement {
  static override properties = {
    config: { converter: jsonConverter, noAccessor: true },
    backend: { reflect: true },
    preset: { reflect: true },
    threads: {},
    gpuMemory: { attribute: 'gpu-memory' },
    status: { state: true },
    gpuBudget: { state: true },
    values: { state: true },
    capabilities: { state: true },
    progress: { state: true },
    backendInfo: { state: true },
    message: { state: true },
    shown: { state: true },
    partial: { state: true },
    studyOutcomes: { state: true },
    overlays: { state: true },
    pickedSites: { state: true },
    fig2bDistances: { state: true },
    chainLengths: { state: true },
    fig4Points: { state: true },
    sweepGrid: { attribute: 'sweep-grid' },
    allowLongSweep: { type: Boolean, attribute: 'allow-long-sweep' },
    sweep: { state: true },
    openedPoint: { state: true },
    sweepNote: { state: true },
  };

  static override styles = css`
    :host { display: block; color: #1a1a1a; background: #f6f7f9; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; }
    /* The run bar stays at the top of the window while the form and the charts scroll: Run, Cancel, progress and status in view during a run. */
    .runbar { position: sticky; top: var(--spin-transfer-sticky-top, 0px); z-index: 5; display: flex; flex-wrap: wrap; align-items: center; gap: 0.35rem 1rem; padding: 0.45rem 1rem;
      background: #fff; border-bottom: 1px solid #d5d9e0; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.06); }
    .runbar st-progress { flex: 1 1 16rem; min-width: 12rem; }
    .runbar .run-state { flex: 2 1 22rem; min-width: 0; }
    .runbar .status { margin: 0; max-height: 4.2em; overflow: auto; overflow-wrap: anywhere; }
    .runbar .reason { margin: 0.1rem 0 0; }
    .runbar .predicted { font-size: 0.8rem; color: #444; margin: 0.1rem 0 0; }
    .runbar .predicted.problem { color: #b00; }
    /* Narrow: the bar keeps to the buttons, progress and status (the prediction stays under the form). */
    @media (max-width: 700px) { .runbar .predicted { display: none; } .runbar { padding: 0.35rem 0.6rem; } }
    .layout { display: grid; grid-template-columns: minmax(330px, 400px) minmax(0, 1fr); gap: 1rem; padding: 1rem; align-items: start; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
    aside { display: flex; flex-direction: column; gap: 0.75rem; }
    section.card { background: #fff; border: 1px solid #e2e5ea; border-radius: 8px; padding: 0.6rem 0.75rem; }
    h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
    .presets { display: flex; flex-wrap: wrap; gap: 0.3rem; }
    .presets button { font: inherit; padding: 0.2rem 0.55rem; border: 1px solid #aab; border-radius: 999px; background: #fff; cursor: pointer; }
    .presets button[aria-pressed='true'] { background: #0072b2; border-color: #0072b2; color: #fff; }
    .preset-note { font-size: 0.82rem; color: #444; margin: 0.4rem 0 0; }
    .extra { display: grid; grid-template-columns: 6.5rem 1fr; gap: 0.2rem 0.4rem; margin-top: 0.4rem; align-items: center; }
    .extra input { font: inherit; padding: 0.15rem 0.3rem; border: 1px solid #bbb; border-radius: 4px; }
    .extra .error { grid-column: 1 / 3; color: #b00; font-size: 0.82rem; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
    button.primary, button.secondary, .actions button { font: inherit; padding: 0.35rem 0.9rem; border-radius: 6px; cursor: pointer; }
    button.primary { background: #0072b2; color: #fff; border: 1px solid #005a8c; font-weight: 600; }
    button.secondary { background: #fff; border: 1px solid #999; }
    button:disabled { opacity: 0.5; cursor: default; }
    .linkish { background: none; border: none; color: #0063a0; text-decoration: underline; cursor: pointer; padding: 0; font: inherit; }
    .status { margin: 0.4rem 0 0; font-size: 0.88rem; }
    .status[data-status='error'] { color: #b00; }
    .status[data-status='cancelled'] { color: #7a4b00; font-weight: 600; }
    .status[data-status='done'] { color: #1b6e2d; }
    .reason { font-size: 0.78rem; color: #555; margin: 0.2rem 0 0; }
    main { min-width: 0; display: flex; flex-direction: column; gap: 0.75rem; }
    .summary { display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; font-size: 0.85rem; }
    .summary b { font-weight: 600; }
    .banner { padding: 0.4rem 0.7rem; border-radius: 6px; font-size: 0.88rem; }
    .banner.partial { background: #eef6fb; color: #124; }
    .banner.cancelled { background: #fff4e0; color: #6a4000; }
    .banner.error { background: #fff0f0; color: #900; white-space: pre-wrap; }
    input[type='file'] { display: none; }
    .sweep-field { margin-top: 0.4rem; display: flex; flex-direction: column; gap: 0.2rem; }
    .sweep-field textarea { font: 13px/1.4 ui-monospace, monospace; padding: 0.2rem 0.3rem; border: 1px solid #bbb; border-radius: 4px; resize: vertical; }
    .sweep-field textarea[aria-invalid='true'] { border-color: #c00; background: #fff4f4; }
    .sweep-field .error { color: #b00; font-size: 0.82rem; overflow-wrap: anywhere; }
    .sweep-field .estimate { font-size: 0.82rem; color: #333; }
    .warn { background: #fff4e0; color: #5a3800; border: 1px solid #e6b35a; border-radius: 6px; padding: 0.35rem 0.5rem; font-size: 0.85rem; }
    .warn label { display: block; margin-top: 0.2rem; font-weight: 600; }
    .card.sweep-point h2 { display: flex; justify-content: space-between; gap: 1rem; }
    .note { font-size: 0.88rem; background: #eef6fb; color: #124; padding: 0.35rem 0.6rem; border-radius: 6px; overflow-wrap: anywhere; }
  `;

  /** Preferred backend: "auto", "cpu", "webgpu", "gpujs", "gpujs-webgl2" or "gpujs-webasm". */
  declare backend: string;
  /** What run() runs: "run" (one simulation) or a paper figure: "fig2a", "fig2b", "fig3", "fig4a", "fig4b". */
  declare preset: PresetId;
  /** CPU worker threads: "auto" or a number. */
  declare threads: string;
  /** Cap on the WebGPU backend's buffers (the GPU memory field): "" for none, or 4G, 512M, 8GB, bytes. */
  declare gpuMemory: string;
  /**
   * The Sweep preset's grid: one or two lines `KEY=VALUES` (the CLI's
   * `--grid`: `Jsd=0.1,0.2,0.3`, `Jsd=0.05:0.5:10`, `state=singlet,T0`) over
   * the config as its base.
   */
  declare sweepGrid: string;
  /** Run a sweep the page warns about (many points or a long predicted time) without asking. */
  declare allowLongSweep: boolean;

  declare private status: RunStatus;
  declare private values: FormValues;
  declare private capabilities?: Capabilities;
  declare private progress?: JobProgress;
  declare private backendInfo?: BackendInfo;
  /** What the WebGPU backend's buffers need and what bounds them (reported before it allocates). */
  declare private gpuBudget?: GpuMemoryBudget;
  declare private message: string;
  /** The complete result on display (a finished run or study, or an imported one). */
  declare private shown?: AnyResult;
  declare private partial?: SimulationResult;
  declare private studyOutcomes: StudyRunOutcome[];
  declare private overlays: Overlay[];
  /** Local spins (j) drawn as lines beside a long chain's ⟨S_z,j⟩ map. */
  declare private pickedSites: number[];
  declare private fig2bDistances: string;
  declare private chainLengths: string;
  declare private fig4Points: string;
  declare private sweep?: SweepView;
  /** The sweep point whose result is shown under the sweep's figure. */
  declare private openedPoint?: number;
  /** What a click on a sweep point said (which file to import, why it has no result). */
  declare private sweepNote: string;

  /** Keys of the given config that have no field (validated with the rest, so an unknown key is refused, not dropped). */
  private otherKeys: Record<string, unknown> = {};
  /** Why the given config could not be read at all (not JSON, not an object); blocks runs until a config is set. */
  private configProblem?: string;

  private client?: ComputeClient;
  private jobId?: number;
  private complete?: JobResult;
  /** The cost of the last run here large enough to measure, for the sweep's time estimate. */
  private calibration?: Calibration;
  private sweepCheckCache?: { key: string; check: SweepFormCheck; estimate?: SweepEstimate };
  private estimateCache?: { key: string; value: { estimate?: RunEstimate; error?: string; key?: string } };
  /** The base config and study of the job going, for the charts of a study still running. */
  private runningBase?: RunConfig;

  constructor() {
    super();
    this.backend = 'auto';
    this.preset = 'run';
    this.threads = 'auto';
    this.gpuMemory = '';
    this.status = 'idle';
    this.values = {};
    this.message = '';
    this.studyOutcomes = [];
    this.overlays = [];
    this.pickedSites = [];
    this.fig2bDistances = '10, 20, 30, 40, 50, 60';
    this.chainLengths = LENGTH_CHAIN_LENGTHS;
    this.fig4Points = '16';
    this.sweepGrid = DEFAULT_SWEEP_GRID;
    this.allowLongSweep = false;
    this.sweepNote = '';
  }

  /**
   * The run config (INTERFACE.md JSON): the keys set in the form. Setting it
   * (or the `config` attribute, as JSON) fills the form; keys left out take
   * their defaults.
   */
  get config(): RunConfigInput {
    return this.input() as RunConfigInput;
  }

  set config(value: RunConfigInput | null | undefined) {
    const old = this.config;
    this.otherKeys = {};
    this.configProblem = undefined;
    if (value instanceof UnreadableConfig) {
      this.configProblem = value.message;
      this.values = {};
    } else if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
      this.configProblem = `a run config must be a JSON object, not ${JSON.stringify(value)?.slice(0, 80)}`;
      this.values = {};
    } else {
      const given = (value ?? {}) as Record<string, unknown>;
      this.values = inputToForm(given);
      for (const key of Object.keys(given)) if (!FORM_KEYS.has(key)) this.otherKeys[key] = given[key];
    }
    this.requestUpdate('config', old);
  }

  /** The run-config JSON of the form, with the keys it has no field for. */
  private input(): Record<string, unknown> {
    return { ...formToInput(this.values), ...this.otherKeys };
  }

  /** The last complete result (a run's, a study's, or a sweep's table); undefined while a run goes, after a cancel or an error. */
  get result(): JobResult | undefined {
    return this.complete;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.client ??= new ComputeClient();
    void this.client.probe().then((c) => (this.capabilities = c));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.client?.terminate();
    this.client = undefined;
    this.capabilities = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('preset') && !presetById(this.preset)) this.preset = 'run';
  }

  private get check(): ConfigCheck {
    // State size and memory in the basis the run will use on the chosen backend (basis "auto" resolved).
    const check = checkConfig(withRunBasis(this.input(), this.backend), propagationsOf(presetById(this.preset)!, this.backend));
    if (!this.configProblem) return check;
    return { ...check, config: undefined, warnings: undefined, dim: undefined, errors: { ...check.errors, '': this.configProblem } };
  }

  /**
   * Runs the current preset on the current config and backend in the worker.
   * Resolves with the result (INTERFACE.md shape) when complete; rejects on a
   * config error, a failure (both also fire `run-error`) or a cancel
   * (`run-cancelled`; the error's name is "CancelledError").
   */
  async run(): Promise<JobResult> {
    if (this.status === 'running' || this.status === 'cancelling') throw new Error('a run is already going; cancel it first');
    if (this.preset === 'sweep') return this.runSweep();
    const check = this.check;
    const preset = presetById(this.preset)!;
    const extra = this.studyExtras();
    const firstError = Object.values(check.errors)[0] ?? extra.error;
    if (!check.config || firstError) {
      const key = Object.keys(check.errors)[0];
      return this.fail(firstError ?? 'the config is not valid', key);
    }
    if (check.bytesNeeded! > check.bytesAllowed!) {
      return this.fail(`the state does not fit: it needs ${formatValue(check.bytesNeeded! / 2 ** 20)} MiB, this browser allows ${formatValue(check.bytesAllowed! / 2 ** 20)} MiB; reduce N or L`);
    }
    // A study that cannot run (a ring too short for a chain, a run too large for the tab: planning checks every
    // run's memory) is refused here, before the first run, rather than when its turn comes.
    const { error: studyError, key: studyKey } = this.runEstimate();
    if (studyError) return this.fail(studyError, studyKey);
    const threads = this.threads.trim() === '' || this.threads.trim() === 'auto' ? 'auto' : Number(this.threads);
    if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1)) return this.fail(`CPU threads must be "auto" or an integer >= 1, not "${this.threads}"`);
    const gpuMemory = this.gpuMemoryCap();
    if (gpuMemory.error) return this.fail(gpuMemory.error);

    const input = this.input();
    // The length study sets tEnd for each L (a tEnd in its base config is checked instead).
    if (preset.study === 'length') delete (input as { tEnd?: unknown }).tEnd;
    const job: ComputeJob = preset.study
      ? { kind: 'study', study: preset.study, config: input, backend: this.backend, threads, gpuMemory: gpuMemory.bytes, d: extra.d, points: extra.points, L: extra.L }
      : { kind: 'run', config: input, backend: this.backend, threads, gpuMemory: gpuMemory.bytes };

    if (this.shown && !isStudyResult(this.shown) && !preset.study) {
      const r = this.shown;
      this.overlays = [...this.overlays, { label: runLabel(r.config), t: r.t, deltaSigmaZ: r.deltaSigmaZ }].slice(-MAX_OVERLAYS);
    }
    this.complete = undefined;
    this.shown = undefined;
    this.sweep = undefined;
    this.openedPoint = undefined;
    this.sweepNote = '';
    this.partial = undefined;
    this.studyOutcomes = [];
    this.progress = { fraction: 0, elapsedSeconds: 0 };
    this.backendInfo = undefined;
    this.gpuBudget = undefined;
    this.runningBase = check.config;
    this.status = 'running';
    this.message = preset.study ? `Running ${preset.title} (${preset.runs})…` : 'Running…';

    this.client ??= new ComputeClient();
    const { id, done } = this.client.run(job, {
      onProgress: (p) => {
        if (this.jobId !== id) return;
        this.progress = p;
        this.emit<RunProgressDetail>('run-progress', { fraction: p.fraction, t: p.t });
      },
      onBackend: (b) => {
        if (this.jobId === id) this.backendInfo = b;
      },
      onGpuMemory: (b) => {
        if (this.jobId === id) this.gpuBudget = b;
      },
      onPartial: (r) => {
        if (this.jobId === id && this.status === 'running') this.partial = r;
      },
      onStudyRun: (o) => {
        if (this.jobId === id) this.studyOutcomes = [...this.studyOutcomes, o];
      },
    });
    this.jobId = id;
    try {
      const result = (await done) as AnyResult;
      if (this.jobId !== id) throw new JobCancelledError();
      if (!isStudyResult(result)) this.calibrate(result);
      this.complete = result;
      this.shown = result;
      this.partial = undefined;
      this.status = 'done';
      this.progress = { ...(this.progress ?? { elapsedSeconds: 0 }), fraction: 1, etaSeconds: 0 };
      this.message = `Done in ${formatSeconds(result.timing.seconds)} on ${result.backend} (${result.precision}).`;
      this.emit('run-complete', result);
      return result;
    } catch (err) {
      if (err instanceof JobCancelledError) {
        this.status = 'cancelled';
        this.message = 'cancelled';
        this.emit('run-cancelled', {});
        const e = new Error('cancelled');
        e.name = 'CancelledError';
        throw e;
      }
      const key = err instanceof JobError ? err.key : undefined;
      return this.fail((err as Error).message, key, false);
    } finally {
      if (this.jobId === id) this.jobId = undefined;
    }
  }

  /** The sweep field read over the form's config, with its time estimate (cached: render calls it on every progress message). */
  private sweepCheck(): { check: SweepFormCheck; estimate?: SweepEstimate } {
    const input = this.input();
    const key = JSON.stringify([this.sweepGrid, input, this.calibration, this.backend]);
    if (this.sweepCheckCache?.key !== key) {
      const check = checkSweepForm(this.sweepGrid, input);
      this.sweepCheckCache = { key, check, estimate: check.plan ? estimateSweep(check.plan, this.calibration, this.backend) : undefined };
    }
    return this.sweepCheckCache;
  }

  /**
   * The predicted time of what Run would start (a run, Fig. 2b or the chain
   * length; the sweep has its own), in the basis it will use; or why the
   * study cannot run. Cached: render calls it on every progress message.
   */
  private runEstimate(): { estimate?: RunEstimate; error?: string; key?: string } {
    const preset = presetById(this.preset)!;
    if (preset.id === 'sweep' || !this.check.config) return {};
    const extra = this.studyExtras();
    if (extra.error) return {};
    const input = withRunBasis(this.input(), this.backend);
    if (preset.study === 'length') delete input.tEnd;
    const key = JSON.stringify([input, preset.study, extra.d, extra.L, this.calibration]);
    if (this.estimateCache?.key !== key) {
      let value: { estimate?: RunEstimate; error?: string; key?: string };
      try {
        value = { estimate: estimateRun(input, preset.study, { d: extra.d, L: extra.L }, this.calibration) };
      } catch (err) {
        value = { error: (err as Error).message, key: err instanceof ConfigError ? err.key || undefined : undefined };
      }
      this.estimateCache = { key, value };
    }
    return this.estimateCache.value;
  }

  /** The estimate as one line: how long, how many runs, which basis, and where the cost per amplitude-term comes from. */
  private estimateLine({ estimate: e, error }: { estimate?: RunEstimate; error?: string }): string {
    if (error) return `The study cannot run: ${fieldMessage(error)}`;
    if (!e) return '';
    const runs = e.runs > 1 ? `${e.runs} runs` : 'one run';
    const rate = e.basis === 'measured' ? `at the ${Math.round(e.nsPerAmplitudeTerm)} ns per amplitude and term measured on the last run here` : `at ${e.nsPerAmplitudeTerm} ns per amplitude and term, a cautious guess until a run here measures it`;
    const largest = e.runs > 1 && e.largest.label ? ` Its largest run (${e.largest.label}) needs ${formatBytes(e.largest.bytes)}.` : '';
    return `Predicted: about ${formatSeconds(e.seconds)} here for ${runs} in basis "${e.runBasis}" (${rate}).${largest}`;
  }

  /** Runs the Sweep preset in the worker: the figure fills in point by point; resolves with the table (sweep.json). */
  private async runSweep(): Promise<SweepResult> {
    const formErrors = this.check.errors;
    const formKey = Object.keys(formErrors)[0];
    if (formKey !== undefined) return this.fail(formErrors[formKey]!, formKey || undefined);
    const { check, estimate } = this.sweepCheck();
    if (!check.plan) return this.fail(check.errors[0] ?? 'the sweep is not valid', check.key);
    const threads = this.threads.trim() === '' || this.threads.trim() === 'auto' ? 'auto' : Number(this.threads);
    if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1)) return this.fail(`CPU threads must be "auto" or an integer >= 1, not "${this.threads}"`);
    const gpuMemory = this.gpuMemoryCap();
    if (gpuMemory.error) return this.fail(gpuMemory.error);
    if (estimate?.warnings.length && !this.allowLongSweep) {
      return this.fail(`a long sweep: ${estimate.warnings.join('; ')}. Tick "Run it anyway" (or set allowLongSweep) to run it`);
    }
    const plan: SweepPlan = check.plan;
    const rows = new Map<number, SweepRow>();
    const results = new Map<number, SimulationResult>();
    const dropped = new Set<number>();
    let kept = 0;
    this.complete = undefined;
    this.shown = undefined;
    this.partial = undefined;
    this.studyOutcomes = [];
    this.openedPoint = undefined;
    this.sweepNote = '';
    this.sweep = { result: assembleSweep(plan, rows), results, running: 0, fromPage: true, dropped };
    this.progress = { fraction: 0, elapsedSeconds: 0, runsDone: 0, runs: plan.points.length };
    this.backendInfo = undefined;
    this.gpuBudget = undefined;
    this.status = 'running';
    this.message = `Running a sweep of ${plan.points.length} point${plan.points.length > 1 ? 's' : ''}…`;
    const job: ComputeJob = { kind: 'sweep', spec: plan.spec, backend: this.backend, threads, gpuMemory: gpuMemory.bytes };
    this.client ??= new ComputeClient();
    const { id, done } = this.client.run(job, {
      onProgress: (p) => {
        if (this.jobId !== id) return;
        this.progress = p;
        const running = p.runsDone !== undefined && p.runsDone < plan.points.length ? p.runsDone : null;
        if (this.sweep && this.sweep.running !== running) this.sweep = { ...this.sweep, running };
        this.emit<RunProgressDetail>('run-progress', { fraction: p.fraction, t: p.t });
      },
      onBackend: (b) => {
        if (this.jobId === id) this.backendInfo = b;
      },
      onGpuMemory: (b) => {
        if (this.jobId === id) this.gpuBudget = b;
      },
      onSweepPoint: (p: SweepPointDone) => {
        if (this.jobId !== id || !this.sweep) return;
        rows.set(p.index, p.row);
        if (p.result) {
          this.calibrate(p.result);
          if (kept + resultBytes(p.result) <= POINT_RESULTS_BYTES) {
            results.set(p.index, p.result);
            kept += resultBytes(p.result);
          } else {
            dropped.add(p.index);
          }
        }
        this.sweep = { ...this.sweep, result: assembleSweep(plan, rows) };
      },
    });
    this.jobId = id;
    try {
      const result = (await done) as SweepResult;
      if (this.jobId !== id) throw new JobCancelledError();
      this.sweep = { result, results, fromPage: true, dropped };
      this.complete = result;
      this.status = 'done';
      this.progress = { ...(this.progress ?? { elapsedSeconds: 0 }), fraction: 1, etaSeconds: 0 };
      const seconds = this.progress.elapsedSeconds;
      this.message = `Sweep done: ${result.rows.filter((r) => r.status === 'done').length} of ${result.points} points in ${formatSeconds(seconds)} on ${result.backend} (${result.precision})` +
        `${result.failed.length ? `; ${result.failed.length} failed (see the table)` : ''}.`;
      this.emit('run-complete', result);
      return result;
    } catch (err) {
      if (err instanceof JobCancelledError) {
        this.status = 'cancelled';
        this.message = 'cancelled';
        if (this.sweep) this.sweep = { ...this.sweep, running: undefined };
        this.emit('run-cancelled', {});
        const e = new Error('cancelled');
        e.name = 'CancelledError';
        throw e;
      }
      const key = err instanceof JobError ? err.key : undefined;
      return this.fail((err as Error).message, key, false);
    } finally {
      if (this.jobId === id) this.jobId = undefined;
    }
  }

  /** A finished run's cost per amplitude-term, for the next sweep's estimate (runs too small to measure are skipped there). */
  private calibrate(r: SimulationResult): void {
    if (r.timing?.matvecs > 0 && r.timing.seconds > 0 && r.timing.matvecs * r.dim >= MIN_CALIBRATION_WORK) this.calibration = { seconds: r.timing.seconds, matvecs: r.timing.matvecs, dim: r.dim };
  }

  /** Stops the run going (if any): the page says "cancelled" and no result is kept. */
  cancel(): void {
    if (this.jobId === undefined || !this.client) return;
    this.status = 'cancelling';
    this.message = 'cancelling…';
    this.client.cancel(this.jobId);
  }

  /** The GPU memory field as bytes (undefined: no cap), or why it cannot be used (the CLI's --gpu-memory rules). */
  private gpuMemoryCap(): { bytes?: number; error?: string } {
    const text = (this.gpuMemory ?? '').trim();
    if (text === '') return {};
    const bytes = parseByteSize(text);
    if (bytes === undefined) return { error: `GPU memory "${text}" is not allowed; allowed: empty (no cap), or ${BYTE_SIZE_FORMS}` };
    if (this.backend !== 'auto' && this.backend !== 'webgpu') {
      return { error: `GPU memory caps the WebGPU backend's buffers; backend ${this.backend} has none: choose webgpu or auto, or clear the GPU memory field` };
    }
    return { bytes };
  }

  private fail(message: string, key?: string, config = true): Promise<never> {
    this.status = 'error';
    this.message = config ? `Not run: ${fieldMessage(message)}` : `Error: ${message}`;
    this.emit<RunErrorDetail>('run-error', key ? { message, key } : { message });
    return Promise.reject(new Error(message));
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private studyExtras(): { d?: number[]; points?: number; L?: number[]; error?: string } {
    if (this.preset === 'length') {
      const L = this.chainLengths.split(/[\s,;]+/).filter(Boolean).map(Number);
      if (!L.length || L.some((x) => !Number.isInteger(x) || x < 1)) return { error: `chain lengths L must be integers >= 1 separated by commas, not "${this.chainLengths}"` };
      return { L };
    }
    if (this.preset === 'fig2b') {
      const parts = this.fig2bDistances.split(/[\s,;]+/).filter(Boolean);
      const d = parts.map(Number);
      if (!d.length || d.some((x) => !Number.isFinite(x) || x <= 0)) return { error: `distances d must be numbers > 0 separated by commas, not "${this.fig2bDistances}"` };
      return { d };
    }
    if (this.preset === 'fig4a' || this.preset === 'fig4b') {
      const points = Number(this.fig4Points);
      if (!Number.isInteger(points) || points < 3 || points > 4096) return { error: `θ points must be an integer 3 … 4096, not "${this.fig4Points}"` };
      return { points };
    }
    return {};
  }

  // ---- what is drawn ----

  private view(): { charts: ChartSpec[]; maps: SpaceTimeData[]; csvOnly: ChartSpec[] } {
    const fig4First = this.preset === 'fig4b' ? 'fig4b' : 'fig4a';
    const none = { maps: [], csvOnly: [] };
    if (this.shown) {
      if (isStudyResult(this.shown)) return { charts: studyCharts(this.shown, fig4First), ...none };
      return runView(this.shown, this.overlays, this.pickedSites);
    }
    if (this.partial) return runView(this.partial, this.overlays, this.pickedSites);
    const preset = presetById(this.preset)!;
    if (preset.study && this.runningBase && this.studyOutcomes.length) {
      return { charts: studyProgressCharts(preset.study, this.runningBase, this.studyOutcomes), ...none };
    }
    return { charts: [], ...none };
  }

  private resultView(v: { charts: ChartSpec[]; maps: SpaceTimeData[] }) {
    return html`<st-result-view .charts=${v.charts} .maps=${v.maps} .picked=${this.pickedSites}
      @sites-change=${(e: CustomEvent<number[]>) => (this.pickedSites = e.detail)}></st-result-view>`;
  }

  override render() {
    const check = this.check;
    const preset = presetById(this.preset)!;
    const busy = this.status === 'running' || this.status === 'cancelling';
    const extra = this.studyExtras();
    const shownView = this.view();
    // Not while a run goes: the line is about what Run would start.
    const estimate = busy ? {} : this.runEstimate();
    const estimateLine = this.estimateLine(estimate);
    return html`<header class="runbar" role="region" aria-label="Run">
        <div class="actions">
          <button type="button" class="primary" id="run" ?disabled=${busy} @click=${this.onRunClick}>Run ${preset.id === 'run' ? '' : preset.title}</button>
          <button type="button" class="secondary" id="cancel" ?disabled=${!busy} @click=${() => this.cancel()}>Cancel</button>
        </div>
        <st-progress .progress=${this.progress} ?active=${busy} unit=${this.preset === 'sweep' ? 'point' : 'run'}></st-progress>
        <div class="run-state">
          <p class="status" id="status" role="status" data-status=${this.status}>${this.message || 'Ready.'}</p>
          ${this.backendInfo ? html`<p class="reason" id="backend-reason">${this.backendInfo.description} — ${this.backendInfo.reason}</p>` : nothing}
          ${this.gpuBudget ? html`<p class="reason" id="gpu-memory-budget">${describeGpuMemory(this.gpuBudget)}</p>` : nothing}
          ${estimateLine && this.status !== 'error' ? html`<p class="predicted ${estimate.error ? 'problem' : ''}" id="run-predicted">${estimateLine}</p>` : nothing}
        </div>
      </header>
      <div class="layout">
      <aside>
        <section class="card" aria-labelledby="h-preset">
          <h2 id="h-preset">What to run</h2>
          <div class="presets" role="group" aria-label="Presets">
            ${PRESETS.map(
              (p) => html`<button type="button" data-preset=${p.id} aria-pressed=${this.preset === p.id ? 'true' : 'false'} ?disabled=${busy}
                title=${p.description} @click=${() => this.choosePreset(p.id)}>${p.title}</button>`,
            )}
          </div>
          <p class="preset-note">${preset.description} <i>(${preset.runs})</i>
            ${preset.study ? html`The config below is the study's base run.` : preset.id === 'sweep' ? html`The config below is the base of every point.` : nothing}
            ${preset.base ? html`<span id="preset-base">${preset.base.why}</span>` : nothing}
            <button type="button" class="linkish" id="paper-values" ?disabled=${busy} @click=${this.paperValues}>Reset to the paper's values</button></p>
          ${this.preset === 'fig2b'
            ? html`<div class="extra"><label for="fig2b-d">distances d</label>
                <input id="fig2b-d" .value=${this.fig2bDistances} ?disabled=${busy} @input=${(e: Event) => (this.fig2bDistances = (e.target as HTMLInputElement).value)} />
                ${extra.error ? html`<span class="error" role="alert">${extra.error}</span>` : nothing}</div>`
            : nothing}
          ${this.preset === 'length'
            ? html`<div class="extra"><label for="chain-lengths">chain lengths L</label>
                <input id="chain-lengths" .value=${this.chainLengths} ?disabled=${busy} @input=${(e: Event) => (this.chainLengths = (e.target as HTMLInputElement).value)} />
                ${extra.error ? html`<span class="error" role="alert">${extra.error}</span>` : nothing}</div>`
            : nothing}
          ${this.preset === 'sweep' ? this.sweepField(busy) : nothing}
          ${this.preset === 'fig4a' || this.preset === 'fig4b'
            ? html`<div class="extra"><label for="fig4-points">θ points</label>
                <input id="fig4-points" .value=${this.fig4Points} ?disabled=${busy} @input=${(e: Event) => (this.fig4Points = (e.target as HTMLInputElement).value)} />
                ${extra.error ? html`<span class="error" role="alert">${extra.error}</span>` : nothing}</div>`
            : nothing}
        </section>
        <section class="card" aria-labelledby="h-config">
          <h2 id="h-config">Run config</h2>
          <st-config-form .values=${this.values} .check=${check} .predicted=${estimateLine} ?predictedProblem=${!!estimate.error} .varied=${this.variedKeys()} .variedNote=${this.preset === 'sweep' ? 'swept: the grid sets it' : 'set by the study'} ?disabled=${busy}
            @field-input=${this.onFieldInput}></st-config-form>
        </section>
        <section class="card" aria-labelledby="h-backend">
          <h2 id="h-backend">Backend</h2>
          <st-backend-panel .capabilities=${this.capabilities} .value=${this.backend} .threads=${this.threads} .gpuMemory=${this.gpuMemory} .basisChoice=${this.backendInfo?.basis} ?disabled=${busy}
            @backend-change=${(e: CustomEvent<string>) => (this.backend = e.detail)}
            @threads-change=${(e: CustomEvent<string>) => (this.threads = e.detail)}
            @gpu-memory-change=${(e: CustomEvent<string>) => (this.gpuMemory = e.detail)}></st-backend-panel>
        </section>
        <section class="card" aria-labelledby="h-io">
          <h2 id="h-io">Export and import</h2>
          <div class="actions">
            <button type="button" class="secondary" id="export-json" ?disabled=${!this.exportable()} @click=${this.exportJson}>JSON</button>
            <button type="button" class="secondary" id="export-csv" ?disabled=${!this.exportable()} @click=${this.exportCsv}>CSV</button>
            <button type="button" class="secondary" id="export-png" ?disabled=${!this.exportable()} @click=${this.exportPng}>PNG</button>
            <button type="button" class="secondary" id="import" ?disabled=${busy} title="A result JSON, or a sweep.json with any of its points/NAME.json (several files at once)"
              @click=${() => (this.renderRoot.querySelector('#import-file') as HTMLInputElement).click()}>Import JSON…</button>
            <input type="file" id="import-file" multiple accept=".json,application/json" @change=${this.onImport} />
          </div>
          ${this.overlays.length
            ? html`<p class="reason">${this.overlays.length} earlier run${this.overlays.length > 1 ? 's' : ''} overlaid (dashed).
                <button type="button" class="linkish" id="clear-overlays" @click=${() => (this.overlays = [])}>Clear</button></p>`
            : nothing}
        </section>
      </aside>
      <main>
        ${this.banner()}
        ${this.sweepShown()
          ? this.sweepMain()
          : html`${this.summary()}${this.resultView(shownView)}`}
      </main>
    </div>`;
  }

  private banner() {
    if (this.status === 'error') return html`<div class="banner error" id="error-banner" role="alert">${this.message}</div>`;
    if (this.status === 'cancelled') {
      const t = this.partial ? this.partial.t.at(-1) : undefined;
      return html`<div class="banner cancelled" id="cancelled-banner">Run cancelled${t !== undefined ? ` at t = ${t} fs` : ''}: ${this.partial ? 'the curves below stop there and are incomplete; ' : ''}there is no result to export.</div>`;
    }
    if (this.status === 'running' || this.status === 'cancelling') {
      if (this.preset === 'sweep') return html`<div class="banner partial" id="running-banner">Running: each point is drawn when it finishes; click a finished point for its result.</div>`;
      return html`<div class="banner partial" id="running-banner">Running: ${this.partial ? 'the curves fill in as the run goes' : this.studyOutcomes.length ? 'each run is drawn when it finishes' : 'the curves appear as runs finish'}.</div>`;
    }
    return nothing;
  }

  private summary() {
    const r = this.shown;
    if (!r) return nothing;
    if (isStudyResult(r)) {
      const s = r as StudyResult;
      return html`<div class="summary" id="summary">
        <span>study <b>${s.study}</b></span><span>backend <b>${s.backend}</b> (${s.precision})</span>
        <span>${s.runs.length} run${s.runs.length > 1 ? 's' : ''}</span><span>${formatSeconds(s.timing.seconds)}</span>
        <span id="study-geometry">${this.studyGeometry(s)}</span>
      </div>`;
    }
    const normDrift = Math.max(...r.norm.map((n) => Math.abs(n - 1)));
    const energyDrift = Math.max(...r.energy.map((e) => Math.abs(e - r.energy[0])));
    return html`<div class="summary" id="summary">
      <span>final Δσ_z <b id="final-dsz">${formatValue(r.deltaSigmaZ.at(-1)!)}</b></span>
      <span>backend <b>${r.backend}</b> (${r.precision})</span>
      <span>dim ${r.dim}</span>
      <span>|norm − 1| ≤ ${normDrift.toExponential(1)}</span>
      <span>energy drift ≤ ${energyDrift.toExponential(1)} eV</span>
      <span>${formatSeconds(r.timing.seconds)}, ${r.timing.matvecs} H applications</span>
    </div>`;
  }

  /** What the study's runs used: the length study sets L and t_end per run (the base config's are not used). */
  private studyGeometry(s: StudyResult): string {
    if (s.study === 'length') {
      const tEnds = s.geometry.map((g) => g.tEnd);
      const tRange = Math.min(...tEnds) === Math.max(...tEnds) ? `${tEnds[0]}` : `${Math.min(...tEnds)} … ${Math.max(...tEnds)}`;
      return `N = ${s.config.N}, L = ${s.L.join(', ')}, t_end = ${tRange} fs (per L, when the pair has crossed the chain)`;
    }
    return `N = ${s.config.N}, L = ${s.config.L}, t_end = ${s.config.tEnd} fs`;
  }

  private sweepShown(): boolean {
    return this.preset === 'sweep' && !!this.sweep;
  }

  private sweepField(busy: boolean) {
    const { check, estimate } = this.sweepCheck();
    const invalid = check.errors.length > 0;
    return html`<div class="sweep-field">
      <label for="sweep-grid">grid: one or two lines KEY=VALUES (a list a,b,c or a range a:b:n)</label>
      <textarea id="sweep-grid" rows="2" spellcheck="false" .value=${this.sweepGrid} ?disabled=${busy}
        aria-invalid=${invalid ? 'true' : 'false'} aria-describedby="sweep-errors sweep-estimate"
        @input=${(e: Event) => this.onSweepInput((e.target as HTMLTextAreaElement).value)}></textarea>
      <div id="sweep-errors">${check.errors.map((m) => html`<div class="error" role="alert">${m}</div>`)}</div>
      ${estimate
        ? html`<div class="estimate" id="sweep-estimate">${estimate.points} point${estimate.points > 1 ? 's' : ''}
            (${Object.entries(check.grid ?? {}).map(([k, v]) => `${v.length} ${k}`).join(' × ')}); predicted about ${formatSeconds(estimate.seconds)} here
            (${estimate.basis === 'measured' ? `at the ${Math.round(estimate.nsPerAmplitudeTerm)} ns per amplitude and term measured on the last run here` : `at ${estimate.nsPerAmplitudeTerm} ns per amplitude and term, a cautious guess until a run here measures it`}).</div>
          ${estimate.warnings.length
            ? html`<div class="warn" id="sweep-warning" role="alert">This sweep would take long: ${estimate.warnings.join('; ')}.
                The CLI (spin-transfer sweep, shards, Slurm) suits large sweeps; its sweep.json imports here.
                <label><input type="checkbox" id="sweep-anyway" .checked=${this.allowLongSweep} ?disabled=${busy}
                  @change=${(e: Event) => (this.allowLongSweep = (e.target as HTMLInputElement).checked)} /> Run it anyway</label></div>`
            : nothing}`
        : nothing}
    </div>`;
  }

  private onSweepInput(value: string): void {
    this.sweepGrid = value;
    if (this.status === 'error') {
      this.status = 'idle';
      this.message = '';
    }
  }

  private sweepMain() {
    const view = this.sweep!;
    const r = view.result;
    const done = r.rows.filter((x) => x.status === 'done').length;
    const opened = this.openedPoint !== undefined ? view.results.get(this.openedPoint) : undefined;
    const openedRow = this.openedPoint !== undefined ? r.rows.find((x) => x.index === this.openedPoint) : undefined;
    return html`
      <div class="summary" id="summary">
        <span>sweep <b>${r.sweep}</b></span>
        <span>${Object.entries(r.grid).map(([k, v]) => `${k} (${v.length})`).join(' × ')}${r.mode === 'zip' ? ', zipped' : ''}</span>
        <span><b id="sweep-done">${done}</b> of ${r.points} done${r.failed.length ? html`, <b>${r.failed.length}</b> failed` : nothing}${view.running === undefined && r.missing.length ? html`, <b>${r.missing.length}</b> missing` : nothing}</span>
        <span>backend <b>${r.backend}</b> (${r.precision})</span>
        <span>${view.results.size} point result${view.results.size === 1 ? '' : 's'} loaded</span>
      </div>
      <section class="card" aria-label="Sweep figure">
        <st-sweep-chart .result=${r} .running=${view.running} .loaded=${new Set(view.results.keys())} @point-open=${this.onPointOpen}></st-sweep-chart>
      </section>
      ${this.sweepNote ? html`<p class="note" id="sweep-note" role="status">${this.sweepNote}</p>` : nothing}
      ${opened && openedRow
        ? html`<section class="card sweep-point" id="point-view" aria-labelledby="h-point">
            <h2 id="h-point"><span>Point ${openedRow.index}: ${openedRow.name}</span>
              <button type="button" class="linkish" id="close-point" @click=${() => (this.openedPoint = undefined)}>close</button></h2>
            <div class="summary"><span>final Δσ_z <b id="point-dsz">${formatValue(opened.deltaSigmaZ.at(-1)!)}</b></span>
              <span>backend <b>${opened.backend}</b> (${opened.precision})</span><span>dim ${opened.dim}</span>
              <span>${formatSeconds(opened.timing.seconds)}, ${opened.timing.matvecs} H applications</span></div>
            ${this.resultView(runView(opened, [], this.pickedSites))}
          </section>`
        : nothing}`;
  }

  private onPointOpen = (e: CustomEvent<PointOpenDetail>): void => {
    const view = this.sweep;
    if (!view) return;
    const index = e.detail.index;
    const row = view.result.rows.find((x) => x.index === index);
    const name = row?.name ?? view.result.missing.find((m) => m.index === index)?.name ?? String(index);
    const result = view.results.get(index);
    if (result) {
      this.openedPoint = index;
      this.sweepNote = '';
      void this.updateComplete.then(() => this.renderRoot.querySelector('#point-view')?.scrollIntoView?.({ block: 'nearest' }));
    } else if (!row) {
      this.sweepNote = view.running !== undefined ? `Point ${index} (${name}) has not run yet.` : `Point ${index} (${name}) is missing: no shard wrote it. Run its shard again and merge (spin-transfer sweep merge), then import the new sweep.json.`;
    } else if (row.status === 'failed') {
      this.sweepNote = `Point ${index} (${name}) failed: ${row.error ?? 'unknown error'}`;
    } else if (view.dropped?.has(index)) {
      this.sweepNote = `Point ${index} (${name}): its result was not kept (the page keeps ${POINT_RESULTS_BYTES / 2 ** 20} MiB of point results); run it alone with the Single run preset (${describeParams(row.params)} over the same config).`;
    } else if (view.fromPage) {
      this.sweepNote = `Point ${index} (${name}) has no result here.`;
    } else {
      this.sweepNote = `Point ${index} (${name}) has no result loaded: import points/${name}.json from the sweep's folder (the import button takes several files at once).`;
    }
    this.emit<PointOpenEventDetail>('point-open', { index, name, opened: !!result });
  };

  private variedKeys(): string[] {
    switch (this.preset) {
      case 'fig2a': return ['state', 'singleSpin'];
      case 'fig2b': return ['state', 'd'];
      case 'length': return ['state', 'L', 'spinStart', 'x2', 'tEnd', 'singleSpin'];
      case 'fig3': return ['state', 'sdTerms'];
      case 'fig4a':
      case 'fig4b': return ['state', 'theta', 'singleSpin'];
      case 'sweep': return Object.keys(this.sweepCheck().check.grid ?? {});
      default: return [];
    }
  }

  private choosePreset(id: PresetId): void {
    if (this.status === 'running' || this.status === 'cancelling') return;
    const changed = id !== this.preset;
    this.preset = id;
    const base = presetById(id)?.base;
    if (changed && base) {
      this.values = { ...this.values, ...base.values };
      if (id === 'length') this.chainLengths = LENGTH_CHAIN_LENGTHS;
    }
    // The status line, the progress and the backend line described the last run, not what Run would now run.
    if (changed) {
      this.status = 'idle';
      this.message = '';
      this.progress = undefined;
      this.backendInfo = undefined;
    }
    // A finished study of another figure no longer matches the buttons: keep it only where it still fits.
    if (this.shown && isStudyResult(this.shown) && presetById(id)?.study !== this.shown.study) {
      this.shown = undefined;
      this.complete = undefined;
    }
  }

  private paperValues = (): void => {
    this.values = {};
    this.otherKeys = {};
    this.configProblem = undefined;
    this.fig2bDistances = '10, 20, 30, 40, 50, 60';
    this.fig4Points = '16';
    this.chainLengths = LENGTH_CHAIN_LENGTHS;
    this.sweepGrid = DEFAULT_SWEEP_GRID;
  };

  private onFieldInput = (e: CustomEvent<FieldInput>): void => {
    const { key, value } = e.detail;
    const next = { ...this.values };
    const choiceAtDefault = typeof DEFAULT_CONFIG[key] === 'string' && value === DEFAULT_CONFIG[key];
    if (value === '' || choiceAtDefault) delete next[key];
    else next[key] = value;
    this.values = next;
    if (this.status === 'error') {
      this.status = 'idle';
      this.message = '';
    }
  };

  private onRunClick = (): void => {
    // Errors and cancels are shown in the page; the promise is for the element API.
    this.run().catch(() => undefined);
  };

  private exportable(): boolean {
    return this.sweepShown() ? this.sweep!.running === undefined && this.complete === this.sweep!.result : !!this.shown;
  }

  private fileBase(): string {
    const r = this.shown!;
    return isStudyResult(r) ? `spin-transfer-${r.study}` : `spin-transfer-${r.config.state}-N${r.config.N}-L${r.config.L}`;
  }

  private exportJson = (): void => {
    // A sweep's table exactly as the CLI writes sweep.json.
    if (this.sweepShown()) download('sweep.json', `${JSON.stringify(this.sweep!.result, null, 1)}\n`, 'application/json');
    else if (this.shown) download(`${this.fileBase()}.json`, resultJson(this.shown), 'application/json');
  };

  private exportCsv = (): void => {
    if (this.sweepShown()) download('sweep.csv', sweepCsv(this.sweep!.result), 'text/csv');
    else if (this.shown) {
      // What is drawn, and ⟨S_z,j⟩ of every site even where a map shows them.
      const { charts, csvOnly } = this.view();
      download(`${this.fileBase()}.csv`, chartsToCsv([...charts, ...csvOnly]), 'text/csv');
    }
  };

  private exportPng = async (): Promise<void> => {
    if (this.sweepShown()) {
      const chart = this.renderRoot.querySelector('st-sweep-chart') as SweepChart | null;
      if (chart?.canvas) download('sweep.png', await composePng([{ title: chart.shadowRoot?.querySelector('h3')?.textContent ?? 'sweep', canvas: chart.canvas }], `spin-transfer — sweep ${this.sweep!.result.sweep}`, 1));
      return;
    }
    const view = this.renderRoot.querySelector('st-result-view') as ResultView | null;
    if (!this.shown || !view) return;
    const heading = isStudyResult(this.shown) ? `spin-transfer — ${presetById(this.preset)?.title ?? this.shown.study}` : `spin-transfer — ${runLabel(this.shown.config)} (${this.shown.backend})`;
    download(`${this.fileBase()}.png`, await composePng(view.panels(), heading));
  };

  private onImport = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (!files.length) return;
    await this.importFiles(files);
  };

  /**
   * Imports files at once: a result JSON, or a sweep.json with any of its
   * point files (points/NAME.json), or point files of the sweep shown. Each
   * file is checked on its own; a refused one is named with the reason and
   * the others still load.
   */
  async importFiles(files: readonly { name: string; text(): Promise<string> }[]): Promise<void> {
    if (this.status === 'running' || this.status === 'cancelling') return;
    const parsed: { name: string; file: ImportedFile }[] = [];
    const refused: string[] = [];
    for (const f of files) {
      try {
        // Refused by its size before it is read: a 100 MB file must not stall the page.
        const size = (f as { size?: unknown }).size;
        if (typeof size === 'number') checkImportSize(size);
        parsed.push({ name: f.name, file: parseImportJson(await f.text()) });
      } catch (err) {
        refused.push(`${f.name}: ${(err as Error).message}`);
      }
    }
    const done: string[] = [];
    const sweeps = parsed.filter((p) => p.file.kind === 'sweep');
    if (sweeps.length) {
      const first = sweeps[0];
      this.showSweep((first.file as Extract<ImportedFile, { kind: 'sweep' }>).sweep, new Map());
      const r = this.sweep!.result;
      done.push(`${first.name} (sweep ${r.sweep}: ${r.rows.filter((x) => x.status === 'done').length} of ${r.points} done, ${r.failed.length} failed, ${r.missing.length} missing)`);
      for (const other of sweeps.slice(1)) refused.push(`${other.name}: one sweep at a time (${first.name} is shown)`);
    }
    const points = parsed.filter((p) => p.file.kind === 'point').map((p) => ({ name: p.name, point: (p.file as Extract<ImportedFile, { kind: 'point' }>).point }));
    if (points.length) {
      if (!this.sweep) {
        for (const p of points) refused.push(`${p.name}: a point of sweep ${p.point.sweep}: import its sweep.json first, or with it`);
      } else {
        const added = this.addPoints(points, refused);
        if (added) done.push(`${added} point file${added > 1 ? 's' : ''}`);
      }
    }
    const results = parsed.filter((p) => p.file.kind === 'result');
    if (results.length) {
      if (sweeps.length || points.length) for (const p of results) refused.push(`${p.name}: a run or study result: import it on its own`);
      else {
        this.showResult((results[0].file as Extract<ImportedFile, { kind: 'result' }>).result);
        done.push(results[0].name);
        for (const p of results.slice(1)) refused.push(`${p.name}: one result at a time (${results[0].name} is shown)`);
      }
    }
    const refusedText = refused.length ? ` Not imported: ${refused.join('; ')}` : '';
    if (done.length) {
      this.status = 'done';
      this.message = `Imported ${done.join(' and ')}.${refusedText}`;
    } else {
      this.status = 'error';
      this.message = `Not imported: ${refused.join('; ')}`;
    }
  }

  /** Point files for the sweep shown: each must be of this sweep (its id, index and parameters). Returns how many were taken. */
  private addPoints(points: { name: string; point: SweepPointFile }[], refused: string[]): number {
    const view = this.sweep!;
    const results = new Map(view.results);
    let added = 0;
    for (const { name, point } of points) {
      const why = pointMismatch(view.result, point);
      if (why) refused.push(`${name}: ${why}`);
      else if (!point.result) refused.push(`${name}: point ${point.index} failed and holds no result (${point.row.error ?? 'no error given'})`);
      else {
        results.set(point.index, point.result);
        added++;
      }
    }
    this.sweep = { ...view, results };
    if (added) this.sweepNote = '';
    return added;
  }

  /** Shows a sweep's table made elsewhere: the form takes its base config, the sweep field its grid. */
  private showSweep(result: SweepResult, results: Map<number, SimulationResult>): void {
    this.values = inputToForm(result.base as Record<string, unknown>);
    if (Object.keys(result.grid).length <= 2 && result.mode === 'product') this.sweepGrid = gridLines(result.grid);
    this.preset = 'sweep';
    this.partial = undefined;
    this.studyOutcomes = [];
    this.progress = undefined;
    this.backendInfo = undefined;
    this.gpuBudget = undefined;
    this.shown = undefined;
    this.openedPoint = undefined;
    this.sweepNote = '';
    this.sweep = { result, results };
    this.complete = result;
    this.status = 'done';
  }

  /**
   * Shows a result made elsewhere (an import): the form takes its config, the
   * presets its study; a sweep's table (sweep.json) shows as the Sweep preset.
   */
  showResult(result: JobResult, message = 'Result loaded.'): void {
    if (this.status === 'running' || this.status === 'cancelling') throw new Error('a run is going; cancel it first');
    if (isSweepResult(result)) {
      this.showSweep(result, new Map());
      this.message = message;
      return;
    }
    this.sweep = undefined;
    this.config = result.config;
    if (isStudyResult(result)) {
      // The spin study has no preset of its own (it runs from the CLI): its charts show under "run".
      if (presetById(this.preset)?.study !== result.study) this.preset = result.study === 'fig4' ? 'fig4a' : result.study === 'spin' ? 'run' : result.study;
    } else {
      this.preset = 'run';
    }
    this.partial = undefined;
    this.studyOutcomes = [];
    this.progress = undefined;
    this.backendInfo = undefined;
    this.gpuBudget = undefined;
    this.complete = result;
    this.shown = result;
    this.status = 'done';
    this.message = message;
  }
}

customElements.define('spin-transfer-dashboard', SpinTransferDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'spin-transfer-dashboard': SpinTransferDashboard;
  }
}
