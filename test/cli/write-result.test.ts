import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/backends/backend.js';
import { InputError } from '../../src/cli/errors.js';
import { parseConfigJson } from '../../src/cli/read-config.js';
import { checkOutputPath, writeFileAtomic } from '../../src/cli/write-result.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes the whole text under the name and leaves no temporary file', async () => {
    const path = join(dir, 'r.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, '{"a":1}\n');
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n');
    expect(await readdir(dir)).toEqual(['r.json']);
  });

  it('on a cancel writes nothing and keeps what was there', async () => {
    const path = join(dir, 'r.json');
    await writeFile(path, 'old');
    const controller = new AbortController();
    controller.abort();
    await expect(writeFileAtomic(path, 'new', controller.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['r.json']);
  });

  it('on a failed rename removes the temporary file', async () => {
    const path = join(dir, 'taken');
    await mkdir(path);
    await writeFile(join(path, 'x'), '');
    await expect(writeFileAtomic(path, 'new')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });
});

describe('checkOutputPath', () => {
  it('accepts a new file in a writable directory and refuses a missing directory or a directory', async () => {
    await expect(checkOutputPath(join(dir, 'r.json'))).resolves.toBeUndefined();
    await expect(checkOutputPath(join(dir, 'none', 'r.json'))).rejects.toBeInstanceOf(InputError);
    await expect(checkOutputPath(dir)).rejects.toThrow(/is a directory/);
  });
});

describe('parseConfigJson', () => {
  it('names the source and the line of a syntax error', () => {
    expect(() => parseConfigJson('{\n  "N": 40,\n}', 'c.json')).toThrow(/c\.json is not valid JSON: .*line 3/);
    expect(() => parseConfigJson('  \n', 'stdin')).toThrow(/stdin: the config is empty/);
  });
});
