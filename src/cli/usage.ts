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
  spin-transfer study NAME [options]        run one of the paper's studies
                                            (fig2a, fig2b, fig3, fig4)
  spin-transfer help [COMMAND]              show help (also -h, --help)
  spin-transfer --version                   print the version (also -V)

'spin-transfer run --help' and 'spin-transfer study --help' list the options.

${EXIT_STATUS}
`;

export const RUN_HELP = `Usage: spin-transfer run CONFIG.json [options]

Runs one simulation. CONFIG.json is a run config: a JSON object whose omitted
keys take the paper's defaults; '-' reads it from stdin. The result JSON goes
to stdout, or to FILE with --out. Which backend runs and why, the state size,
progress and a final summary go to stderr.

Options:
  --backend NAME   ${BACKEND_NAMES.join(' | ')} (default auto)
  --basis NAME     full | sector: overrides the config's "basis" (sector: the
                   fixed-S_z sector, the same results from far fewer amplitudes;
                   runs on cpu and webgpu)
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

export const STUDY_HELP = `Usage: spin-transfer study NAME [--config BASE.json] [options]

Runs one of the paper's studies from a base run config (omitted: the paper's
defaults) and writes, into the folder --out:
  NAME.json   the study (the JSON of INTERFACE.md, Studies, plus the base
              config, the backend and one record per run)
  NAME.csv    every series (fig4 also writes fig4-series.csv)
  NAME.svg    the figure
The files are written only once the study is complete.

Studies:
  fig2a  Delta sigma_z(t) for singlet, T0, T-, T+ and one spin-down electron
  fig2b  final Delta sigma_z against the packet distance d, for singlet, T0, T-
  fig3   spin-state probabilities for sdTerms zz, flip and full, from a singlet
         and from a T0 start
  fig4   final Delta sigma_z against theta over K angles in [0, 2 pi), from
         two propagations; its theta average against one spin-down electron;
         the fit C + D cos(theta + phi0)

Options:
  -c, --config FILE  the base run config ('-' reads stdin)
  --backend NAME     ${BACKEND_NAMES.join(' | ')} (default auto)
  --basis NAME       full | sector: overrides the base config's "basis"
  --threads N        CPU worker threads: an integer >= 1, or auto (default auto)
  -o, --out DIR      output folder, created if missing (default .)
  --d LIST           fig2b: distances, e.g. 10,20,30 (default 10,20,30,40,50,60)
  --points K         fig4: number of angles, 3 … 4096 (default 16)
  -q, --quiet        write only errors and "cancelled" to stderr
  --debug            show the stack trace of an unexpected error
  -h, --help         show this help

Each finished run is kept in DIR/.NAME-runs/ until the study is complete: a
study stopped by Ctrl-C resumes from the runs it finished when it is run again
with the same arguments.

${EXIT_STATUS}
`;

/** The help of one command, or of the program when `command` is undefined. */
export function helpText(command?: string): string {
  return command === 'run' ? RUN_HELP : command === 'study' ? STUDY_HELP : MAIN_HELP;
}

/** What a usage error adds: where to read the usage. */
export function usageHint(command?: string): string {
  return command ? `see 'spin-transfer ${command} --help'` : `see 'spin-transfer --help'`;
}
