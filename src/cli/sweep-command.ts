/**
 * `spin-transfer sweep`: many runs from one base config over a grid of
 * parameters, into one folder (docs/sweeps.md). Every point is checked
 * before the first run; each finished point is written at once
 * (DIR/points/NAME.json), so a sweep stopped by Ctrl-C, a crash or a killed
 * job resumes when run again with the same arguments; a folder that holds
 * another sweep is refused. `--shard I/N` runs a share of the points;
 * `--slurm N` writes (and with --submit, submits) the Slurm job array that
 * runs the shards and the job that merges them; `sweep merge DIR…` assembles
 * the table from the shards' points.
 */

import { describeGpuMemory } from '../backends/webgpu/memory-budget.js';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { ConfigError } from '../model/config.js';
import { checkGrid, parseGridArgument, parseSweepFile, type SweepGrid, type SweepMode, type SweepPoint, type SweepSpec } from '../sweeps/grid.js';
import { assembleSweep, planSweep, runSweep, shardPoints, type Shard, type SweepPlan, type SweepResult, type SweepRow, type SweepStore } from '../sweeps/run-sweep.js';
import type { BackendName } from '../backends/select.js';
import { sweepCsv, sweepFigure, sweepFigurePng, sweepFigureSvg } from '../sweeps/sweep-export.js';
import type { StudyProgress } from '../studies/jobs.js';
import type { SweepArgs, SweepMergeArgs } from './commands.js';
import { InputError, ReportedFailure } from './errors.js';
import type { CliIo } from './io.js';
import { createProgressReporter, formatDuration } from './progress.js';
import { configSourceName, parseConfigJson, readConfigText } from './read-config.js';
import { throwIfCancelled, untilCancelled } from './signals.js';
import { cliPath, submitLines, submitSlurm, writeSlurmScripts } from './slurm.js';
import { describeBackend, describeBasis } from './summary.js';
import { checkpointPath, claimFolder, directorySweepStore, pointPath, POINTS_DIR, readSpecFile, SPEC_FILE, type SpecFile } from './sweep-store.js';
import { DEFAULT_CHECKPOINT_SECONDS, removeCheckpointFile, simulateWithCheckpoint } from './checkpoint-file.js';
import { describeResume } from './run-checkpoint.js';
import { writeStudyFiles } from './study-files.js';
import type { SimulateOptions } from '../simulate.js';
import type { SimulationResult } from '../model/result.js';
import { planStudy } from '../studies/run-study.js';
import type { StudyResult } from '../studies/study-result.js';
import { isSweepStudy, SWEEP_STUDIES, type SweepStudyPlan } from '../studies/study-sweep.js';
import { checkOutputPath, writeFileAtomic } from './write-result.js';

/** Points that failed or are missing: exit status 1, with every one named. */
export class IncompleteSweepError extends ReportedFailure {}

