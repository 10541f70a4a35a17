/**
 * The memory-bandwidth reference: a large Float64Array copy (TypedArray.set,
 * i.e. memmove), counted as bytes read + bytes written, the STREAM "copy"
 * convention. With several threads each worker copies its own contiguous
 * slice of shared buffers, as the CPU backend's workers own contiguous ranges
 * of orbital blocks. The arrays are far larger than any cache.
 */

import { Worker } from 'node:worker_threads';
import { nowSeconds, spread, type Spread } from './stats.js';

export interface BandwidthResult {
  threads: number;
  bytesPerCopy: number;
  /** GB/s (1e9 bytes) of read + write, median over the repetitions, and its spread. */
  gbs: Spread;
}

const WORKER_SOURCE = `
const { parentPort } = process.getBuiltinModule('node:worker_threads');
parentPort.on('message', ({ src, dst, start, end }) => {
  const s = new Float64Array(src, start * 8, end - start);
  const d = new Float64Array(dst, start * 8, end - start);
  d.set(s);
  parentPort.postMessage(d[end - start - 1]);
});
`;

/** Copies `doubles` f64 values between two arrays, `reps` times after one warm-up, on `threads` threads. */
export async function measureCopyBandwidth(threads: number, doubles = 16 * 1024 * 1024, reps = 7): Promise<BandwidthResult> {
  const bytes = doubles * 8;
  const src = new Float64Array(new SharedArrayBuffer(bytes));
  const dst = new Float64Array(new SharedArrayBuffer(bytes));
  for (let i = 0; i < doubles; i++) src[i] = i;
  dst.fill(1); // touch every page before timing
  const seconds: number[] = [];
  if (threads <= 1) {
    for (let r = 0; r <= reps; r++) {
      const t0 = nowSeconds();
      dst.set(src);
      if (r > 0) seconds.push(nowSeconds() - t0);
    }
  } else {
    const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true }));
    try {
      const once = () =>
        Promise.all(
          workers.map(
            (w, p) =>
              new Promise<void>((resolve, reject) => {
                w.once('message', () => resolve());
                w.once('error', reject);
                w.postMessage({
                  src: src.buffer, dst: dst.buffer,
                  start: Math.floor((p * doubles) / threads), end: Math.floor(((p + 1) * doubles) / threads),
                });
              }),
          ),
        );
      for (let r = 0; r <= reps; r++) {
        const t0 = nowSeconds();
        await once();
        if (r > 0) seconds.push(nowSeconds() - t0);
      }
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
  if (dst[doubles - 1] !== doubles - 1) throw new Error('bandwidth reference: the copy did not happen');
  // GB/s from each time: the median rate is the rate of the median time.
  const gbs = spread(seconds.map((s) => (2 * bytes) / s / 1e9));
  return { threads, bytesPerCopy: bytes, gbs };
}
