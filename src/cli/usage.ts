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
       cannot be written, a checkpoint that cannot be resumed (checked
       before the run)
  130  interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM)`;

export const MAIN_HELP = `spin-transfer: quantum spin transfer from a spin-correlated electron pair
to a chain of local spins, with an exact Chebyshev propagator.

Usage:
  spin-transfer run CONFIG.json [options]   run one simulation
  spin-transfer study NAME [options]        run one of the paper's studies
                                            (fig2a, fig2b, fig3, fig4), the
                                            chain-length study (length) or
                                            the local-spin study (spin)
  spin-transfer sweep --grid KEY=VALUES … --out DIR [options]
                                            run a parameter sweep (also from a
                                            sweep file; sharded; on Slurm)
  spin-transfer sweep merge DIR [DIR…]      assemble a sharded sweep's table
                                            (and a sharded study's files)
  spin-transfer help [COMMAND]              show help (also -h, --help)
  spin-transfer --version                   print the version (also -V)

'spin-transfer run --help', 'spin-transfer study --help' and
'spin-transfer sweep --help' list the options.

${EXIT_STATUS}
`;

export const RUN_HELP = `Usage: spin-transfer run CONFIG.json [options]
       spin-transfer run --resume FILE [options]

Runs one simulation. CONFIG.json is a run config: a JSON object whose omitted
keys take the paper's defaults; '-' reads it from stdin. The result JSON goes
to stdout, or to FILE with --out. Which backend runs and why, the state size,
progress and a final summary go to stderr.

Options:
  --backend NAME   ${BACKEND_NAMES.join(' | ')} (default auto)
  --basis NAME     auto | full | sector | antisymmetric: overrides the
                   config's "basis" (default auto: the fastest basis the
                   backend runs for the state: antisymmetric for two electrons
                   on cpu and webgpu (on webgpu the sector for the keys beyond
                   the paper), sector for one electron, full on gpu.js;
                   sector: the fixed-S_z sector, the same results from far
                   fewer amplitudes; antisymmetric: the sector with one
                   amplitude per exchange pair of the two electrons, about half
                   the sector, cpu and webgpu; full: the canonical layout)
  --threads N      CPU worker threads: an integer 1 … 256, or auto (default auto)
  --gpu-memory BYTES
                   cap on the WebGPU backend's buffers together: bytes, or
                   8G / 512M / 8GiB (powers of 1024), 8GB (powers of 1000);
                   a state that needs more is refused before allocating
                   (exit 2). Without it only the adapter's buffer limits (and,
                   on a software adapter, host memory) bound the run
  -o, --out FILE   write the result to FILE (via a temporary file in the same
                   directory, renamed when complete: FILE is whole or untouched)
  --checkpoint FILE
                   write a checkpoint to FILE (atomically, as --out) between
                   Chebyshev expansions, every --checkpoint-every; removed
                   once the result is written
  --checkpoint-every DURATION
                   time between checkpoints: a number with its unit s, m or h
                   (30s, 10m, 2h; default 10m; 0s: every expansion)
  --resume FILE    continue the run checkpointed in FILE (its config; a
                   CONFIG.json given too must be the same config) and go on
                   checkpointing into FILE, or into --checkpoint
  -q, --quiet      write only errors and "cancelled" to stderr
  --debug          show the stack trace of an unexpected error
  -h, --help       show this help

SIGINT (Ctrl-C) or SIGTERM stops the run: it prints "cancelled", writes no
result, and exits 130 or 143. A run resumed from a checkpoint writes the
result the uninterrupted run writes: the same numbers on the CPU backend with
the same --threads (only "timing" differs), within the backend's tolerance
otherwise. A checkpoint of another config or basis, of another checkpoint
format version, truncated or corrupted (its length and SHA-256 are checked)
is refused before the run, with exit status 2.

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

fig2b, length and spin are sweeps: their points (d x state; L x state;
S x state) run as a
sweep into DIR/NAME-sweep/ (docs/sweeps.md): each point's full result in
points/, written as it finishes, a running point checkpointed, the sweep's
table sweep.json; and they take --shard, --slurm and --checkpoint-every.

