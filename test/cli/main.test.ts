// main() in-process, with captured streams: the paths a child process cannot
// reach easily (a failing output stream, --debug).
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const TINY = JSON.stringify({ N: 8, L: 1, state: 'single', tEnd: 1 });

function io(input: string, stdout?: Writable) {
  let out = '', err = '';
  const signals = new EventEmitter();
  const streams: CliIo = {
    stdin: Readable.from([input]),
    stdout: stdout ?? new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    signals,
  };
  return { streams, signals, out: () => out, err: () => err };
}

const broken = () => new Writable({ write: (_c, _e, done) => done(new Error('disk on fire')) });

describe('main()', () => {
  it('returns 0 and writes the result to stdout', async () => {
    const x = io(TINY);
    expect(await main(['run', '-'], x.streams)).toBe(0);
    expect(JSON.parse(x.out()).t).toEqual([0, 0.5, 1]);
    expect(x.signals.listenerCount('SIGINT')).toBe(0);
  });

  it('returns 1 for a runtime failure, with the message and no stack unless --debug', async () => {
    const plain = io(TINY, broken());
    expect(await main(['run', '-', '-q'], plain.streams)).toBe(1);
    expect(plain.err()).toContain('disk on fire');
    expect(plain.err()).not.toMatch(/\n\s+at /);

    const debug = io(TINY, broken());
    expect(await main(['run', '-', '-q', '--debug'], debug.streams)).toBe(1);
    expect(debug.err()).toMatch(/disk on fire\n\s+at /);
  });

  it('returns 130 when SIGINT comes while the config is still being read', async () => {
    const x = io('');
    x.streams.stdin = new Readable({ read() {} }); // never ends
    const code = main(['run', '-'], x.streams);
    await new Promise((resolve) => setTimeout(resolve, 20));
    x.signals.emit('SIGINT');
    expect(await code).toBe(130);
    expect(x.err()).toBe('cancelled\n');
  });
});
