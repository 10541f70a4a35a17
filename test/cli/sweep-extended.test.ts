// `spin-transfer sweep` with keys beyond the paper, in-process through main():
// a grid over the anisotropy of spin-1 local moments (basis "sector") with the
// entanglement observables on, under the default per-point checkpoints
// (which hold the entanglement series), and the table's entanglement columns.
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { simulate } from '../../src/simulate.js';

const BASE = { N: 12, L: 2, x2: 3, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5, Jsd: 0.6, basis: 'sector', localSpin: 1, entanglement: true };

function io() {
  let err = '';
  const streams: CliIo = {
    stdin: Readable.from(['']),
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
    signals: new EventEmitter(),
  };
  return { streams, err: () => err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-sweep-extended-'));
  await writeFile(join(dir, 'base.json'), JSON.stringify(BASE));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('spin-transfer sweep beyond the paper', () => {
  it('sweeps anisotropy for spin 1 with entanglement; rows and CSV hold the final concurrence and chain entropy', async () => {
    const out = join(dir, 'aniso');
    const x = io();
    const code = await main(['sweep', '--grid', 'anisotropy=0:0.2:2', '--grid', 'state=singlet,T-', '--config', join(dir, 'base.json'), '--backend', 'cpu', '--threads', '1', '--out', out, '-q'], x.streams);
    expect(code, x.err()).toBe(0);
    const table = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8'));
    expect(table.complete).toBe(true);
    const direct = await simulate({ ...BASE, anisotropy: 0.2, state: 'T-' }, { backend: 'cpu', threads: 1 });
    const row = table.rows.find((r: { params: Record<string, unknown> }) => r.params.anisotropy === 0.2 && r.params.state === 'T-');
    expect(row.finalConcurrence).toBe(direct.entanglement!.concurrence!.at(-1));
    expect(row.finalChainEntropy).toBe(direct.entanglement!.chainEntropy.at(-1));
    expect(row.finalDeltaSigmaZ).toBe(direct.deltaSigmaZ.at(-1));
    const csv = (await readFile(join(out, 'sweep.csv'), 'utf8')).split('\n');
    expect(csv[0]).toContain('final_concurrence,final_chain_entropy');
  });

  it('refuses a list key or entanglement as a grid axis, naming it', async () => {
    for (const grid of ['JsdSites=0.1,0.2', 'entanglement=true']) {
      const x = io();
      const code = await main(['sweep', '--grid', grid, '--backend', 'cpu', '--out', join(dir, 'refused')], x.streams);
      expect(code).toBe(2);
      expect(x.err()).toMatch(grid.startsWith('J') ? /"derived" list/ : /base config/);
    }
  });
});
