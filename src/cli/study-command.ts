/**
 * `spin-transfer study NAME`: one of the paper's studies from a base config.
 * Writes OUT/NAME.json (INTERFACE.md, Studies), the CSV of every series and
 * the figure as SVG, each file atomically and only once the study is whole.
 *
 * The studies that are sweeps (fig2b, length) run their points as a sweep
 * into OUT/NAME-sweep/ (runPlanInFolder: the sweep's folder, resume,
 * checkpoints, shards and Slurm scripts); the others (fig2a, fig3, fig4) are
 * a few jobs, kept in OUT/.NAME-runs/ until the study is written, so a study
 * stopped by Ctrl-C (or a crash) resumes from them when run again with the
 * same arguments.
 */

import { describeGpuMemory } from '../backends/webgpu/memory-budget.js';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, parseRunConfig } from '../model/config.js';
import { planStudy, runStudy, type StudyOptions } from '../studies/run-study.js';
import type { StudyProgress } from '../studies/jobs.js';
import type { StudyResult } from '../studies/study-result.js';
import { isSweepStudy, type SweepStudyPlan } from '../studies/study-sweep.js';
import { checkpointReplay, failIfIncomplete, gpuMemoryReplay, runPlanInFolder, type FolderRun } from './sweep-command.js';
import { SPEC_FILE } from './sweep-store.js';
import { writeStudyFiles } from './study-files.js';
import { withBasis, type StudyArgs } from './commands.js';
import { InputError } from './errors.js';
import type { CliIo } from './io.js';
import { createProgressReporter, formatDuration } from './progress.js';
import { configSourceName, parseConfigJson, readConfigText } from './read-config.js';
import { directoryCache } from './run-cache-dir.js';
import { throwIfCancelled, untilCancelled } from './signals.js';
import { describeBackend, describeBasis, describeConfig } from './summary.js';
import { runWarnings } from '../model/warnings.js';
import { checkOutputPath } from './write-result.js';

export async function studyCommand(args: StudyArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  try {
    await study(args, io, signal);
  } catch (e) {
    if (e instanceof ConfigError && e.key === 'd' && args.d !== undefined) {
      throw new InputError(`--d ${args.d.join(',')}: ${e.message}`, { cause: e });
    }
    if (e instanceof ConfigError && args.config !== undefined) {
      throw new InputError(`${configSourceName(args.config)}: ${e.message}`, { cause: e });
    }
    // Option values the study refuses (points, d) are the user's to fix.
    if (e instanceof RangeError) throw new InputError(e.message, { cause: e });
    throw e;
  }
}

async function study(args: StudyArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  const info = (line: string) => {
    if (!args.quiet) io.stderr.write(`${line}\n`);
  };
  const source = args.config === undefined ? 'the paper defaults' : configSourceName(args.config);
  const base = args.config === undefined
    ? {}
    : parseConfigJson(await untilCancelled(readConfigText(args.config, io.stdin), signal), source);
  const baseInput = withBasis(base, args.basis);
  const config = parseRunConfig(baseInput);
  for (const warning of runWarnings(config)) info(`warning (base config): ${warning}`);
  if (isSweepStudy(args.name)) {
    await sweepStudy(args, baseInput, io, signal, info, `study ${args.name}: ${describeConfig(config, source)}`, started);
    return;
  }

  await mkdir(args.out, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    const why = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'a file of that name is in the way' : e.message;
    throw new InputError(`cannot use --out ${args.out} as the output folder: ${why}`, { cause: e });
  });
  const jsonPath = join(args.out, `${args.name}.json`);
  await checkOutputPath(jsonPath);
  throwIfCancelled(signal);

  const cache = directoryCache(join(args.out, `.${args.name}-runs`));
  const options: StudyOptions = {
    backend: args.backend,
    threads: args.threads,
    gpuMemory: args.gpuMemory,
    signal,
    cache,
    onBackend: (name, description, reason, basis) => {
      info(describeBackend(name, description, reason));
      if (basis) info(describeBasis(basis));
    },
    onGpuMemory: (budget) => info(describeGpuMemory(budget)),
  };
  if (args.d !== undefined) options.d = args.d;
  if (args.points !== undefined) options.points = args.points;
  if (args.L !== undefined) options.L = args.L;
  if (args.S !== undefined) options.S = args.S;
  if (args.scaling !== undefined) options.scaling = args.scaling;

  info(`study ${args.name}: ${describeConfig(config, source)}`);
  const progress = args.quiet ? undefined : createProgressReporter<StudyProgress>(io.stderr, { format: studyProgressText });
  options.onProgress = (p) => progress?.update(p);
  let result: StudyResult;
  try {
    // The base as written: the length study sets tEnd per L unless the base names one.
    result = await untilCancelled(runStudy(args.name, baseInput, options), signal);
  } finally {
    progress?.stop();
  }

  // Data first, the JSON last: a study is complete when its JSON is there.
  await writeStudyFiles(args.out, result, signal);
  await cache.clear();
  finished(result, args, started, info);
}

