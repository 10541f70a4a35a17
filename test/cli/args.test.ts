import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type CommandSpec } from '../../src/cli/args.js';
import { parseInvocation } from '../../src/cli/commands.js';
import { BACKEND_NAMES } from '../../src/backends/select.js';

function usageErrorOf(argv: string[]): UsageError {
  try {
    parseInvocation(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('parseCommandLine (generic)', () => {
  const commands: CommandSpec[] = [
    { name: 'go', positionals: ['A', 'B'], options: [{ name: 'size', short: 's', value: 'N' }, { name: 'fast', short: 'f' }] },
    { name: 'other', positionals: [], options: [] },
  ];

  it('reads long, long=value and short options, flags and positionals in any order', () => {
    expect(parseCommandLine(['go', '-f', 'a', '--size=3', 'b'], commands)).toEqual({
      kind: 'command', command: 'go', options: { fast: true, size: '3' }, lists: {}, positionals: ['a', 'b'],
    });
    expect(parseCommandLine(['go', 'a', '-s', '4', 'b', '--size', '5'], commands)).toMatchObject({ options: { size: '5' } });
  });

  it('collects every value of a repeatable option in order, and takes rest positionals where a command allows them', () => {
    const specs: CommandSpec[] = [{ name: 'many', positionals: [], rest: 'X…', options: [{ name: 'grid', value: 'KV', repeatable: true }] }];
    expect(parseCommandLine(['many', '--grid', 'a=1', 'p', '--grid=b=2', 'q'], specs)).toEqual({
      kind: 'command', command: 'many', options: { grid: 'b=2' }, lists: { grid: ['a=1', 'b=2'] }, positionals: ['p', 'q'],
    });
    expect(() => parseCommandLine(['go', 'a', 'b', 'c'], commands)).toThrow(/unexpected argument "c"/);
  });

  it('takes "-" as a positional and everything after "--" as positionals', () => {
    expect(parseCommandLine(['go', '-', '--', '--fast'], commands)).toMatchObject({ positionals: ['-', '--fast'], options: {} });
  });

  it('finds a second subcommand in the same table', () => {
    expect(parseCommandLine(['other'], commands)).toMatchObject({ kind: 'command', command: 'other' });
  });

  it('gives help and version before a command, and a command\'s help anywhere in its options', () => {
    expect(parseCommandLine(['--help'], commands)).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-h'], commands)).toEqual({ kind: 'help' });
    expect(parseCommandLine(['help', 'go'], commands)).toEqual({ kind: 'help', command: 'go' });
    expect(parseCommandLine(['--version'], commands)).toEqual({ kind: 'version' });
    expect(parseCommandLine(['go', '--bogus', '--help'], commands)).toEqual({ kind: 'help', command: 'go' });
    expect(parseCommandLine(['go', 'a', '--', '--help'], commands)).toMatchObject({ kind: 'command', positionals: ['a', '--help'] });
  });

  it.each([
    [[], /missing command/],
    [['--bogus'], /unknown option "--bogus"/],
    [['simulate'], /unknown command "simulate"/],
    [['help', 'simulate'], /unknown command/],
    [['go', 'a', 'b', '--bogus'], /unknown option "--bogus" for "go"/],
    [['go', 'a', 'b', '-x'], /unknown option "-x"/],
    [['go', 'a', 'b', '--size'], /--size needs a value \(N\)/],
    [['go', 'a', 'b', '--fast=yes'], /--fast takes no value/],
    [['go', 'a'], /"go" needs B/],
    [['go', 'a', 'b', 'c'], /unexpected argument "c"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv, commands)).toThrow(message);
  });
});

describe('parseInvocation (spin-transfer)', () => {
  it('sweep and the sweep studies take --checkpoint-every as a duration or off', () => {
    const sweep = parseInvocation(['sweep', '--grid', 'Jsd=1', '--out', 'o', '--checkpoint-every', 'off']);
    expect(sweep.kind === 'sweep' && sweep.args.checkpointEvery).toBe('off');
    const study = parseInvocation(['study', 'length', '--checkpoint-every', '2m', '--shard', '1/4']);
    expect(study.kind === 'study' && [study.args.checkpointEvery, study.args.shard]).toEqual([120, { index: 1, count: 4 }]);
    expect(() => parseInvocation(['study', 'fig3', '--checkpoint-every', '2m'])).toThrow(/--checkpoint-every belongs to the studies that are sweeps/);
  });

  it('fills the run defaults', () => {
    expect(parseInvocation(['run', 'c.json'])).toEqual({
      kind: 'run',
      args: { config: 'c.json', backend: 'auto', threads: 'auto', quiet: false, debug: false },
    });
  });

  it('reads every run option', () => {
    expect(parseInvocation(['run', '-', '--backend', 'cpu', '--threads', '3', '-o', 'r.json', '-q', '--debug'])).toEqual({
      kind: 'run',
      args: { config: '-', backend: 'cpu', threads: 3, out: 'r.json', quiet: true, debug: true },
    });
    expect(parseInvocation(['run', 'c.json', '--threads=auto', '--out=x.json', '--quiet'])).toMatchObject({
      args: { threads: 'auto', out: 'x.json', quiet: true },
    });
  });

  it('answers help for the program and for run', () => {
    expect(parseInvocation(['--help'])).toEqual({ kind: 'help' });
    expect(parseInvocation(['run', '--help'])).toEqual({ kind: 'help', command: 'run' });
    expect(parseInvocation(['-V'])).toEqual({ kind: 'version' });
  });

  it.each([
    [['run', 'c.json', '--backend', 'nonesuch'], new RegExp(`--backend "nonesuch".*allowed: ${BACKEND_NAMES.join(', ')}`)],
    [['run', 'c.json', '--threads', '0'], /--threads "0".*integer >= 1 or "auto"/],
    [['run', 'c.json', '--threads', '2.5'], /--threads "2.5"/],
    [['run', 'c.json', '--threads', 'many'], /--threads "many"/],
    [['run', 'c.json', '--out='], /--out needs a non-empty value/],
    [['run'], /needs CONFIG.json/],
    [['simulate', 'fig2a'], /unknown command "simulate"/],
  ])('refuses %j', (argv, message) => {
    const e = usageErrorOf(argv);
    expect(e.message).toMatch(message);
  });

  it('points a run usage error at the run help', () => {
    expect(usageErrorOf(['run', 'c.json', '--bogus']).command).toBe('run');
    expect(usageErrorOf(['bogus']).command).toBeUndefined();
  });
});
