/**
 * The study cache on disk: one JSON file per finished job in a hidden folder
 * next to the study's output, written atomically, so an interrupted study
 * resumes from what it finished when it is run again with the same
 * arguments. A file whose key differs (another config, backend, angle count)
 * is ignored and, when that job finishes, replaced.
 */

import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunCache } from '../studies/jobs.js';
import { writeFileAtomic } from './write-result.js';

export interface DirectoryCache extends RunCache {
  readonly dir: string;
  /** Removes the folder (once the study is written whole). */
  clear(): Promise<void>;
}

export function directoryCache(dir: string): DirectoryCache {
  const file = (key: string) => join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 20)}.json`);
  return {
    dir,
    async get(key) {
      try {
        const stored = JSON.parse(await readFile(file(key), 'utf8')) as { key?: string; value?: unknown };
        return stored.key === key ? stored.value : undefined;
      } catch {
        // Missing, or left unreadable by a crash: run the job again.
        return undefined;
      }
    },
    async set(key, value) {
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(file(key), JSON.stringify({ key, value }));
    },
    async clear() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