/** The summary lines of a written study. */
function finished(result: StudyResult, args: StudyArgs, started: number, info: (line: string) => void): void {
  const jsonPath = join(args.out, `${args.name}.json`);
  const resumed = result.runs.filter((r) => r.resumed).length;
  info(
    `done in ${formatDuration((performance.now() - started) / 1000)} wall: ${result.runs.length} runs on ${result.backend} ` +
      `(${result.precision})${resumed ? `, ${resumed} resumed from an earlier attempt` : ''}; ` +
      `largest drift: norm ${maxOf(result, 'normDrift').toExponential(1)}, total S_z ${maxOf(result, 'totalSzDrift').toExponential(1)}`,
  );
  info(`wrote ${jsonPath}, its CSV and ${join(args.out, `${args.name}.svg`)}`);
}

/**
 * fig2b and length: the study's points as a sweep in OUT/NAME-sweep/ (each
 * point's full result in points/, written as it finishes; a running point
 * checkpointed), then the study's files from the sweep's table. With --shard,
 * only that shard's points (assembled later by the same command without
 * --shard, or by 'sweep merge OUT/NAME-sweep'); with --slurm, the job scripts.
 */
async function sweepStudy(
  args: StudyArgs, baseInput: unknown, io: CliIo, signal: AbortSignal, info: (line: string) => void, header: string, started: number,
): Promise<void> {
  const options: StudyOptions = {};
  if (args.d !== undefined) options.d = args.d;
  if (args.L !== undefined) options.L = args.L;
  if (args.S !== undefined) options.S = args.S;
  if (args.scaling !== undefined) options.scaling = args.scaling;
  const plan = planStudy(args.name, baseInput, options) as SweepStudyPlan<StudyResult>;
  await mkdir(args.out, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    const why = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'a file of that name is in the way' : e.message;
    throw new InputError(`cannot use --out ${args.out} as the output folder: ${why}`, { cause: e });
  });
  const folder = sweepFolder(args.out, args.name);
  if (!args.shard && args.slurm === undefined) await checkOutputPath(join(args.out, `${args.name}.json`));
  throwIfCancelled(signal);
  info(header);

  const resumed = new Set<number>();
  const run: FolderRun = {
    out: folder, backend: args.backend, threads: args.threads, gpuMemory: args.gpuMemory, shard: args.shard, quiet: args.quiet,
    checkpointEvery: args.checkpointEvery, study: args.name,
    onPointDone: (point, row, full) => {
      if (!full && row.status === 'done') resumed.add(point.index);
    },
  };
  if (args.slurm !== undefined) {
    run.slurm = {
      tasks: args.slurm, slurmArgs: args.slurmArgs, submit: args.submit, command: studyReplay(args), mergeCommand: ['sweep', 'merge', resolve(folder)],
    };
  }
  const table = await runPlanInFolder(plan.sweep, run, io, signal);
  if (!table || args.shard) return;
  failIfIncomplete(table);
  const result = plan.assemble(table, resumed);
  await writeStudyFiles(args.out, result, signal);
  finished(result, args, started, info);
}

/** Where a sweep study keeps its points: OUT/NAME-sweep, a sweep folder of its own, so studies can share OUT. */
export function sweepFolder(out: string, name: string): string {
  return join(out, `${name}-sweep`);
}

/** What each Slurm task runs: the same study (the script adds --threads and --shard). */
function studyReplay(args: StudyArgs): string[] {
  const out = resolve(args.out);
  const tail = ['--backend', args.backend, ...gpuMemoryReplay(args.gpuMemory), ...checkpointReplay(args.checkpointEvery), ...(args.quiet ? ['-q'] : []), ...(args.debug ? ['--debug'] : [])];
  // A base read from stdin cannot be read again on a node: the tasks run the study's own sweep file, the same points.
  if (args.config === '-') {
    const folder = resolve(sweepFolder(args.out, args.name));
    return ['sweep', join(folder, SPEC_FILE), '--out', folder, ...tail];
  }
  const replay = ['study', args.name];
  if (args.config !== undefined) replay.push('--config', resolve(args.config));
  if (args.basis !== undefined) replay.push('--basis', args.basis);
  if (args.d !== undefined) replay.push('--d', args.d.join(','));
  if (args.L !== undefined) replay.push('--L', args.L.join(','));
  if (args.S !== undefined) replay.push('--S', args.S.join(','));
  if (args.scaling !== undefined) replay.push('--scaling', args.scaling);
  replay.push('--out', out, ...tail);
  return replay;
}

function maxOf(result: StudyResult, key: 'normDrift' | 'totalSzDrift'): number {
  return Math.max(...result.runs.map((r) => r[key]));
}

/** "42.0%  run 3/18 d=20 T0  t = 33.5 fs  elapsed 1m02s  ETA 3m10s" */
export function studyProgressText(p: StudyProgress): string {
  const eta = p.etaSeconds === undefined ? '?' : formatDuration(p.etaSeconds);
  const run = Math.min(p.runsDone + 1, p.runs);
  const t = p.t === undefined ? '' : `  t = ${Number(p.t.toPrecision(6))} fs`;
  return `${(100 * p.fraction).toFixed(1).padStart(5)}%  run ${run}/${p.runs} ${p.label}${t}  elapsed ${formatDuration(p.elapsedSeconds)}  ETA ${eta}`;
}
