/**
 * The help texts. They are the CLI's only documentation besides the README,
 * so each line states what the code does (test/cli checks the key claims).
 */

import { BACKEND_NAMES } from '../backends/select.js';

const EXIT_STATUS = `Exit status:
  0    success
  1    runtime failure
  2    bad input: usage, an unreadable config file, invalid JSON, a config
       value out of range, a state too large for memory, an --out path that
       cannot be written (checked before the run)
  130  interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM)`;

export const MAIN_HELP = `spin-transfer: quantum spin transfer from a spin-correlated electron pair
to a chain of local spins, with an exact Chebyshev propagator.

Usage:
  spin-transfer run CONFIG.json [options]   run one simulation
  spin-transfer help [COMMAND]              show help (also -h, --help)
  spin-transfer --version                   print the version (also -V)

'spin-transfer run --help' lists the run options.

${EXIT_STATUS}
`;

export const RUN_HELP = `Usage: spin-transfer run CONFIG.json [options]

Runs one simulation. CONFIG.json is a run config: a JSON object whose omitted
keys take the paper's defaults; '-' reads it from stdin. The result JSON goes
to stdout, or to FILE with --out. Which backend runs and why, the state size,
progress and a final summary go to stderr.

Options:
  --backend NAME   ${BACKEND_NAMES.join(' | ')} (default auto)
  --threads N      CPU worker threads: an integer >= 1, or auto (default auto)
  -o, --out FILE   write the result to FILE (via a temporary file in the same
                   directory, renamed when complete: FILE is whole or untouched)
  -q, --quiet      write only errors and "cancelled" to stderr
  --debug          show the stack trace of an unexpected error
  -h, --help       show this help

SIGINT (Ctrl-C) or SIGTERM stops the run: it prints "cancelled", writes no
result, and exits 130 or 143.

${EXIT_STATUS}
`;

/** The help of one command, or of the program when `command` is undefined. */
export function helpText(command?: string): string {
  return command === 'run' ? RUN_HELP : MAIN_HELP;
}

/** What a usage error adds: where to read the usage. */
export function usageHint(command?: string): string {
  return command ? `see 'spin-transfer ${command} --help'` : `see 'spin-transfer --help'`;
}
