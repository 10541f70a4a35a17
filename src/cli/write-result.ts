/**
 * Writing the result file atomically: the text goes to a temporary file in the
 * same directory (so the final rename stays on one file system and is atomic),
 * is flushed to disk, and only then renamed to the output name. On any failure
 * or a cancel the temporary file is removed, so the output name holds either
 * a complete result or whatever it held before, never a partial one.
 */

import { randomBytes } from 'node:crypto';
import { access, constants, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from './errors.js';
import { throwIfCancelled } from './signals.js';

/** Temporary name next to the output: hidden, unique per process and call. */
export function temporaryPath(path: string): string {
  const full = resolve(path);
  return join(dirname(full), `.${basename(full)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(path: string, text: string | Uint8Array, signal?: AbortSignal): Promise<void> {
  const temp = temporaryPath(path);
  let handle: FileHandle | undefined;
  try {
    throwIfCancelled(signal);
    handle = await open(temp, 'wx');
    await handle.writeFile(text, typeof text === 'string' ? 'utf8' : undefined);
    throwIfCancelled(signal);
    await handle.sync();
    await handle.close();
    handle = undefined;
    throwIfCancelled(signal);
    await rename(temp, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Checks, before a run that may take hours, that the result can be written:
 * the directory exists and is writable, and the path is not a directory.
 */
export async function checkOutputPath(path: string, option = '--out'): Promise<void> {
  const dir = dirname(resolve(path));
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new InputError(`cannot write ${option} ${path}: the directory ${dir} does not exist`);
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) throw new InputError(`cannot write ${option} ${path}: it is a directory`);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new InputError(`cannot write ${option} ${path}: the directory ${dir} is not writable`);
  }
}
