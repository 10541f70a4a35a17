/**
 * The subcommands of spin-transfer and their typed options. args.ts splits the
 * command line; this module says which commands exist and turns their raw
 * strings into checked values. To add a subcommand: a CommandSpec in COMMANDS,
 * an Invocation variant, a case in parseInvocation, its help in usage.ts.
 */

import { BACKEND_NAMES, type BackendName } from '../backends/select.js';
import { BYTE_SIZE_FORMS, parseByteSize } from '../backends/webgpu/memory-budget.js';
import { BASIS_SETTINGS, LOCAL_SPINS, type BasisSetting } from '../model/config.js';
import { FIG4_POINTS_RANGE, isStudyName } from '../studies/run-study.js';
import { STUDY_NAMES, type StudyName } from '../studies/study-result.js';
import { isSweepStudy, SWEEP_STUDIES } from '../studies/study-sweep.js';
import { parseCommandLine, UsageError, type CommandSpec } from './args.js';

export interface RunArgs {
  /** Path of the run config, or "-" for stdin; may be left out with --resume (the checkpoint holds it). */
  config?: string;
  backend: BackendName;
  /** Overrides the config's `basis` key. */
  basis?: BasisSetting;
  threads: number | 'auto';
  /** --gpu-memory: cap on the WebGPU backend's buffers together, bytes. */
  gpuMemory?: number;
  /** Result path; undefined writes the result to stdout. */
  out?: string;
  quiet: boolean;
  debug: boolean;
  /** Checkpoint file to write (with --resume and no --checkpoint: the file resumed from). */
  checkpoint?: string;
  /** Seconds between checkpoints. */
  checkpointEvery?: number;
  /** Checkpoint file to continue from. */
  resume?: string;
}

export interface StudyArgs {
  name: StudyName;
  /** Path of the base run config ("-" for stdin); undefined takes the paper defaults. */
  config?: string;
  backend: BackendName;
  /** Overrides the base config's `basis` key. */
  basis?: BasisSetting;
  threads: number | 'auto';
  /** --gpu-memory: cap on the WebGPU backend's buffers together, bytes. */
  gpuMemory?: number;
  /** Output folder (created if missing). */
  out: string;
  /** fig2b: packet distances. */
  d?: number[];
  /** fig4: number of angles. */
  points?: number;
  /** length: chain lengths. */
  L?: number[];
  /** spin: the local spins S, and how the couplings scale with S. */
  S?: number[];
  scaling?: 'fixed' | 'classical';
  /** fig2b, length (the studies that are sweeps): run only this shard's points. */
  shard?: Shard;
  /** fig2b, length: write the Slurm job array of this many tasks (and the merge job) instead of running. */
  slurm?: number;
  slurmArgs: string[];
  submit: boolean;
  /** fig2b, length: seconds between a running point's checkpoints, or "off". */
  checkpointEvery?: number | 'off';
  quiet: boolean;
  debug: boolean;
}

export interface Shard {
  index: number;
  count: number;
}

export interface SweepArgs {
  /** A sweep file (base config and grid), instead of --grid and --config. */
  file?: string;
  /** The raw --grid values, in order ("Jsd=0.1,0.2", "d=10:60:6"). */
  grid: string[];
  zip: boolean;
  /** Path of the base run config ("-" for stdin); undefined takes the paper defaults. */
  config?: string;
  backend: BackendName;
  threads: number | 'auto';
  /** --gpu-memory: cap on the WebGPU backend's buffers together, bytes. */
  gpuMemory?: number;
  /** Sets the base config's basis. */
  basis?: BasisSetting;
  /** Output folder (created if missing). */
  out: string;
  shard?: Shard;
  /** Seconds between a running point's checkpoints (DIR/points/.NAME.checkpoint), or "off". */
  checkpointEvery?: number | 'off';
  /** Write DIR/sweep.sbatch (an array of this many tasks) and DIR/merge.sbatch instead of running. */
  slurm?: number;
  /** Extra #SBATCH options for the array (split at white space). */
  slurmArgs: string[];
  /** Submit both scripts with sbatch. */
  submit: boolean;
  quiet: boolean;
  debug: boolean;
}

export interface SweepMergeArgs {
  dirs: string[];
  quiet: boolean;
  debug: boolean;
}

