/**
 * Command-line parsing without a dependency. A program is a table of
 * subcommands, each a list of option specs and positional names; the parser
 * knows nothing else, so a new subcommand (a study, say) is one more table
 * entry plus the code that reads its options (commands.ts).
 *
 * Accepted forms: `--name value`, `--name=value`, `-n value`, `-q`, `--` to
 * end the options, and a lone `-` as a positional (stdin). `-h`/`--help`
 * anywhere before `--` asks for the help of the command it follows, so a
 * half-typed command line can still ask what it should be.
 */

export interface OptionSpec {
  /** Long name without dashes: "out" for --out. */
  readonly name: string;
  /** One-letter alias without the dash: "o" for -o. */
  readonly short?: string;
  /** What the value is called in messages ("FILE"); absent for a flag. */
  readonly value?: string;
  /** May be given more than once (`--grid A=1,2 --grid B=3,4`): its values are collected, in order, in `lists`. */
  readonly repeatable?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** How many of `positionals` the parser insists on (default all); the command checks the rest. */
  readonly required?: number;
  readonly options: readonly OptionSpec[];
  /** Names of the positional arguments, in order; all are required. */
  readonly positionals: readonly string[];
  /** Name of any further positionals (any number, none included), e.g. "DIR…"; absent: none allowed. */
  readonly rest?: string;
}

/** A command line that cannot be understood. `command` is the subcommand whose help would explain it. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type ParsedLine =
  | { kind: 'help'; command?: string }
  | { kind: 'version' }
  | {
      kind: 'command';
      command: string;
      /** Values by long option name; a flag that was given is `true`. */
      options: Record<string, string | true>;
      /** Every value of each repeatable option, in order. */
      lists: Record<string, string[]>;
      positionals: string[];
    };

const HELP: OptionSpec = { name: 'help', short: 'h' };
const VERSION: OptionSpec = { name: 'version', short: 'V' };

export function parseCommandLine(argv: readonly string[], commands: readonly CommandSpec[]): ParsedLine {
  const names = commands.map((c) => c.name);
  const first = argv[0];
  if (first === undefined) throw new UsageError(`missing command; commands: ${[...names, 'help'].join(', ')}`);
  if (first.startsWith('-') && first !== '-') {
    const option = findOption(first, [HELP, VERSION]);
    if (!option) throw new UsageError(`unknown option "${first}"`);
    return option.name === 'help' ? { kind: 'help' } : { kind: 'version' };
  }
  if (first === 'help') {
    const topic = argv[1];
    if (topic !== undefined && !names.includes(topic)) throw new UsageError(`no help for "${topic}": unknown command`);
    return { kind: 'help', command: topic };
  }
  const spec = commands.find((c) => c.name === first);
  if (!spec) throw new UsageError(`unknown command "${first}"; commands: ${[...names, 'help'].join(', ')}`);
  return parseCommand(spec, argv.slice(1));
}

function parseCommand(spec: CommandSpec, args: readonly string[]): ParsedLine {
  const end = args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help')) {
    return { kind: 'help', command: spec.name };
  }
  const options: Record<string, string | true> = {};
  const lists: Record<string, string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const option = findOption(flag, spec.options);
    if (!option) throw new UsageError(`unknown option "${flag}" for "${spec.name}"`, spec.name);
    if (option.value === undefined) {
      if (eq >= 0) throw new UsageError(`option --${option.name} takes no value`, spec.name);
      options[option.name] = true;
    } else {
      if (eq < 0 && i + 1 >= args.length) throw new UsageError(`option --${option.name} needs a value (${option.value})`, spec.name);
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      options[option.name] = value;
      if (option.repeatable) (lists[option.name] ??= []).push(value);
    }
  }
  if (positionals.length < (spec.required ?? spec.positionals.length)) {
    throw new UsageError(`"${spec.name}" needs ${spec.positionals.slice(positionals.length).join(' ')}`, spec.name);
  }
  if (positionals.length > spec.positionals.length && spec.rest === undefined) {
    throw new UsageError(`unexpected argument "${positionals[spec.positionals.length]}" for "${spec.name}"`, spec.name);
  }
  return { kind: 'command', command: spec.name, options, lists, positionals };
}

function findOption(flag: string, options: readonly OptionSpec[]): OptionSpec | undefined {
  if (flag.startsWith('--')) return options.find((o) => o.name === flag.slice(2));
  return flag.length === 2 ? options.find((o) => o.short === flag[1]) : undefined;
}
