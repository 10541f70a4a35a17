/**
 * The host memory-bandwidth reference: a large Float64Array copy
 * (TypedArray.set, i.e. memmove), counted as bytes read + bytes written, the
 * STREAM "copy" convention. With several threads each worker copies its own
 * contiguous slice of shared buffers, as the CPU backend's workers own
 * contiguous ranges of orbital blocks. The arrays are far larger than any
 * cache. How a worker starts is the host's (worker_threads in Node, a Web
 * Worker in a browser): the caller passes `spawn`.
 */

import { nowSeconds, spread, type Spread } from './figures.js';

export interface BandwidthResult {
  threads: number;
  bytesPerCopy: number;
  /** GB/s (1e9 bytes) of read + write, median over the repetitions, and its spread. */
  gbs: Spread;
}

/** One copy worker: run() posts a slice and resolves when it is copied. */
export interface CopyWorker {
  run(message: { src: SharedArrayBuffer; dst: SharedArrayBuffer; start: number; end: number }): Promise<void>;
  terminate(): void;
}

/** The worker's code, for either host: Node's worker_threads (eval) or a browser's Worker (a Blob URL). */
export const COPY_WORKER_SOURCE = `
const wt = globalThis.process?.getBuiltinModule?.('node:worker_threads');
const onMessage = wt ? (f) => wt.parentPort.on('message', f) : (f) => { self.onmessage = (e) => f(e.data); };
const reply = wt ? (m) => wt.parentPort.postMessage(m) : (m) => self.postMessage(m);
onMessage(({ src, dst, start, end }) => {
  const s = new Float64Array(src, start * 8, end - start);
  const d = new Float64Array(dst, start * 8, end - start);
  d.set(s);
  reply(d[end - start - 1]);
});
`;

/** Copies `doubles` f64 values between two arrays, `reps` times after one warm-up, on `threads` threads. */
export async function measureCopyBandwidth(
  threads: number,
  spawn: () => CopyWorker,
  doubles = 16 * 1024 * 1024,
  reps = 7,
): Promise<BandwidthResult> {
  const bytes = doubles * 8;
  // Workers need shared buffers; one thread does not (a browser page that is not cross-origin isolated has none).
  const Buffer = threads > 1 ? SharedArrayBuffer : ArrayBuffer;
  const src = new Float64Array(new Buffer(bytes));
  const dst = new Float64Array(new Buffer(bytes));
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
    const workers = Array.from({ length: threads }, spawn);
    try {
      const once = () =>
        Promise.all(workers.map((w, p) => w.run({
          src: src.buffer as SharedArrayBuffer, dst: dst.buffer as SharedArrayBuffer,
          start: Math.floor((p * doubles) / threads), end: Math.floor(((p + 1) * doubles) / threads),
        })));
      for (let r = 0; r <= reps; r++) {
        const t0 = nowSeconds();
        await once();
        if (r > 0) seconds.push(nowSeconds() - t0);
      }
    } finally {
      for (const w of workers) w.terminate();
    }
  }
  if (dst[doubles - 1] !== doubles - 1) throw new Error('bandwidth reference: the copy did not happen');
  // GB/s from each time: the median rate is the rate of the median time.
  return { threads, bytesPerCopy: bytes, gbs: spread(seconds.map((s) => (2 * bytes) / s / 1e9)) };
}

/** Measures each thread count once per run and hands the same figure to every backend that asks. */
export function copyBandwidthCache(measure: (threads: number) => Promise<BandwidthResult>) {
  const results = new Map<number, Promise<BandwidthResult>>();
  return {
    get(threads: number): Promise<BandwidthResult> {
      let r = results.get(threads);
      if (!r) results.set(threads, (r = measure(threads)));
      return r;
    },
    /** Everything measured so far, by thread count. */
    async all(): Promise<BandwidthResult[]> {
      return (await Promise.all(results.values())).sort((a, b) => a.threads - b.threads);
    },
  };
}

export type CopyBandwidthCache = ReturnType<typeof copyBandwidthCache>;

export const hostCopyDescription = (b: BandwidthResult): string =>
  `host memcpy: ${(b.bytesPerCopy / 2 ** 20).toFixed(0)} MiB Float64Array copy on ${b.threads} thread${b.threads > 1 ? 's' : ''}, read + write counted`;
