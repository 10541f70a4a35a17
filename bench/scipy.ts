/**
 * The scipy baseline: runs bench/scipy_csr.py (the same H as a scipy.sparse
 * CSR matrix) and checks first that it is the same operator as the CPU
 * kernel: H x from scipy and from applyHamiltonianToBlock over every block must
 * agree to 1e-12 for a random complex x, on a small case and at the timed size.
 */

import { resolvedConfig } from '../src/model/basis.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyHamiltonianToBlock, blockOperator } from '../src/backends/cpu/kernel.js';
import { parseRunConfig } from '../src/model/config.js';
import { hamiltonianTerms } from '../src/model/hamiltonian.js';

/** bench/scipy_csr.py, found from dist/bench/ (compiled) or bench/ (sources). */
const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT = here.endsWith(join('dist', 'bench')) ? join(here, '..', '..', 'bench', 'scipy_csr.py') : join(here, 'scipy_csr.py');

export interface ScipyVariant {
  name: string;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  reps: number;
  ampsPerSecond: number;
}

export interface ScipyResult {
  N: number;
  L: number;
  dim: number;
  nnz: number;
  nnzPerRow: number;
  csrBytes: number;
  buildSeconds: number;
  variants: ScipyVariant[];
  best: ScipyVariant;
  python: string;
  numpy: string;
  scipy: string;
  /** max |H x (scipy) - H x (kernel)| / max |H x| at this size. */
  checkRelError: number;
}

/** Largest relative disagreement the cross-check accepts. */
export const CHECK_TOLERANCE = 1e-12;

function python(args: string[]): string {
  try {
    return execFileSync('python3', [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`python3 ${SCRIPT} ${args.join(' ')} failed (is python3 with numpy and scipy installed? --no-scipy skips it):\n${err.stderr ?? err.message}`);
  }
}

/** H x on every block with the TypeScript kernel (unscaled H of the default parameters at N, L). */
function kernelApply(N: number, L: number, x: Float64Array): Float64Array {
  const op = blockOperator(hamiltonianTerms(resolvedConfig(parseRunConfig({ N, L }), 'full')));
  const y = new Float64Array(x.length);
  const scratch = new Float64Array(2 * op.B);
  for (let b = 0; b < op.blocks; b++) {
    applyHamiltonianToBlock(op, x, b, scratch);
    y.set(scratch, b * 2 * op.B);
  }
  return y;
}

/** A reproducible random complex state (interleaved), entries in [-1, 1). */
function randomState(dim: number, seed: number): Float64Array {
  const x = new Float64Array(2 * dim);
  let s = seed >>> 0;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

/**
 * Runs the script at N, L: with `time`, times H @ x and returns the figures;
 * always compares its H x with the kernel's and throws when they differ.
 */
export function runScipy(N: number, L: number, opts: { time: boolean; reps?: number }): ScipyResult | { N: number; L: number; dim: number; checkRelError: number } {
  const dim = N * N * 4 * 2 ** L;
  const dir = mkdtempSync(join(tmpdir(), 'spin-transfer-bench-'));
  try {
    const inFile = join(dir, 'x.f64');
    const outFile = join(dir, 'y.f64');
    const x = randomState(dim, 12345 + N * 1000 + L);
    writeFileSync(inFile, new Uint8Array(x.buffer));
    const args = ['--N', String(N), '--L', String(L), '--apply', inFile, outFile];
    if (opts.time) args.push('--reps', String(opts.reps ?? 7));
    else args.push('--no-time');
    const out = JSON.parse(python(args)) as Omit<ScipyResult, 'checkRelError'>;
    const bytes = readFileSync(outFile);
    const theirs = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    const ours = kernelApply(N, L, x);
    if (theirs.length !== ours.length) throw new Error(`scipy H x has ${theirs.length / 2} amplitudes, the kernel's ${ours.length / 2}`);
    let diff = 0, scale = 0;
    for (let i = 0; i < ours.length; i++) {
      diff = Math.max(diff, Math.abs(ours[i] - theirs[i]));
      scale = Math.max(scale, Math.abs(ours[i]));
    }
    const checkRelError = diff / scale;
    if (!(checkRelError <= CHECK_TOLERANCE)) {
      throw new Error(`scipy's CSR H and the CPU kernel differ at N=${N}, L=${L}: max |dy| / max |y| = ${checkRelError} > ${CHECK_TOLERANCE}; the speed ratio would compare different operators`);
    }
    return { ...out, checkRelError };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