export type Invocation =
  | { kind: 'help'; command?: string }
  | { kind: 'version' }
  | { kind: 'run'; args: RunArgs }
  | { kind: 'study'; args: StudyArgs }
  | { kind: 'sweep'; args: SweepArgs }
  | { kind: 'sweep-merge'; args: SweepMergeArgs };

const RUN: CommandSpec = {
  name: 'run',
  positionals: ['CONFIG.json'],
  required: 0,
  options: [
    { name: 'backend', value: 'NAME' },
    { name: 'basis', value: 'NAME' },
    { name: 'threads', value: 'N' },
    { name: 'gpu-memory', value: 'BYTES' },
    { name: 'out', short: 'o', value: 'FILE' },
    { name: 'checkpoint', value: 'FILE' },
    { name: 'checkpoint-every', value: 'DURATION' },
    { name: 'resume', value: 'FILE' },
    { name: 'quiet', short: 'q' },
    { name: 'debug' },
  ],
};

const STUDY: CommandSpec = {
  name: 'study',
  positionals: ['NAME'],
  options: [
    { name: 'config', short: 'c', value: 'FILE' },
    { name: 'backend', value: 'NAME' },
    { name: 'basis', value: 'NAME' },
    { name: 'threads', value: 'N' },
    { name: 'gpu-memory', value: 'BYTES' },
    { name: 'out', short: 'o', value: 'DIR' },
    { name: 'd', value: 'LIST' },
    { name: 'points', value: 'K' },
    { name: 'L', value: 'LIST' },
    { name: 'S', value: 'LIST' },
    { name: 'scaling', value: 'fixed|classical' },
    { name: 'shard', value: 'I/N' },
    { name: 'slurm', value: 'N' },
    { name: 'slurm-args', value: 'ARGS' },
    { name: 'submit' },
    { name: 'checkpoint-every', value: 'DURATION' },
    { name: 'quiet', short: 'q' },
    { name: 'debug' },
  ],
};

const SWEEP: CommandSpec = {
  name: 'sweep',
  positionals: [],
  rest: '[SWEEP.json | merge DIR…]',
  options: [
    { name: 'grid', value: 'KEY=VALUES', repeatable: true },
    { name: 'zip' },
    { name: 'config', short: 'c', value: 'FILE' },
    { name: 'backend', value: 'NAME' },
    { name: 'threads', value: 'N' },
    { name: 'gpu-memory', value: 'BYTES' },
    { name: 'basis', value: 'auto|full|sector|antisymmetric' },
    { name: 'out', short: 'o', value: 'DIR' },
    { name: 'shard', value: 'I/N' },
    { name: 'slurm', value: 'N' },
    { name: 'slurm-args', value: 'ARGS' },
    { name: 'submit' },
    { name: 'checkpoint-every', value: 'DURATION' },
    { name: 'quiet', short: 'q' },
    { name: 'debug' },
  ],
};

export const COMMANDS: readonly CommandSpec[] = [RUN, STUDY, SWEEP];

/** Parses argv (without "node" and the script). Throws UsageError for anything it cannot accept. */
export function parseInvocation(argv: readonly string[]): Invocation {
  const line = parseCommandLine(argv, COMMANDS);
  if (line.kind !== 'command') return line;
  switch (line.command) {
    case 'run': {
      const o = line.options;
      const args: RunArgs = {
        backend: parseBackend(o.backend),
        threads: parseThreads(o.threads),
        quiet: o.quiet === true,
        debug: o.debug === true,
      };
      if (o['gpu-memory'] !== undefined) args.gpuMemory = parseGpuMemory(o['gpu-memory'], args.backend, 'run');
      if (line.positionals[0] !== undefined) args.config = line.positionals[0];
      if (o.out !== undefined) args.out = nonEmpty('out', o.out as string, 'run');
      if (o.basis !== undefined) args.basis = parseBasis(o.basis, 'run');
      if (o.resume !== undefined) args.resume = nonEmpty('resume', o.resume as string, 'run');
      if (o.checkpoint !== undefined) args.checkpoint = nonEmpty('checkpoint', o.checkpoint as string, 'run');
      if (args.config === undefined && args.resume === undefined) throw new UsageError('"run" needs CONFIG.json (or --resume FILE)', 'run');
      if (o['checkpoint-every'] !== undefined) {
        if (args.checkpoint === undefined && args.resume === undefined) {
          throw new UsageError('--checkpoint-every needs --checkpoint FILE (or --resume FILE)', 'run');
        }
        args.checkpointEvery = parseDuration('checkpoint-every', o['checkpoint-every'], 'run');
      }
      // A resumed run goes on checkpointing into the file it resumed from, so it can be resumed again.
      args.checkpoint ??= args.resume;
      return { kind: 'run', args };
    }
    case 'study':
      return { kind: 'study', args: parseStudyArgs(line.positionals[0], line.options) };
    case 'sweep':
      if (line.positionals[0] === 'merge') return { kind: 'sweep-merge', args: parseMergeArgs(line.positionals.slice(1), line.options) };
      return { kind: 'sweep', args: parseSweepArgs(line.positionals, line.options, line.lists.grid ?? []) };
    default:
      throw new UsageError(`unknown command "${line.command}"`);
  }
}

