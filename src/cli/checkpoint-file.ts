/**
 * Checkpoint files in Node: written atomically (a temporary file in the same
 * directory, flushed, then renamed over the old checkpoint, as --out is
 * written), read and verified, and the "resume if a valid checkpoint of this
 * config exists, else start fresh" run that sweeps and the CLI build on.
 *
 * The library entry (src/index.ts) exports these, and it must stay
 * importable in a browser, so Node's modules are taken from
 * process.getBuiltinModule when a function runs, not imported statically.
 */

import {
  CheckpointError, checkCheckpointConfig, decodeCheckpoint, looksLikeCheckpoint, writeCheckpoint,
  type Checkpoint, type CheckpointInfo, type Sha256, type StreamedCheckpoint,
} from '../propagator/checkpoint.js';
import type { RunConfig } from '../model/config.js';
import { parseRunConfig } from '../model/config.js';
import type { SimulationResult } from '../model/result.js';
import { simulate, type SimulateOptions } from '../simulate.js';
import { packageVersion } from './version.js';

/** Default interval between checkpoints: 10 minutes. */
export const DEFAULT_CHECKPOINT_SECONDS = 600;

interface NodeFs {
  open(path: string, flags: string): Promise<{
    write(b: Uint8Array): Promise<{ bytesWritten: number }>;
    read(b: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
}
interface NodeCrypto {
  createHash(name: string): { update(b: Uint8Array): unknown; digest(): Uint8Array };
  randomBytes(n: number): { toString(encoding: string): string };
}
interface NodePath {
  resolve(p: string): string;
  dirname(p: string): string;
  basename(p: string): string;
  join(...p: string[]): string;
}

function builtin<T>(id: string): T {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.(id) as T | undefined;
  if (!mod) throw new Error(`checkpoint files need Node (${id}); in a browser, use encodeCheckpoint and decodeCheckpoint`);
  return mod;
}

/** SHA-256 with node:crypto: hashes the chunks as they are, without joining them. */
export const nodeSha256: Sha256 = async (chunks) => {
  const hash = builtin<NodeCrypto>('node:crypto').createHash('sha256');
  for (const c of chunks) hash.update(c);
  return new Uint8Array(hash.digest());
};

/**
 * Writes the checkpoint to `path`: the file holds the new checkpoint whole,
 * or the one before it. A streamed checkpoint's state goes to the file piece
 * by piece as the backend reads it back (at most `maxDoubles` doubles each,
 * default CHECKPOINT_PIECE_DOUBLES), hashed as it goes: the host holds one
 * piece, never the whole state. The bytes are encodeCheckpoint()'s.
 */
export async function writeCheckpointFile(path: string, checkpoint: Checkpoint | StreamedCheckpoint, options: { maxDoubles?: number } = {}): Promise<void> {
  const fs = builtin<NodeFs>('node:fs/promises');
  const { resolve, dirname, basename, join } = builtin<NodePath>('node:path');
  const crypto = builtin<NodeCrypto>('node:crypto');
  const full = resolve(path);
  const temp = join(dirname(full), `.${basename(full)}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<NodeFs['open']>> | undefined;
  try {
    handle = await fs.open(temp, 'wx');
    const file = handle;
    await writeCheckpoint(checkpoint, async (chunk) => {
      // A write may take part of a large chunk: go on until all of it is written.
      for (let o = 0; o < chunk.length; ) o += (await file.write(chunk.subarray(o))).bytesWritten;
    }, { createSha256: () => crypto.createHash('sha256'), maxDoubles: options.maxDoubles });
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, full);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Reads and verifies a checkpoint file (decodeCheckpoint's checks). Every
 * failure is a CheckpointError whose message starts with the path.
 */
export async function readCheckpointFile(path: string): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await builtin<NodeFs>('node:fs/promises').readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new CheckpointError(code === 'ENOENT' ? 'missing' : 'unreadable', `cannot read the checkpoint ${path}: ${why}`, { cause: e });
  }
  try {
    return await decodeCheckpoint(bytes, { sha256: nodeSha256 });
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(e.problem, `${path}: ${e.message}`, { cause: e });
    throw e;
  }
}

/**
 * What `path` holds now, read no further than its first bytes: nothing, a
 * checkpoint (maybe damaged: only reading it says), or another file, which a
 * checkpoint must not overwrite.
 */
export async function checkpointPathHolds(path: string): Promise<'nothing' | 'checkpoint' | 'other'> {
  let handle: Awaited<ReturnType<NodeFs['open']>>;
  try {
    handle = await builtin<NodeFs>('node:fs/promises').open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'nothing';
    return 'other';
  }
  try {
    const head = new Uint8Array(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    return looksLikeCheckpoint(head.subarray(0, bytesRead)) ? 'checkpoint' : 'other';
  } catch {
    return 'other';
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Removes a checkpoint file once its run is written; a missing file is no error. */
export async function removeCheckpointFile(path: string): Promise<void> {
  await builtin<NodeFs>('node:fs/promises').rm(path, { force: true });
}

export interface CheckpointedRunOptions extends Omit<SimulateOptions, 'checkpoint' | 'resumeFrom'> {
  /** Seconds between checkpoints (default DEFAULT_CHECKPOINT_SECONDS; 0: after every expansion). */
  everySeconds?: number;
  /** Recorded in each checkpoint (default: this package's version). */
  codeVersion?: string;
  /** Keep the checkpoint file after the run completes (default: remove it). */
  keep?: boolean;
  /** Told when the run continues from the checkpoint file. */
  onResume?: (checkpoint: Checkpoint) => void;
  /** Told when a checkpoint file exists but cannot continue this run (it is then overwritten by a fresh run's). */
  onDiscard?: (error: CheckpointError) => void;
  /** Told after each checkpoint is written (its state went to the file piece by piece: it is not kept). */
  onCheckpoint?: (checkpoint: CheckpointInfo) => void;
  /**
   * Told when a checkpoint cannot be written (a full disk, a folder gone); the
   * run then goes on without it. Without this option the error fails the run.
   */
  onWriteError?: (error: Error, checkpoint: CheckpointInfo) => void;
}

/**
 * One run that survives its process: resumes from `path` when it holds a
 * valid checkpoint of this config, else starts afresh; writes a checkpoint
 * to `path` every `everySeconds`; removes it once the result is complete
 * (unless `keep`). A file that is no checkpoint of this config (another
 * config or basis, another format version, truncated, corrupted) is not
 * used: onDiscard says why, and the fresh run's first checkpoint replaces it.
 */
export async function simulateWithCheckpoint(input: unknown, path: string, options: CheckpointedRunOptions = {}): Promise<SimulationResult> {
  const config: RunConfig = parseRunConfig(input);
  const { everySeconds = DEFAULT_CHECKPOINT_SECONDS, codeVersion, keep = false, onResume, onDiscard, onCheckpoint, onWriteError, ...rest } = options;
  let resumeFrom: Checkpoint | undefined;
  try {
    const found = await readCheckpointFile(path);
    try {
      checkCheckpointConfig(found, config);
    } catch (e) {
      if (e instanceof CheckpointError) throw new CheckpointError(e.problem, `${path}: ${e.message}`, { cause: e });
      throw e;
    }
    resumeFrom = found;
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    if (e.problem !== 'missing') onDiscard?.(e);
  }
  if (resumeFrom) onResume?.(resumeFrom);
  const result = await simulate(config, {
    ...rest,
    resumeFrom,
    checkpoint: {
      everySeconds,
      codeVersion: codeVersion ?? packageVersion(),
      writeStreamed: async (cp) => {
        try {
          await writeCheckpointFile(path, cp);
        } catch (e) {
          if (!onWriteError) throw e;
          onWriteError(e as Error, cp);
          return;
        }
        onCheckpoint?.(cp);
      },
    },
  });
  if (!keep) await removeCheckpointFile(path);
  return result;
}
