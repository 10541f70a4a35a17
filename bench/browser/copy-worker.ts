/** The host copy-bandwidth reference in a browser: bench/core/copy-bandwidth.ts with its workers as Web Workers. */

import { COPY_WORKER_SOURCE, measureCopyBandwidth, type BandwidthResult, type CopyWorker } from '../core/copy-bandwidth.js';

function browserCopyWorker(): CopyWorker {
  const url = URL.createObjectURL(new Blob([COPY_WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    run: (message) =>
      new Promise<void>((resolve, reject) => {
        w.onmessage = () => resolve();
        w.onerror = (e) => reject(new Error(`copy worker: ${e.message}`));
        w.postMessage(message);
      }),
    terminate: () => w.terminate(),
  };
}

export const measureBrowserCopy = (threads: number): Promise<BandwidthResult> => measureCopyBandwidth(threads, browserCopyWorker);