function parseStudyArgs(name: string, o: Record<string, string | true>): StudyArgs {
  if (!isStudyName(name)) throw new UsageError(`unknown study "${name}"; studies: ${STUDY_NAMES.join(', ')}`, 'study');
  const args: StudyArgs = {
    name,
    backend: parseBackend(o.backend, 'study'),
    threads: parseThreads(o.threads, 'study'),
    out: o.out === undefined ? '.' : nonEmpty('out', o.out as string, 'study'),
    slurmArgs: [],
    submit: false,
    quiet: o.quiet === true,
    debug: o.debug === true,
  };
  const pointOptions = ['shard', 'slurm', 'slurm-args', 'submit', 'checkpoint-every'].filter((k) => o[k] !== undefined);
  if (pointOptions.length > 0 && !isSweepStudy(name)) {
    throw new UsageError(`--${pointOptions[0]} belongs to the studies that are sweeps (${SWEEP_STUDIES.join(', ')}), not ${name}`, 'study');
  }
  Object.assign(args, parsePointOptions(o, 'study'));
  if (o['gpu-memory'] !== undefined) args.gpuMemory = parseGpuMemory(o['gpu-memory'], args.backend, 'study');
  if (o.config !== undefined) args.config = nonEmpty('config', o.config as string, 'study');
  if (o.basis !== undefined) args.basis = parseBasis(o.basis, 'study');
  if (o.d !== undefined) {
    if (name !== 'fig2b') throw new UsageError(`--d belongs to the fig2b study, not ${name}`, 'study');
    args.d = parseDistances(o.d);
  }
  if (o.points !== undefined) {
    if (name !== 'fig4') throw new UsageError(`--points belongs to the fig4 study, not ${name}`, 'study');
    const k = typeof o.points === 'string' && /^[0-9]+$/.test(o.points) ? Number(o.points) : NaN;
    if (!(Number.isSafeInteger(k) && k >= FIG4_POINTS_RANGE.min && k <= FIG4_POINTS_RANGE.max)) {
      throw new UsageError(`--points "${String(o.points)}" is not allowed; allowed: an integer ${FIG4_POINTS_RANGE.min} … ${FIG4_POINTS_RANGE.max}`, 'study');
    }
    args.points = k;
  }
  if (o.L !== undefined) {
    if (name !== 'length') throw new UsageError(`--L belongs to the length study, not ${name}`, 'study');
    const items = typeof o.L === 'string' ? o.L.split(',').map((s) => s.trim()) : [];
    const L = items.map((s) => (/^[0-9]+$/.test(s) ? Number(s) : NaN));
    if (L.length === 0 || L.some((x) => !(Number.isSafeInteger(x) && x >= 1))) {
      throw new UsageError(`--L "${String(o.L)}" is not allowed; allowed: a comma-separated list of integers >= 1, e.g. 2,4,8,16`, 'study');
    }
    args.L = L;
  }
  if (o.S !== undefined) {
    if (name !== 'spin') throw new UsageError(`--S belongs to the spin study, not ${name}`, 'study');
    const S = typeof o.S === 'string' ? o.S.split(',').map((x) => (x.trim() === '' ? NaN : Number(x.trim()))) : [];
    if (S.length === 0 || S.some((x) => !LOCAL_SPINS.includes(x))) {
      throw new UsageError(`--S "${String(o.S)}" is not allowed; allowed: a comma-separated list of ${LOCAL_SPINS.join(', ')}, e.g. 0.5,1,1.5`, 'study');
    }
    args.S = S;
  }
  if (o.scaling !== undefined) {
    if (name !== 'spin') throw new UsageError(`--scaling belongs to the spin study, not ${name}`, 'study');
    if (o.scaling !== 'fixed' && o.scaling !== 'classical') throw new UsageError(`--scaling "${String(o.scaling)}" is not allowed; allowed: fixed, classical`, 'study');
    args.scaling = o.scaling;
  }
  return args;
}

