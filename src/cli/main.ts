/**
 * The spin-transfer command: parse, dispatch, turn the outcome into an exit
 * status. main() never exits the process itself (tests call it in-process);
 * runCli() does, because after a cancel the run's worker threads may still be
 * finishing their current expansion, and the process should not wait for them.
 */

import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args.js';
import { parseInvocation, type Invocation } from './commands.js';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, errorText, isBadInput } from './errors.js';
import { processIo, writeText, type CliIo } from './io.js';
import { runCommand } from './run-command.js';
import { studyCommand } from './study-command.js';
import { sweepCommand, sweepMergeCommand } from './sweep-command.js';
import { SIGNAL_EXIT_CODES, trapTermination } from './signals.js';
import { helpText, usageHint } from './usage.js';
import { packageVersion } from './version.js';

/** Runs the command line `argv` (without "node" and the script) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseInvocation(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`spin-transfer: ${e.message}\n${usageHint(e.command)}\n`);
    return EXIT_BAD_INPUT;
  }

  switch (invocation.kind) {
    case 'help':
      await writeText(io.stdout, helpText(invocation.command));
      return EXIT_OK;
    case 'version':
      await writeText(io.stdout, `spin-transfer ${packageVersion()}\n`);
      return EXIT_OK;
    case 'run': {
      const { args } = invocation;
      return withSignals(io, args.debug, (signal) => runCommand(args, io, signal));
    }
    case 'study': {
      const { args } = invocation;
      return withSignals(io, args.debug, (signal) => studyCommand(args, io, signal));
    }
    case 'sweep': {
      const { args } = invocation;
      return withSignals(io, args.debug, (signal) => sweepCommand(args, io, signal));
    }
    case 'sweep-merge': {
      const { args } = invocation;
      return withSignals(io, args.debug, (signal) => sweepMergeCommand(args, io, signal));
    }
  }
}

/** Runs a command that can be cancelled by SIGINT/SIGTERM, and maps its outcome to an exit status. */
async function withSignals(io: CliIo, debug: boolean, command: (signal: AbortSignal) => Promise<void>): Promise<number> {
  const trap = trapTermination(io.signals);
  try {
    await command(trap.signal);
    return EXIT_OK;
  } catch (e) {
    const signal = trap.received();
    if (signal) {
      // Whatever the run threw after a signal is a consequence of the cancel.
      io.stderr.write('cancelled\n');
      return SIGNAL_EXIT_CODES[signal];
    }
    io.stderr.write(`${errorText(e, debug)}\n`);
    return isBadInput(e) ? EXIT_BAD_INPUT : EXIT_FAILURE;
  } finally {
    trap.release();
  }
}

/** Runs main on the process's arguments and exits with its status, once stdout and stderr have taken everything. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    process.stderr.write(`${errorText(e, true)}\n`);
    code = EXIT_FAILURE;
  }
  await Promise.all([process.stdout, process.stderr].map((s) => writeText(s, '').catch(() => undefined)));
  process.exit(code);
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

if (invokedDirectly()) void runCli();