Studies:
  fig2a  Delta sigma_z(t) for singlet, T0, T-, T+ and one spin-down electron
  fig2b  final Delta sigma_z against the packet distance d, for singlet, T0, T-
  fig3   spin-state probabilities for sdTerms zz, flip and full, from a singlet
         and from a T0 start
  fig4   final Delta sigma_z against theta over K angles in [0, 2 pi), from
         two propagations; its theta average against one spin-down electron;
         the fit C + D cos(theta + phi0)
  length final Delta sigma_z against the chain length L, for singlet, T0, T-
         and one spin-down electron: for each L the chain is centred, the
         packets start before it and tEnd is when the pair has crossed it
         (a tEnd in the base config is checked instead); chains longer
         than 24 spins run in basis sector (auto takes it)
  spin   final Delta sigma_z against the local spin S (--S), for singlet, T0,
         T- and one spin-down electron, in basis sector; --scaling classical
         keeps Jsd S and Jex S^2 at their S = 1/2 values, fixed the couplings

Options:
  -c, --config FILE  the base run config ('-' reads stdin)
  --backend NAME     ${BACKEND_NAMES.join(' | ')} (default auto)
  --basis NAME       auto | full | sector | antisymmetric: overrides the base config's "basis"
  --threads N        CPU worker threads: an integer 1 … 256, or auto (default auto)
  --gpu-memory BYTES cap on the WebGPU backend's buffers per run (8G, 512M,
                     8GiB, 8GB, or bytes), as for 'run'
  -o, --out DIR      output folder, created if missing (default .)
  --d LIST           fig2b: distances, e.g. 10,20,30 (default 10,20,30,40,50,60)
  --points K         fig4: number of angles, 3 … 4096 (default 16)
  --L LIST           length: chain lengths, e.g. 2,4,8 (default 2,4,8,16,32,64)
  --S LIST           spin: local spins S, e.g. 0.5,1,1.5 (default 0.5,1,1.5,2,2.5);
                     the study runs in basis sector
  --scaling NAME     spin: fixed (default; the couplings as given) or classical
                     (Jsd S and Jex S^2 kept at their S = 1/2 values)
  --shard I/N        fig2b, length, spin: run only the points whose index mod N is
                     I into DIR/NAME-sweep; once all shards are done, the same
                     command without --shard (or 'sweep merge DIR/NAME-sweep')
                     writes the study
  --slurm N          fig2b, length, spin: write DIR/NAME-sweep/sweep.sbatch (a job
                     array of N tasks, task i running this study with
                     --shard i/N) and merge.sbatch ('sweep merge', which also
                     writes the study); run nothing
  --slurm-args ARGS  #SBATCH options for the array (see 'sweep --help')
  --submit           with --slurm: submit both and print the job ids
  --checkpoint-every DURATION
                     fig2b, length, spin: a running point checkpoints this often
                     (default 10m; 0s: every expansion; off: never)
  -q, --quiet        write only errors and "cancelled" to stderr
  --debug            show the stack trace of an unexpected error
  -h, --help         show this help

Resume: run the same command again. fig2a, fig3 and fig4 keep each finished
run in DIR/.NAME-runs/ until the study is complete; fig2b, length and spin keep
their points in DIR/NAME-sweep/ (a point killed mid-run continues from its
checkpoint), and refuse a DIR whose NAME-sweep holds another --d, --L, --S or base
config.

${EXIT_STATUS}
`;

export const SWEEP_HELP = `Usage: spin-transfer sweep --grid KEY=VALUES [--grid KEY=VALUES …] [--zip] [-c BASE.json] --out DIR [options]
       spin-transfer sweep SWEEP.json --out DIR [options]
       spin-transfer sweep merge DIR [DIR…]

