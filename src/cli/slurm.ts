/**
 * Slurm job scripts for a sweep: DIR/sweep.sbatch, a job array whose task i
 * runs shard i/N of the same sweep, and DIR/merge.sbatch, which assembles the
 * table once the array has succeeded (submitted with
 * --dependency=afterok:<array id>). A compute node has no PATH of ours and may
 * start in another folder, so the scripts name the node binary and the CLI by
 * absolute path and cd to the absolute folder the sweep was prepared in.
 */

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './write-result.js';

export interface SlurmPlan {
  /** Absolute sweep folder. */
  dir: string;
  /** Absolute working folder of the jobs (where relative paths in `args` resolve). */
  cwd: string;
  /** Absolute path of the node binary. */
  node: string;
  /** Absolute path of bin/spin-transfer.mjs. */
  cli: string;
  /** What each task runs after the CLI path ("sweep", its arguments), without --threads/--shard/--slurm/--submit. */
  command: string[];
  /** What the merge job runs after the CLI path ("sweep", "merge", DIR). */
  mergeCommand: string[];
  /**
   * CPU threads per task. "auto" becomes the CPUs Slurm gave the task
   * ($SLURM_CPUS_PER_TASK, 1 unless --cpus-per-task is given): a node may run
   * several tasks, and without CPU binding every task would see every core.
   */
  threads: number | 'auto';
  tasks: number;
  /** #SBATCH options for the array, e.g. --partition=gpu --gres=gpu:1 --time=02:00:00. */
  slurmArgs: string[];
}

/** Options that say where and on whose account a job runs: the merge job needs them too (not the array's --gres or --time). */
const PLACEMENT = /^(--partition|-p|--account|-A|--qos|--clusters|-M|--reservation)(=|$)/;

/** POSIX shell single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** bin/spin-transfer.mjs of this package, from the compiled module (dist/src/cli) or the source (src/cli). */
export function cliPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'bin', 'spin-transfer.mjs');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('cannot find bin/spin-transfer.mjs above this module');
}

export function sweepSbatch(p: SlurmPlan): string {
  const last = p.tasks - 1;
  const command = [p.node, p.cli, ...p.command].map(shellQuote).join(' ');
  return [
    '#!/bin/bash',
    `# A spin-transfer sweep as a Slurm job array: task i runs shard i/${p.tasks} (the points whose index mod ${p.tasks} is i).`,
    '# Written by spin-transfer sweep --slurm; submit it with the merge job as the README shows, or use --submit.',
    '#SBATCH --job-name=spin-transfer-sweep',
    `#SBATCH --array=0-${last}`,
    `#SBATCH --output=${join(p.dir, 'slurm', 'sweep-%A_%a.out')}`,
    ...p.slurmArgs.map((a) => `#SBATCH ${a}`),
    'set -euo pipefail',
    `cd ${shellQuote(p.cwd)}`,
    `exec ${command} --threads ${p.threads === 'auto' ? '"${SLURM_CPUS_PER_TASK:-1}"' : p.threads} --shard "$SLURM_ARRAY_TASK_ID/${p.tasks}"`,
    '',
  ].join('\n');
}

export function mergeSbatch(p: SlurmPlan): string {
  const command = [p.node, p.cli, ...p.mergeCommand].map(shellQuote).join(' ');
  return [
    '#!/bin/bash',
    '# Assembles sweep.json, sweep.csv and the figures from the shards of the sweep array (submit it with --dependency=afterok:<array job id>).',
    '#SBATCH --job-name=spin-transfer-merge',
    `#SBATCH --output=${join(p.dir, 'slurm', 'merge-%j.out')}`,
    ...p.slurmArgs.filter((a) => PLACEMENT.test(a)).map((a) => `#SBATCH ${a}`),
    'set -euo pipefail',
    `cd ${shellQuote(p.cwd)}`,
    `exec ${command}`,
    '',
  ].join('\n');
}

/** Writes both scripts (and DIR/slurm/ for the jobs' logs: Slurm does not create it). */
export async function writeSlurmScripts(p: SlurmPlan): Promise<{ sweep: string; merge: string }> {
  await mkdir(join(p.dir, 'slurm'), { recursive: true });
  const sweep = join(p.dir, 'sweep.sbatch'), merge = join(p.dir, 'merge.sbatch');
  await writeFileAtomic(sweep, sweepSbatch(p));
  await writeFileAtomic(merge, mergeSbatch(p));
  await Promise.all([chmod(sweep, 0o755), chmod(merge, 0o755)]);
  return { sweep, merge };
}

/** The lines that submit both scripts by hand. */
export function submitLines(scripts: { sweep: string; merge: string }): string[] {
  return [
    `jobid=$(sbatch --parsable ${shellQuote(scripts.sweep)})`,
    `sbatch --dependency=afterok:\${jobid%%;*} ${shellQuote(scripts.merge)}`,
  ];
}

/** Submits the array, then the merge after it; resolves to both job ids. */
export async function submitSlurm(scripts: { sweep: string; merge: string }, sbatch = 'sbatch'): Promise<{ array: string; merge: string }> {
  const array = await runSbatch(sbatch, ['--parsable', scripts.sweep]);
  const merge = await runSbatch(sbatch, ['--parsable', `--dependency=afterok:${array}`, scripts.merge]);
  return { array, merge };
}

function runSbatch(sbatch: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(sbatch, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${sbatch} not found (is this a Slurm login node?)` : String(stderr).trim() || err.message;
        reject(new Error(`sbatch ${args.join(' ')} failed: ${why}`));
        return;
      }
      // --parsable prints "id" or "id;cluster".
      const id = String(stdout).trim().split(';')[0];
      if (!/^[0-9]+$/.test(id)) reject(new Error(`sbatch ${args.join(' ')} printed "${String(stdout).trim()}", not a job id`));
      else resolvePromise(id);
    });
  });
}