function parseSweepArgs(positionals: string[], o: Record<string, string | true>, grid: string[]): SweepArgs {
  const usage = (message: string) => new UsageError(message, 'sweep');
  if (positionals.length > 1) throw usage(`unexpected argument "${positionals[1]}" for "sweep"`);
  if (o.out === undefined) throw usage('"sweep" needs --out DIR (the folder of the points, the table and the figures)');
  const args: SweepArgs = {
    grid,
    zip: o.zip === true,
    backend: parseBackend(o.backend, 'sweep'),
    threads: parseThreads(o.threads, 'sweep'),
    out: nonEmpty('out', o.out as string, 'sweep'),
    slurmArgs: [],
    submit: o.submit === true,
    quiet: o.quiet === true,
    debug: o.debug === true,
  };
  if (positionals[0] !== undefined) {
    args.file = nonEmpty('sweep file', positionals[0], 'sweep');
    if (grid.length > 0 || o.config !== undefined || args.zip) {
      throw usage('a sweep file holds the base config, the grid and the mode: give either SWEEP.json or --grid/--config/--zip, not both');
    }
  } else if (grid.length === 0) {
    throw usage('"sweep" needs at least one --grid KEY=VALUES (or a sweep file SWEEP.json)');
  }
  if (o.config !== undefined) args.config = nonEmpty('config', o.config as string, 'sweep');
  if (o.basis !== undefined) args.basis = parseBasis(o.basis, 'sweep');
  Object.assign(args, parsePointOptions(o, 'sweep'));
  if (o['gpu-memory'] !== undefined) args.gpuMemory = parseGpuMemory(o['gpu-memory'], args.backend, 'sweep');
  return args;
}

/** What sweeps and the studies that are sweeps share: --shard, --slurm, --slurm-args, --submit, --checkpoint-every. */
function parsePointOptions(o: Record<string, string | true>, command: string): Pick<SweepArgs, 'shard' | 'slurm' | 'slurmArgs' | 'submit' | 'checkpointEvery'> {
  const usage = (message: string) => new UsageError(message, command);
  const args: Pick<SweepArgs, 'shard' | 'slurm' | 'slurmArgs' | 'submit' | 'checkpointEvery'> = { slurmArgs: [], submit: o.submit === true };
  if (o.shard !== undefined) {
    const m = typeof o.shard === 'string' ? /^([0-9]+)\/([0-9]+)$/.exec(o.shard) : null;
    const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
    if (!(Number.isSafeInteger(count) && count >= 1 && Number.isSafeInteger(index) && index < count)) {
      throw usage(`--shard "${String(o.shard)}" is not allowed; allowed: I/N with N an integer >= 1 and I an integer 0 … N - 1 (shard I runs the points whose index mod N is I)`);
    }
    args.shard = { index, count };
  }
  if (o.slurm !== undefined) {
    const n = typeof o.slurm === 'string' && /^[0-9]+$/.test(o.slurm) ? Number(o.slurm) : NaN;
    if (!(Number.isSafeInteger(n) && n >= 1)) throw usage(`--slurm "${String(o.slurm)}" is not allowed; allowed: an integer >= 1 (the number of array tasks)`);
    if (args.shard) throw usage('--slurm writes the shards\' job array itself: give --slurm or --shard, not both');
    args.slurm = n;
  }
  if (o['slurm-args'] !== undefined) {
    if (args.slurm === undefined) throw usage('--slurm-args needs --slurm N');
    args.slurmArgs = String(o['slurm-args']).split(/\s+/).filter((s) => s !== '');
  }
  if (args.submit && args.slurm === undefined) throw usage('--submit needs --slurm N');
  if (o['checkpoint-every'] !== undefined) {
    args.checkpointEvery = o['checkpoint-every'] === 'off' ? 'off' : parseDuration('checkpoint-every', o['checkpoint-every'], command);
  }
  return args;
}

