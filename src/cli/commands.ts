/**
 * The subcommands of spin-transfer and their typed options. args.ts splits the
 * command line; this module says which commands exist and turns their raw
 * strings into checked values. To add a subcommand: a CommandSpec in COMMANDS,
 * an Invocation variant, a case in parseInvocation, its help in usage.ts.
 */

import { BACKEND_NAMES, type BackendName } from '../backends/select.js';
import { BASES, type Basis } from '../model/config.js';
import { FIG4_POINTS_RANGE, isStudyName } from '../studies/run-study.js';
import { STUDY_NAMES, type StudyName } from '../studies/study-result.js';
import { parseCommandLine, UsageError, type CommandSpec } from './args.js';

export interface RunArgs {
  /** Path of the run config, or "-" for stdin. */
  config: string;
  backend: BackendName;
  /** Overrides the config's `basis` key. */
  basis?: Basis;
  threads: number | 'auto';
  /** Result path; undefined writes the result to stdout. */
  out?: string;
  quiet: boolean;
  debug: boolean;
}

export interface StudyArgs {
  name: StudyName;
  /** Path of the base run config ("-" for stdin); undefined takes the paper defaults. */
  config?: string;
  backend: BackendName;
  /** Overrides the base config's `basis` key. */
  basis?: Basis;
  threads: number | 'auto';
  /** Output folder (created if missing). */
  out: string;
  /** fig2b: packet distances. */
  d?: number[];
  /** fig4: number of angles. */
  points?: number;
  quiet: boolean;
  debug: boolean;
}

export type Invocation =
  | { kind: 'help'; command?: string }
  | { kind: 'version' }
  | { kind: 'run'; args: RunArgs }
  | { kind: 'study'; args: StudyArgs };

const RUN: CommandSpec = {
  name: 'run',
  positionals: ['CONFIG.json'],
  options: [
    { name: 'backend', value: 'NAME' },
    { name: 'basis', value: 'NAME' },
    { name: 'threads', value: 'N' },
    { name: 'out', short: 'o', value: 'FILE' },
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
    { name: 'out', short: 'o', value: 'DIR' },
    { name: 'd', value: 'LIST' },
    { name: 'points', value: 'K' },
    { name: 'quiet', short: 'q' },
    { name: 'debug' },
  ],
};

export const COMMANDS: readonly CommandSpec[] = [RUN, STUDY];

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
      if (o.basis !== undefined) args.basis = parseBasis(o.basis, 'run');
      return { kind: 'run', args };
    }
    case 'study':
      return { kind: 'study', args: parseStudyArgs(line.positionals[0], line.options) };
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
    quiet: o.quiet === true,
    debug: o.debug === true,
  };
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
  return args;
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

/** --basis full|sector: the config key `basis` from the command line. */
export function parseBasis(value: string | true, command: string): Basis {
  if (!(BASES as readonly unknown[]).includes(value)) {
    throw new UsageError(`--basis "${String(value)}" is not allowed; allowed: ${BASES.join(', ')}`, command);
  }
  return value as Basis;
}

/** A config object with `basis` set from --basis (left as it is when not an object: parseRunConfig refuses it). */
export function withBasis(raw: unknown, basis: Basis | undefined): unknown {
  if (basis === undefined || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return { ...raw, basis };
}

function parseThreads(value: string | true | undefined, command = 'run'): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(Number.isSafeInteger(n) && n >= 1)) {
    throw new UsageError(`--threads "${String(value)}" is not allowed; allowed: an integer >= 1 or "auto"`, command);
  }
  return n;
}

function nonEmpty(name: string, value: string, command: string): string {
  if (value === '') throw new UsageError(`--${name} needs a non-empty value`, command);
  return value;
}