Runs one simulation per point of a grid of run-config keys, from a base config
(omitted: the paper's defaults), and writes into the folder --out:
  points/NAME.json  each point's full result, written as soon as it finishes
  sweep.json        the base config, the grid and one row per point: its
                    parameters, final and largest Delta sigma_z, final
                    probabilities, drift of norm, energy and total S_z,
                    backend, wall time; failed and missing points named
  sweep.csv         the same rows, one line each
  sweep.svg, .png   final Delta sigma_z against the swept key (one curve per
                    state when state is swept too), or a heatmap for two keys
  sweep-spec.json   the sweep (base, grid, mode): itself a sweep file

VALUES is a list (Jsd=0.1,0.2,0.3; state=singlet,T0,T-) or, for numeric keys,
a range a:b:n (Jsd=0.05:0.5:10: n evenly spaced values, ends included). The
points are the product of the lists (the first key varies slowest), or with
--zip the lists read side by side (all of one length). A sweep file is
{"base": {…}, "grid": {"Jsd": [0.1, 0.2], "d": "10:60:6"}, "mode": "product"}.
Every point is checked before the first run; a bad one is refused naming the
point, the key, the value and the allowed range.

Options:
  --grid KEY=VALUES  a swept key and its values (repeat for more keys)
  --zip              pair the lists instead of taking their product
  -c, --config FILE  the base run config ('-' reads stdin)
  --backend NAME     ${BACKEND_NAMES.join(' | ')} (default auto)
  --threads N        CPU worker threads: an integer >= 1, or auto (default auto)
  --gpu-memory BYTES cap on the WebGPU backend's buffers per point (8G, 512M,
                     8GiB, 8GB, or bytes), as for 'run'; a point above it fails
  --basis auto|full|sector|antisymmetric  the base config's basis (also a grid key)
  -o, --out DIR      output folder, created if missing (required)
  --shard I/N        run only the points whose index mod N is I (I from 0);
                     then 'sweep merge DIR' assembles the table
  --slurm N          write DIR/sweep.sbatch (a Slurm job array of N tasks, task
                     i running --shard i/N with these arguments; --threads
                     auto becomes the task's $SLURM_CPUS_PER_TASK, default 1)
                     and DIR/merge.sbatch (runs 'sweep merge DIR'); run nothing
  --slurm-args ARGS  #SBATCH options for the array, e.g.
                     "--partition=gpu --gres=gpu:1 --time=02:00:00" (the merge
                     job gets --partition, --account, --qos among them)
  --submit           with --slurm: submit both (the merge with
                     --dependency=afterok:<array id>) and print the job ids
  --checkpoint-every DURATION
                     a running point writes DIR/points/.NAME.checkpoint this
                     often (s, m or h; default 10m; 0s: every expansion; off:
                     never); run again after a kill, it continues from there
  -q, --quiet        write only errors and "cancelled" to stderr
  --debug            show the stack trace of an unexpected error
  -h, --help         show this help

Resume: run the same command again. Points already in DIR/points are kept;
failed points run again; a point killed mid-run continues from its checkpoint. A DIR that holds another sweep (another grid or base
config) is refused: choose another --out or delete DIR to start fresh.
merge reads the points of every DIR given, writes the table into the first
DIR (copying the points it lacks) and names every point missing or failed;
for a study's folder (DIR/NAME-sweep of 'study fig2b' or 'study length')
it also writes the study's files into the folder above, once all are done.

Exit status:
  0    success
  1    a point failed, or (merge) points are missing or failed: each is named
  2    bad input: usage, an unreadable file, invalid JSON, a point's config
       out of range, a folder holding another sweep (checked before any run)
  130  interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM)
`;

/** The help of one command, or of the program when `command` is undefined. */
export function helpText(command?: string): string {
  return command === 'run' ? RUN_HELP : command === 'study' ? STUDY_HELP : command === 'sweep' ? SWEEP_HELP : MAIN_HELP;
}

/** What a usage error adds: where to read the usage. */
export function usageHint(command?: string): string {
  return command ? `see 'spin-transfer ${command} --help'` : `see 'spin-transfer --help'`;
}
