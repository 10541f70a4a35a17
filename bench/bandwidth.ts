/**
 * The host copy-bandwidth reference in Node: bench/core/copy-bandwidth.ts
 * with its workers on worker_threads.
 */

import { Worker } from 'node:worker_threads';
import { COPY_WORKER_SOURCE, measureCopyBandwidth, type BandwidthResult, type CopyWorker } from './core/copy-bandwidth.js';

function nodeCopyWorker(): CopyWorker {
  const w = new Worker(COPY_WORKER_SOURCE, { eval: true });
  return {
    run: (message) =>
      new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
        w.postMessage(message);
      }),
    terminate: () => void w.terminate(),
  };
}

export const measureHostCopy = (threads: number): Promise<BandwidthResult> => measureCopyBandwidth(threads, nodeCopyWorker);
