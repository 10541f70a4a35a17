/**
 * The streams and signals the CLI talks through. main() takes them as one
 * object so tests can run it in-process with captured output; the defaults
 * are the process's own.
 */

import type { Readable, Writable } from 'node:stream';
import type { SignalSource } from './signals.js';

/** A writable stream that may be a terminal (process.stderr is one when isTTY). */
export type TextOutput = Writable & { isTTY?: boolean; columns?: number };

export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: TextOutput;
  stderr: TextOutput;
  /** Where SIGINT and SIGTERM come from. */
  signals: SignalSource;
}

export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signals: process };
}

const guarded = new WeakSet<Writable>();

/**
 * Writes text and resolves once the stream has taken it (so exiting afterwards
 * loses nothing); a failure (EPIPE, a full disk) rejects instead of crashing.
 */
export function writeText(stream: Writable, text: string): Promise<void> {
  if (!guarded.has(stream)) {
    // The write callback gets the error; the 'error' event that follows it must not go unhandled.
    stream.on('error', () => undefined);
    guarded.add(stream);
  }
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/** Reads a stream to its end as UTF-8 text. */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
