/**
 * What `spin-transfer run` adds for checkpoints: the config and checkpoint of
 * a resumed run (read and verified before any work), the checkpoint options
 * of simulate(), and the lines it says on stderr. Kept apart from
 * run-command.ts, which only calls these.
 */

import { ConfigError, outputTimes, parseRunConfig, type RunConfig } from '../model/config.js';
import { CheckpointError, checkCheckpointConfig, type Checkpoint } from '../propagator/checkpoint.js';
import type { CheckpointOptions } from '../simulate.js';
import { checkpointPathHolds, DEFAULT_CHECKPOINT_SECONDS, readCheckpointFile, writeCheckpointFile } from './checkpoint-file.js';
import { withBasis, type RunArgs } from './commands.js';
import { InputError } from './errors.js';
import type { CliIo } from './io.js';
import { configSourceName, parseConfigJson, readConfigText } from './read-config.js';
import { untilCancelled } from './signals.js';
import { checkOutputPath } from './write-result.js';
import { packageVersion } from './version.js';

export interface RunInput {
  config: RunConfig;
  /** How messages name the config. */
  source: string;
  /** The checkpoint of --resume, verified and of this config. */
  resume?: Checkpoint;
}

/**
 * The run's config and, with --resume, its checkpoint: the checkpoint is read
 * and verified first, then the config (from CONFIG.json, which must then be
 * the checkpoint's own, or from the checkpoint). Refusals are CheckpointError,
 * ConfigError (as InputError naming the file) or InputError: all bad input.
 */
export async function readRunInput(args: RunArgs, io: CliIo, signal: AbortSignal, info: (line: string) => void): Promise<RunInput> {
  const resume = args.resume === undefined ? undefined : await untilCancelled(readCheckpointFile(args.resume), signal);
  if (args.checkpoint !== undefined && args.checkpoint !== args.resume) {
    await checkOutputPath(args.checkpoint, '--checkpoint');
    // A typo such as --checkpoint result.json must not cost the user that file.
    const holds = await checkpointPathHolds(args.checkpoint);
    if (holds === 'other') throw new InputError(`--checkpoint ${args.checkpoint}: the file exists and is not a checkpoint; refusing to overwrite it`);
    if (holds === 'checkpoint') {
      info(`note: ${args.checkpoint} holds a checkpoint already: this run replaces it (--resume ${args.checkpoint} would continue it instead)`);
    }
  }
  let config: RunConfig;
  let source: string;
  if (args.config === undefined) {
    // --basis with --resume alone must agree with the checkpoint: it says the same thing twice.
    source = args.basis === undefined ? `of the checkpoint ${args.resume}` : '--basis';
    config = { ...resume!.config, basis: args.basis ?? resume!.config.basis };
  } else {
    source = configSourceName(args.config);
    if (args.config === '-' && io.stdin.isTTY) info('reading the run config from stdin (end it with Ctrl-D)');
    const text = await untilCancelled(readConfigText(args.config, io.stdin), signal);
    try {
      config = parseRunConfig(withBasis(parseConfigJson(text, source), args.basis));
    } catch (e) {
      // Name the file whose value is refused: a script may run many.
      if (e instanceof ConfigError) throw new InputError(`${source}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  if (resume) {
    try {
      checkCheckpointConfig(resume, config, source);
    } catch (e) {
      if (e instanceof CheckpointError) throw new CheckpointError(e.problem, `${args.resume}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  if (args.config === undefined) source = `of the checkpoint ${args.resume}`;
  return { config, source, resume };
}

/** simulate()'s checkpoint option for --checkpoint, or undefined without it. */
export function checkpointOptions(args: RunArgs, io: CliIo): CheckpointOptions | undefined {
  const path = args.checkpoint;
  if (path === undefined) return undefined;
  return {
    everySeconds: args.checkpointEvery ?? DEFAULT_CHECKPOINT_SECONDS,
    codeVersion: packageVersion(),
    // The state goes to the file piece by piece: the host never holds it whole.
    // A checkpoint that cannot be written (a full disk, a folder gone) costs the
    // run its insurance, not its result: say so (even under --quiet) and go on.
    writeStreamed: (cp) =>
      writeCheckpointFile(path, cp).catch((e: Error) => {
        io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}warning: checkpoint ${path} not written at t = ${cp.t} fs: ${e.message}; the run goes on\n`);
      }),
  };
}

/** "resumed from FILE at t = 20 fs (output 40 of 160)", and which version wrote it when not this one. */
export function describeResume(checkpoint: Checkpoint, path: string): string {
  const steps = outputTimes(checkpoint.config).length - 1;
  const mine = packageVersion();
  const version = checkpoint.codeVersion === mine ? '' : `; written by spin-transfer ${checkpoint.codeVersion}, continued by ${mine}`;
  return `resumed from ${path} at t = ${checkpoint.t} fs (output ${checkpoint.step} of ${steps}${version})`;
}

/** A line when the backend that resumes is not the one that wrote the checkpoint; undefined when it is. */
export function resumeBackendNote(checkpoint: Checkpoint, name: string, description: string): string | undefined {
  if (checkpoint.backend === name && checkpoint.backendDescription === description) return undefined;
  return `note: the checkpoint was written by ${checkpoint.backend} (${checkpoint.backendDescription}): ` +
    'the result agrees with an uninterrupted run within the backend tolerance, not bit for bit';
}
