/**
 * The subcommands of spin-transfer and their typed options. args.ts splits the
 * command line; this module says which commands exist and turns their raw
 * strings into checked values. To add a subcommand: a CommandSpec in COMMANDS,
 * an Invocation variant, a case in parseInvocation, its help in usage.ts.
 */

import { BACKEND_NAMES, type BackendName } from '../backends/select.js';
import { parseCommandLine, UsageError, type CommandSpec } from './args.js';

export interface RunArgs {
  /** Path of the run config, or "-" for stdin. */
  config: string;
  backend: BackendName;
  threads: number | 'auto';
  /** Result path; undefined writes the result to stdout. */
  out?: string;
  quiet: boolean;
  debug: boolean;
}

export type Invocation =
  | { kind: 'help'; command?: string }
  | { kind: 'version' }
  | { kind: 'run'; args: RunArgs };

const RUN: CommandSpec = {
  name: 'run',
  positionals: ['CONFIG.json'],
  options: [
    { name: 'backend', value: 'NAME' },
    { name: 'threads', value: 'N' },
    { name: 'out', short: 'o', value: 'FILE' },
    { name: 'quiet', short: 'q' },
    { name: 'debug' },
  ],
};

export const COMMANDS: readonly CommandSpec[] = [RUN];

/** Parses argv (without "node" and the script). Throws UsageError for anything it cannot accept. */
export function parseInvocation(argv: readonly string[]): Invocation {
  const line = parseCommandLine(argv, COMMANDS);
  if (line.kind !== 'command') return line;
  switch (line.command) {
    case 'run': {
      const o = line.options;
      const args: RunArgs = {
        config: line.positionals[0],
        backend: parseBackend(o.backend),
        threads: parseThreads(o.threads),
        quiet: o.quiet === true,
        debug: o.debug === true,
      };
      if (o.out !== undefined) args.out = nonEmpty('out', o.out as string, 'run');
      return { kind: 'run', args };
    }
    default:
      throw new UsageError(`unknown command "${line.command}"`);
  }
}

function parseBackend(value: string | true | undefined): BackendName {
  if (value === undefined) return 'auto';
  if (!(BACKEND_NAMES as readonly unknown[]).includes(value)) {
    throw new UsageError(`--backend "${String(value)}" is not allowed; allowed: ${BACKEND_NAMES.join(', ')}`, 'run');
  }
  return value as BackendName;
}

function parseThreads(value: string | true | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(Number.isSafeInteger(n) && n >= 1)) {
    throw new UsageError(`--threads "${String(value)}" is not allowed; allowed: an integer >= 1 or "auto"`, 'run');
  }
  return n;
}

function nonEmpty(name: string, value: string, command: string): string {
  if (value === '') throw new UsageError(`--${name} needs a non-empty value`, command);
  return value;
}
