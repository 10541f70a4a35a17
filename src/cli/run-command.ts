/**
 * `spin-transfer run`: one config in, one result JSON out. Everything that can
 * be refused is refused before the run starts (the config, its size, the
 * output path), so a long run does not end in an error that was knowable at
 * its start. The result is written only once it is complete.
 */

import { ConfigError, outputTimes, parseRunConfig, type RunConfig } from '../model/config.js';
import { layoutForConfig } from '../model/layout.js';
import { CheckpointError, checkCheckpointConfig, type Checkpoint } from '../propagator/checkpoint.js';
import { planRun, sectorAdvice, simulate } from '../simulate.js';
import { DEFAULT_CHECKPOINT_SECONDS, readCheckpointFile, removeCheckpointFile, writeCheckpointFile } from './checkpoint-file.js';
import type { RunArgs } from './commands.js';
import { InputError } from './errors.js';
import { writeText, type CliIo } from './io.js';
import { createProgressReporter } from './progress.js';
import { configSourceName, parseConfigJson, readConfigText } from './read-config.js';
import { throwIfCancelled, untilCancelled } from './signals.js';
import { describeBackend, describeConfig, describeSize, summarize } from './summary.js';
import { packageVersion } from './version.js';
import { checkOutputPath, writeFileAtomic } from './write-result.js';

export async function runCommand(args: RunArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  try {
    await run(args, io, signal);
  } catch (e) {
    // Name the file whose value is refused: a script may run many.
    if (e instanceof ConfigError && args.config !== undefined) throw new InputError(`${configSourceName(args.config)}: ${e.message}`, { cause: e });
    throw e;
  }
}

async function run(args: RunArgs, io: CliIo, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  const info = (line: string) => {
    if (!args.quiet) io.stderr.write(`${line}\n`);
  };

  // A checkpoint to resume is read and verified first: refused before any work.
  const resume = args.resume === undefined ? undefined : await untilCancelled(readCheckpointFile(args.resume), signal);
  let config: RunConfig;
  let source: string;
  if (args.config !== undefined) {
    source = configSourceName(args.config);
    if (args.config === '-' && io.stdin.isTTY) info('reading the run config from stdin (end it with Ctrl-D)');
    const text = await untilCancelled(readConfigText(args.config, io.stdin), signal);
    config = parseRunConfig(parseConfigJson(text, source));
    if (resume) checkResumable(resume, config, args.resume!, source);
  } else {
    config = resume!.config;
    source = `of the checkpoint ${args.resume}`;
  }
  const dim = layoutForConfig(config).dim;
  if (args.out !== undefined) await checkOutputPath(args.out);
  if (args.checkpoint !== undefined && args.checkpoint !== args.resume) await checkOutputPath(args.checkpoint, '--checkpoint');
  throwIfCancelled(signal);

  info(describeConfig(config, source));
  const plan = planRun(config, resume?.outputsPerExpansion);
  info(describeSize(dim, plan.bytesNeeded, plan.bytesAllowed));
  const advice = sectorAdvice(config);
  if (advice) info(advice);
  if (resume) info(describeResume(resume, args.resume!, outputTimes(config).length - 1));

  const progress = args.quiet ? undefined : createProgressReporter(io.stderr, { tEnd: config.tEnd });
  const checkpointPath = args.checkpoint;
  let result;
  try {
    result = await untilCancelled(
      simulate(config, {
        backend: args.backend,
        threads: args.threads,
        signal,
        onBackend: (name, description, reason) => {
          info(describeBackend(name, description, reason));
          if (resume && (resume.backend !== name || resume.backendDescription !== description)) {
            info(
              `note: the checkpoint was written by ${resume.backend} (${resume.backendDescription}): ` +
                'the result agrees with an uninterrupted run within the backend tolerance, not bit for bit',
            );
          }
        },
        onProgress: (p) => progress?.update(p),
        resumeFrom: resume,
        checkpoint: checkpointPath === undefined ? undefined : {
          everySeconds: args.checkpointEvery ?? DEFAULT_CHECKPOINT_SECONDS,
          codeVersion: packageVersion(),
          // A checkpoint that cannot be written (a full disk, a folder gone) costs the
          // run its insurance, not its result: say so and go on.
          write: (cp) =>
            writeCheckpointFile(checkpointPath, cp).catch((e: Error) => {
              io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}warning: checkpoint ${checkpointPath} not written at t = ${cp.t} fs: ${e.message}; the run goes on\n`);
            }),
        },
      }),
      signal,
    );
  } finally {
    progress?.stop();
  }

  const json = `${JSON.stringify(result)}\n`;
  if (args.out !== undefined) await writeFileAtomic(args.out, json, signal);
  else await writeText(io.stdout, json);
  // The result is written: its checkpoint has nothing left to give.
  if (checkpointPath !== undefined) {
    await removeCheckpointFile(checkpointPath);
    info(`checkpoint ${checkpointPath} removed (the run is complete)`);
  }

  info(summarize(result, (performance.now() - started) / 1000, args.out ?? 'written to stdout'));
}

/** A config given next to --resume must be the checkpoint's own. */
function checkResumable(checkpoint: Checkpoint, config: RunConfig, path: string, source: string): void {
  try {
    checkCheckpointConfig(checkpoint, config, source);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(e.problem, `${path}: ${e.message}`, { cause: e });
    throw e;
  }
}

function describeResume(checkpoint: Checkpoint, path: string, steps: number): string {
  const mine = packageVersion();
  const version = checkpoint.codeVersion === mine ? '' : `; written by spin-transfer ${checkpoint.codeVersion}, continued by ${mine}`;
  return `resumed from ${path} at t = ${checkpoint.t} fs (output ${checkpoint.step} of ${steps}${version})`;
}