export async function sweepCommand(args: SweepArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  try {
    await sweep(args, io, signal);
  } catch (e) {
    if (e instanceof ConfigError) {
      const source = args.file ?? (args.config !== undefined ? configSourceName(args.config) : 'the sweep');
      throw new InputError(`${source}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/** The sweep's spec from a sweep file, or from --grid, --zip and --config; --basis sets the base's basis. */
async function readSpec(args: SweepArgs, io: CliIo, signal: AbortSignal): Promise<SweepSpec> {
  let spec: SweepSpec;
  if (args.file !== undefined) {
    const source = configSourceName(args.file);
    spec = parseSweepFile(parseConfigJson(await untilCancelled(readConfigText(args.file, io.stdin), signal), source));
  } else {
    const mode: SweepMode = args.zip ? 'zip' : 'product';
    const grid: SweepGrid = {};
    for (const text of args.grid) {
      const { key, values } = parseGridArgument(text);
      if (key in grid) throw new InputError(`--grid ${key} is given twice; give each key once (a list or a range)`);
      grid[key] = values;
    }
    const base = args.config === undefined
      ? {}
      : parseConfigJson(await untilCancelled(readConfigText(args.config, io.stdin), signal), configSourceName(args.config));
    if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new ConfigError('', base, 'a JSON object');
    spec = { base: base as SweepSpec['base'], grid: checkGrid(grid, mode), mode };
  }
  if (args.basis !== undefined) spec.base = { ...spec.base, basis: args.basis };
  return spec;
}

async function sweep(args: SweepArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  const info = (line: string) => {
    if (!args.quiet) io.stderr.write(`${line}\n`);
  };
  const spec = await readSpec(args, io, signal);
  const plan = planSweep(spec);
  const run: FolderRun = {
    out: args.out, backend: args.backend, threads: args.threads, gpuMemory: args.gpuMemory, shard: args.shard, quiet: args.quiet,
    checkpointEvery: args.checkpointEvery,
  };
  if (args.slurm !== undefined) {
    run.slurm = { tasks: args.slurm, slurmArgs: args.slurmArgs, submit: args.submit, command: slurmReplay(args) };
  }
  const result = await runPlanInFolder(plan, run, io, signal);
  if (result && !args.shard) {
    info(`done in ${formatDuration((performance.now() - started) / 1000)} wall: ${summary(result)}`);
    failIfIncomplete(result);
  }
}

/** The command each array task runs: the same sweep (without --threads, --shard and the Slurm options, which the script adds). */
function slurmReplay(args: SweepArgs): string[] {
  const dir = resolve(args.out);
  // A config read from stdin cannot be read again on a node: the tasks run the folder's own sweep file instead.
  if (args.config === '-') {
    return ['sweep', join(dir, SPEC_FILE), '--backend', args.backend, ...gpuMemoryReplay(args.gpuMemory), '--out', dir, ...checkpointReplay(args.checkpointEvery), ...(args.quiet ? ['-q'] : [])];
  }
  const replay = ['sweep'];
  if (args.file !== undefined) replay.push(resolve(args.file));
  for (const g of args.grid) replay.push('--grid', g);
  if (args.zip) replay.push('--zip');
  if (args.config !== undefined) replay.push('--config', resolve(args.config));
  if (args.basis !== undefined) replay.push('--basis', args.basis);
  replay.push('--backend', args.backend, ...gpuMemoryReplay(args.gpuMemory), '--out', dir, ...checkpointReplay(args.checkpointEvery));
  if (args.quiet) replay.push('-q');
  if (args.debug) replay.push('--debug');
  return replay;
}

/** --gpu-memory in bytes, for a job script (each task runs under the same cap). */
export function gpuMemoryReplay(bytes: number | undefined): string[] {
  return bytes === undefined ? [] : ['--gpu-memory', String(bytes)];
}

/** --checkpoint-every as the command line gave it (in seconds), for a job script. */
export function checkpointReplay(every: number | 'off' | undefined): string[] {
  return every === undefined ? [] : ['--checkpoint-every', every === 'off' ? 'off' : `${every}s`];
}

/** How a plan of points runs into a folder: the sweep's, and any study that is a list of points. */
export interface FolderRun {
  out: string;
  backend: BackendName;
  threads: number | 'auto';
  /** Cap on the WebGPU backend's buffers, bytes (--gpu-memory). */
  gpuMemory?: number;
  /** Run only this shard's points, and write no table (merge does). */
  shard?: Shard;
  quiet: boolean;
  /**
   * Seconds between the checkpoints of a running point (DIR/points/.NAME.checkpoint;
   * 0: after every expansion; default 10 minutes), or "off". A point killed
   * mid-run resumes from its checkpoint when the sweep runs again.
   */
  checkpointEvery?: number | 'off';
  /** The study this plan is (recorded in the folder's sweep file, so merge writes the study's files too). */
  study?: string;
  /** Each point as it finishes or fails (resumed points too, without a result). */
  onPointDone?: (point: SweepPoint, row: SweepRow, result?: SimulationResult) => void;
  /**
   * Write DIR/sweep.sbatch and DIR/merge.sbatch (and with submit, submit them)
   * instead of running. `command`: what each task runs, after the CLI path,
   * without --threads and --shard (the script adds both); `mergeCommand`: what
   * the merge job runs (default: sweep merge DIR).
   */
  slurm?: { tasks: number; slurmArgs: string[]; submit: boolean; command: string[]; mergeCommand?: string[] };
}

/**
 * Runs a plan into a folder: claims it (refusing a folder of another plan),
 * checks the table can be written, then runs the points (this shard's), each
 * written as it finishes, resuming the ones already there. Without a shard,
 * writes sweep.csv, the figures and sweep.json and resolves to the table; a
 * shard resolves to what the folder holds after it (no table written); with
 * slurm, writes the job scripts and resolves to undefined. Failed points of a
 * shard throw IncompleteSweepError; those of a whole run are in the table.
 */
export async function runPlanInFolder(plan: SweepPlan, run: FolderRun, io: CliIo, signal: AbortSignal): Promise<SweepResult | undefined> {
  const started = performance.now();
  const info = (line: string) => {
    if (!run.quiet) io.stderr.write(`${line}\n`);
  };
  const mine = shardPoints(plan.points, run.shard);
  await makeFolder(run.out);
  await checkOutputPath(join(run.out, 'sweep.json'));
  await claimFolder(run.out, plan, run.study);
  throwIfCancelled(signal);

  const keys = Object.keys(plan.spec.grid);
  info(
    `sweep ${plan.id}: ${plan.points.length} points over ${keys.join(plan.spec.mode === 'zip' ? ' with ' : ' × ')}` +
      `${plan.spec.mode === 'zip' ? ' (zipped)' : ''}` + (run.shard ? `; shard ${run.shard.index}/${run.shard.count}: ${mine.length} of them` : ''),
  );

  if (run.slurm !== undefined) {
    await slurm(run, plan, info, io);
    return undefined;
  }

  const files = directorySweepStore(run.out, plan.id);
  const progress = run.quiet ? undefined : createProgressReporter<StudyProgress>(io.stderr, { format: sweepProgressText });
  const every = run.checkpointEvery ?? DEFAULT_CHECKPOINT_SECONDS;
  if (every !== 'off') await mkdir(join(run.out, POINTS_DIR), { recursive: true });
  /** A line above the progress bar, even under --quiet when it warns. */
  const say = (line: string, always = false) => {
    if (run.quiet && !always) return;
    if (io.stderr.isTTY) io.stderr.write('\r\x1b[K');
    io.stderr.write(`${line}\n`);
  };
  // Each point checkpoints into DIR/points/.NAME.checkpoint and, run again after a kill, continues from it.
  const runPoint = every === 'off' ? undefined : (point: SweepPoint, options: SimulateOptions) => {
    const path = checkpointPath(run.out, point);
    return simulateWithCheckpoint(point.config, path, {
      ...options,
      everySeconds: every,
      // Removed once the point's file is written (below), not before: a kill in between must not lose the point.
      keep: true,
      onResume: (cp) => say(`point ${point.name}: ${describeResume(cp, path)}`),
      onDiscard: (e) => say(`point ${point.name}: ${e.message}; the point starts afresh`),
      onWriteError: (e, cp) => say(`warning: point ${point.name}: checkpoint ${path} not written at t = ${cp.t} fs: ${e.message}; the point goes on`, true),
    });
  };
  const store: SweepStore = {
    get: (point) => files.get(point),
    async put(point, row, result) {
      await files.put(point, row, result);
      if (runPoint && row.status === 'done') await removeCheckpointFile(checkpointPath(run.out, point));
    },
  };
  let failedHere = 0, resumed = 0;
  let result: SweepResult;
  try {
    result = await untilCancelled(
      runSweep(plan, {
        backend: run.backend,
        threads: run.threads,
        gpuMemory: run.gpuMemory,
        signal,
        shard: run.shard,
        store,
        runPoint,
        onBackend: (name, description, reason, basis) => {
          info(describeBackend(name, description, reason));
          if (basis) info(describeBasis(basis));
        },
        onGpuMemory: (budget) => info(describeGpuMemory(budget)),
        onProgress: (p) => progress?.update(p),
        onPointDone: (point, row, full) => {
          run.onPointDone?.(point, row, full);
          if (!full && row.status === 'done') resumed++;
          if (row.status === 'failed') {
            failedHere++;
            progress?.stop();
            info(`point ${point.name} failed: ${row.error}`);
          }
        },
      }),
      signal,
    );
  } finally {
    progress?.stop();
  }

  if (resumed) info(`${resumed} point(s) resumed from an earlier attempt (${join(run.out, 'points')})`);
  if (run.shard) {
    const mineDone = result.rows.filter((r) => r.status === 'done' && r.index % run.shard!.count === run.shard!.index).length;
    info(
      `shard ${run.shard.index}/${run.shard.count} done in ${formatDuration((performance.now() - started) / 1000)} wall: ` +
        `${mineDone} of its ${mine.length} points${failedHere ? `, ${failedHere} failed` : ''}; ` +
        `the folder holds ${result.rows.filter((r) => r.status === 'done').length} of ${plan.points.length}. ` +
        `Once every shard is done: spin-transfer sweep merge ${run.out}` +
        (run.study ? ` (or the same study command without --shard)` : ''),
    );
    if (failedHere) {
      throw new IncompleteSweepError(`${failedHere} point(s) of shard ${run.shard.index}/${run.shard.count} failed (each is in ${join(run.out, 'points')}, with its error)`);
    }
    return result;
  }
  await writeSweepFiles(run.out, result, info, signal);
  return result;
}

async function slurm(run: FolderRun, plan: SweepPlan, info: (line: string) => void, io: CliIo): Promise<void> {
  const dir = resolve(run.out);
  const s = run.slurm!;
  const scripts = await writeSlurmScripts({
    dir, cwd: process.cwd(), node: process.execPath, cli: cliPath(), command: s.command, mergeCommand: s.mergeCommand ?? ['sweep', 'merge', dir],
    threads: run.threads, tasks: s.tasks, slurmArgs: s.slurmArgs,
  });
  if (s.tasks > plan.points.length) info(`note: ${s.tasks} tasks for ${plan.points.length} points: tasks ${plan.points.length} … ${s.tasks - 1} have nothing to run`);
  info(`wrote ${relative(process.cwd(), scripts.sweep) || scripts.sweep} (a job array of ${s.tasks} tasks) and ${relative(process.cwd(), scripts.merge) || scripts.merge}`);
  if (!s.submit) {
    info('submit them with:');
    for (const line of submitLines(scripts)) io.stdout.write(`${line}\n`);
    return;
  }
  const ids = await submitSlurm(scripts);
  io.stdout.write(`${ids.array} ${ids.merge}\n`);
  info(`submitted: array job ${ids.array} (${s.tasks} tasks), merge job ${ids.merge} (runs once the array has succeeded); the table will be ${join(dir, 'sweep.json')}`);
}

/** `spin-transfer sweep merge DIR…`: the table from the points of one or several folders, written into the first. */
export async function sweepMergeCommand(args: SweepMergeArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  const info = (line: string) => {
    if (!args.quiet) io.stderr.write(`${line}\n`);
  };
  const specs = await Promise.all(args.dirs.map(async (dir) => ({ dir, spec: await readSpecFile(dir) })));
  const withSpec = specs.filter((s) => s.spec !== undefined);
  if (withSpec.length === 0) {
    throw new InputError(`no sweep to merge: none of ${args.dirs.join(', ')} holds ${SPEC_FILE} (written by 'spin-transfer sweep … --out DIR')`);
  }
  const first = withSpec[0];
  for (const s of withSpec) {
    if (s.spec!.sweep !== first.spec!.sweep) {
      throw new InputError(`${s.dir} holds another sweep (${s.spec!.sweep}) than ${first.dir} (${first.spec!.sweep}): merge only the folders of one sweep`);
    }
  }
  let plan: SweepPlan;
  try {
    plan = planSweep(parseSweepFile(first.spec));
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(`${join(first.dir, SPEC_FILE)}: ${e.message}`, { cause: e });
    throw e;
  }
  const out = args.dirs[0];
  await makeFolder(out);
  await claimFolder(out, plan);
  const stores = args.dirs.map((dir) => ({ dir, store: directorySweepStore(dir, plan.id) }));
  const rows = new Map<number, SweepRow>();
  const target = stores[0].store;
  for (const point of plan.points) {
    throwIfCancelled(signal);
    let failed: SweepRow | undefined;
    for (const { store } of stores) {
      const row = await store.get(point);
      if (row?.status === 'done') {
        rows.set(point.index, row);
        // Gather the point's full result into the first folder, so it holds the whole sweep.
        if (store !== target && (await target.get(point))?.status !== 'done') {
          await mkdir(join(out, 'points'), { recursive: true });
          await writeFileAtomic(pointPath(out, point), (await store.readFile(point))!, signal);
        }
        failed = undefined;
        break;
      }
      if (row) failed ??= row;
    }
    if (failed && !rows.has(point.index)) rows.set(point.index, failed);
  }
  const result = assembleSweep(plan, rows);
  await writeSweepFiles(out, result, info, signal);
  info(`merged ${args.dirs.length} folder(s) in ${formatDuration((performance.now() - started) / 1000)}: ${summary(result)}`);
  failIfIncomplete(result);
  if (first.spec!.study !== undefined) await writeMergedStudy(first.spec!, plan, result, relative(process.cwd(), dirname(resolve(out))) || '.', info, signal);
}

/** A study's sweep folder, merged whole: the study's files (NAME.json, CSV, SVG) into the folder above it. */
async function writeMergedStudy(spec: SpecFile, plan: SweepPlan, result: SweepResult, dir: string, info: (line: string) => void, signal: AbortSignal): Promise<void> {
  const name = spec.study!;
  if (!isSweepStudy(name)) throw new InputError(`${SPEC_FILE} names the study "${name}", which is not a study that runs as a sweep (${SWEEP_STUDIES.join(', ')})`);
  // The spin study's "classical" scaling sets Jsd and Jex per point (derived keys); "fixed" sets none.
  const options = name === 'fig2b' ? { d: plan.spec.grid.d as number[] }
    : name === 'spin' ? { S: plan.spec.grid.localSpin as number[], scaling: plan.spec.derived?.some((d) => 'Jsd' in d) ? 'classical' as const : 'fixed' as const }
      : { L: plan.spec.grid.L as number[] };
  const study = planStudy(name, spec.base, options) as SweepStudyPlan<StudyResult>;
  if (study.sweep.id !== plan.id) {
    throw new InputError(`${SPEC_FILE} says it is the ${name} study, but its points are not that study's (another code version?): run 'spin-transfer study ${name}' again into a new folder`);
  }
  const written = await writeStudyFiles(dir, study.assemble(result), signal);
  info(`wrote the ${name} study: ${written.join(', ')}`);
}

/** sweep.csv, the figure (SVG and PNG) and sweep.json last: the table is whole when sweep.json is there. */
async function writeSweepFiles(dir: string, result: SweepResult, info: (line: string) => void, signal: AbortSignal): Promise<void> {
  await writeFileAtomic(join(dir, 'sweep.csv'), sweepCsv(result), signal);
  const figure = sweepFigure(result);
  if (figure.kind === 'none') {
    info(figure.reason);
  } else {
    await writeFileAtomic(join(dir, 'sweep.svg'), sweepFigureSvg(result)!, signal);
    await writeFileAtomic(join(dir, 'sweep.png'), sweepFigurePng(result, (data) => deflateSync(data))!, signal);
  }
  await writeFileAtomic(join(dir, 'sweep.json'), `${JSON.stringify(result, null, 1)}\n`, signal);
  info(`wrote ${join(dir, 'sweep.json')}, sweep.csv${figure.kind === 'none' ? '' : ', sweep.svg and sweep.png'}`);
}

export function summary(result: SweepResult): string {
  const done = result.rows.filter((r) => r.status === 'done');
  const norm = Math.max(0, ...done.map((r) => r.normDrift ?? 0));
  return (
    `${done.length} of ${result.points} points done on ${result.backend} (${result.precision})` +
    `${result.failed.length ? `, ${result.failed.length} failed` : ''}${result.missing.length ? `, ${result.missing.length} missing` : ''}` +
    (done.length ? `; largest norm drift ${norm.toExponential(1)}` : '')
  );
}

export function failIfIncomplete(result: SweepResult): void {
  if (result.complete) return;
  const lines: string[] = [];
  if (result.failed.length) {
    lines.push(`${result.failed.length} point(s) failed:`, ...result.failed.map((f) => `  ${f.name}: ${f.error}`));
  }
  if (result.missing.length) {
    const shown = result.missing.slice(0, 20).map((m) => `  ${m.name}`);
    if (result.missing.length > 20) shown.push(`  … and ${result.missing.length - 20} more`);
    lines.push(`${result.missing.length} point(s) missing (not run yet, or their shard has not finished):`, ...shown);
  }
  throw new IncompleteSweepError(`the sweep is incomplete (${result.points - result.failed.length - result.missing.length} of ${result.points} done); sweep.json lists what is there.\n${lines.join('\n')}`);
}

async function makeFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    const why = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'a file of that name is in the way' : e.message;
    throw new InputError(`cannot use --out ${dir} as the output folder: ${why}`, { cause: e });
  });
}

/** "42.0%  point 3/18 Jsd=0.2, state=T0  t = 33.5 fs  elapsed 1m02s  ETA 3m10s" */
export function sweepProgressText(p: StudyProgress): string {
  const eta = p.etaSeconds === undefined ? '?' : formatDuration(p.etaSeconds);
  const point = Math.min(p.runsDone + 1, p.runs);
  const t = p.t === undefined ? '' : `  t = ${Number(p.t.toPrecision(6))} fs`;
  return `${(100 * p.fraction).toFixed(1).padStart(5)}%  point ${point}/${p.runs} ${p.label}${t}  elapsed ${formatDuration(p.elapsedSeconds)}  ETA ${eta}`;
}
