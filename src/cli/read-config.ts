/**
 * Reading the run config: from a file or stdin ("-"), as JSON. Failures here
 * are the user's to fix, so they become InputError (exit 2) with the path and
 * the place in the text; validating the keys is parseRunConfig's job.
 */

import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError } from './errors.js';
import { readAll } from './io.js';

/** The name messages use for the config source. */
export function configSourceName(path: string): string {
  return path === '-' ? 'stdin' : path;
}

export async function readConfigText(path: string, stdin: Readable): Promise<string> {
  if (path === '-') return readAll(stdin);
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file'
      : code === 'EISDIR' ? 'it is a directory'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : (e as Error).message;
    throw new InputError(`cannot read the config file ${path}: ${why}`, { cause: e });
  }
}

/** Parses JSON text; a syntax error names the source and, where the message gives a position, its line and column. */
export function parseConfigJson(text: string, source: string): unknown {
  if (text.trim() === '') throw new InputError(`${source}: the config is empty; expected a JSON object such as {"N": 40, "L": 3}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    let message = (e as Error).message;
    const position = /at position (\d+)/.exec(message);
    if (position && !/line \d+/.test(message)) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      message += ` (line ${line} column ${column})`;
    }
    throw new InputError(`${source} is not valid JSON: ${message}`, { cause: e });
  }
}
