/**
 * `spin-transfer study NAME`: one of the paper's studies from a base config.
 * Writes OUT/NAME.json (INTERFACE.md, Studies), the CSV of every series and
 * the figure as SVG, each file atomically and only once the study is whole.
 * Finished runs are kept in OUT/.NAME-runs/ until then, so a study stopped
 * by Ctrl-C (or a crash) resumes from them when run again with the same
 * arguments.
 */

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, parseRunConfig } from '../model/config.js';
import { runStudy, type StudyOptions } from '../studies/run-study.js';
import { studyCsvFiles, studyFigureSvg } from '../studies/study-export.js';
import type { StudyProgress } from '../studies/jobs.js';
import type { StudyResult } from '../studies/study-result.js';
import { withBasis, type StudyArgs } from './commands.js';
import { InputError } from './errors.js';
import type { CliIo } from './io.js';
import { createProgressReporter, formatDuration } from './progress.js';
import { configSourceName, parseConfigJson, readConfigText } from './read-config.js';
import { directoryCache } from './run-cache-dir.js';
import { throwIfCancelled, untilCancelled } from './signals.js';
import { describeBackend, describeConfig } from './summary.js';
import { checkOutputPath, writeFileAtomic } from './write-result.js';

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
    signal,
    cache,
    onBackend: (name, description, reason) => info(describeBackend(name, description, reason)),
  };
  if (args.d !== undefined) options.d = args.d;
  if (args.points !== undefined) options.points = args.points;
  if (args.L !== undefined) options.L = args.L;

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

  // Data first, the figure last: a study is complete when its JSON is there.
  for (const file of studyCsvFiles(result)) await writeFileAtomic(join(args.out, file.name), file.text, signal);
  await writeFileAtomic(join(args.out, `${args.name}.svg`), `${studyFigureSvg(result)}\n`, signal);
  await writeFileAtomic(jsonPath, `${JSON.stringify(result)}\n`, signal);
  await cache.clear();

  const resumed = result.runs.filter((r) => r.resumed).length;
  info(
    `done in ${formatDuration((performance.now() - started) / 1000)} wall: ${result.runs.length} runs on ${result.backend} ` +
      `(${result.precision})${resumed ? `, ${resumed} resumed from an earlier attempt` : ''}; ` +
      `largest drift: norm ${maxOf(result, 'normDrift').toExponential(1)}, total S_z ${maxOf(result, 'totalSzDrift').toExponential(1)}`,
  );
  info(`wrote ${jsonPath}, its CSV and ${join(args.out, `${args.name}.svg`)}`);
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
