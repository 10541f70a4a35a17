// scripts/start-slurm.sh on a host that already has a cluster: it uses one that
// answers with a node taking jobs, refuses one it did not set up, and in
// both cases changes no file. sinfo is replaced by a stub that reports the
// node state each case needs; the slurm.conf and munge key are files of the
// test (SLURM_CONF, MUNGE_KEY), so no daemon of this machine is touched.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FOREIGN_CONF = 'ClusterName=theirs\nSlurmctldHost=elsewhere\n';
const FOREIGN_KEY = 'k'.repeat(1024);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spin-transfer-start-slurm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the script with `sinfo` printing `nodes` ("NAME STATE" lines; exit 1 when null: no controller answers). */
async function startSlurm(nodes: string | null): Promise<{ code: number; stdout: string; stderr: string; conf: string; key: string; state: string[] }> {
  const bin = await mkdtemp(join(dir, 'bin-'));
  const stub = nodes === null ? '#!/bin/sh\necho "slurm_load_partitions: Unable to contact slurm controller" >&2\nexit 1\n' : `#!/bin/sh\nprintf '%s\\n' '${nodes}'\n`;
  await writeFile(join(bin, 'sinfo'), stub);
  await chmod(join(bin, 'sinfo'), 0o755);
  const conf = join(bin, 'slurm.conf');
  const key = join(bin, 'munge.key');
  const state = join(bin, 'state');
  await writeFile(conf, FOREIGN_CONF);
  await writeFile(key, FOREIGN_KEY);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, SLURM_CONF: conf, MUNGE_KEY: key, START_SLURM_STATE: state };
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('bash', ['scripts/start-slurm.sh'], { env, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
  const stateFiles = await readdir(state).catch(() => []);
  return { ...r, conf: await readFile(conf, 'utf8'), key: await readFile(key, 'utf8'), state: stateFiles };
}

describe('scripts/start-slurm.sh on a host with a cluster of its own', () => {
  it.each(['node7 idle', 'node7 mix'])('uses a cluster whose node takes jobs (%s) and changes nothing', async (nodes) => {
    const r = await startSlurm(`node3 down\n${nodes}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`a Slurm cluster answers here (node ${nodes.replace(' ', ' is ')}): using it, changing nothing`);
    expect(r.conf).toBe(FOREIGN_CONF);
    expect(r.key).toBe(FOREIGN_KEY);
    expect(r.state).toEqual([]);
  });

  it.each([['a down node', 'node3 down'], ['no controller', null]])('refuses a cluster it did not set up (%s), changing nothing', async (_, nodes) => {
    const r = await startSlurm(nodes);
    expect(r.code).toBe(1);
    // As root it names the foreign slurm.conf; otherwise it stops earlier, at root.
    expect(r.stderr).toMatch(process.getuid?.() === 0
      ? /slurm\.conf exists and was not written by this script, but sinfo shows no node that takes jobs: leaving that cluster alone|is missing: apt-get install/
      : /setting one up needs root/);
    expect(r.conf).toBe(FOREIGN_CONF);
    expect(r.key).toBe(FOREIGN_KEY);
    expect(r.state).toEqual([]);
  });
});