function parseMergeArgs(dirs: string[], o: Record<string, string | true>): SweepMergeArgs {
  if (dirs.length === 0) throw new UsageError('"sweep merge" needs at least one DIR', 'sweep');
  const allowed = new Set(['quiet', 'debug']);
  for (const name of Object.keys(o)) {
    if (!allowed.has(name)) throw new UsageError(`option --${name} does not apply to "sweep merge" (it takes DIR… [-q] [--debug])`, 'sweep');
  }
  return { dirs: dirs.map((d) => nonEmpty('DIR', d, 'sweep')), quiet: o.quiet === true, debug: o.debug === true };
}

/** "10,20,30": distances d >= 0 in lattice spacings, at least one. */
function parseDistances(value: string | true): number[] {
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [];
  const d = items.map((s) => (s === '' ? NaN : Number(s)));
  if (d.length === 0 || d.some((x) => !(Number.isFinite(x) && x >= 0))) {
    throw new UsageError(`--d "${String(value)}" is not allowed; allowed: a comma-separated list of numbers >= 0, e.g. 10,20,30`, 'study');
  }
  return d;
}

function parseBackend(value: string | true | undefined, command = 'run'): BackendName {
  if (value === undefined) return 'auto';
  if (!(BACKEND_NAMES as readonly unknown[]).includes(value)) {
    throw new UsageError(`--backend "${String(value)}" is not allowed; allowed: ${BACKEND_NAMES.join(', ')}`, command);
  }
  return value as BackendName;
}

/** Each worker thread costs a V8 isolate (megabytes, tens of ms to start): a few hundred already exceed any core count. */
export const MAX_THREADS = 256;

/** --basis auto|full|sector|antisymmetric: the config key `basis` from the command line. */
export function parseBasis(value: string | true, command: string): BasisSetting {
  if (!(BASIS_SETTINGS as readonly unknown[]).includes(value)) {
    throw new UsageError(`--basis "${String(value)}" is not allowed; allowed: ${BASIS_SETTINGS.join(', ')}`, command);
  }
  return value as BasisSetting;
}

/** A config object with `basis` set from --basis (left as it is when not an object: parseRunConfig refuses it). */
export function withBasis(raw: unknown, basis: BasisSetting | undefined): unknown {
  if (basis === undefined || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return { ...raw, basis };
}

function parseThreads(value: string | true | undefined, command = 'run'): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(Number.isSafeInteger(n) && n >= 1 && n <= MAX_THREADS)) {
    throw new UsageError(`--threads "${String(value)}" is not allowed; allowed: an integer 1 … ${MAX_THREADS} or "auto"`, command);
  }
  return n;
}

/**
 * --gpu-memory BYTES (8G, 512MiB, 8GB, 8589934592): a cap on the WebGPU
 * backend's buffers. The CPU and gpu.js backends allocate no WebGPU buffers,
 * so naming one of them with it is refused rather than ignored.
 */
function parseGpuMemory(value: string | true, backend: BackendName, command: string): number {
  const bytes = typeof value === 'string' ? parseByteSize(value) : undefined;
  if (bytes === undefined) throw new UsageError(`--gpu-memory "${String(value)}" is not allowed; allowed: ${BYTE_SIZE_FORMS}, at least 1 byte`, command);
  if (backend !== 'auto' && backend !== 'webgpu') {
    throw new UsageError(`--gpu-memory caps the WebGPU backend's buffers; --backend ${backend} has none: use --backend webgpu or auto, or leave --gpu-memory out`, command);
  }
  return bytes;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/** "90s", "10m", "1.5h": seconds. A unit is required: a bare "10" could mean seconds or minutes. */
export function parseDuration(name: string, value: string | true, command: string): number {
  const m = typeof value === 'string' ? /^([0-9]+(?:\.[0-9]+)?)(s|m|h)$/.exec(value.trim()) : null;
  const seconds = m ? Number(m[1]) * DURATION_UNITS[m[2]] : NaN;
  if (!Number.isFinite(seconds)) {
    throw new UsageError(`--${name} "${String(value)}" is not allowed; allowed: a duration with its unit, s, m or h, such as 30s, 10m or 2h (0s: at every expansion)`, command);
  }
  return seconds;
}

function nonEmpty(name: string, value: string, command: string): string {
  if (value === '') throw new UsageError(`--${name} needs a non-empty value`, command);
  return value;
}
