/**
 * Worker threads for the CPU backend, on either host: worker_threads in Node,
 * Web Workers in the browser. The worker's code is bundled into a string at
 * build time (scripts/generate.mjs), so it starts the same way from the
 * TypeScript sources, the compiled package and a Vite bundle.
 */

import { CPU_WORKER_SOURCE } from '../../generated/cpu-worker-source.js';

export interface ThreadHandle {
  post(message: unknown): void;
  /** Resolves with the next message; rejects if the worker fails or exits. */
  next<T>(): Promise<T>;
  terminate(): void;
}

interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true }) => {
    postMessage(m: unknown): void;
    on(event: string, cb: (v: unknown) => void): void;
    terminate(): Promise<number>;
    unref(): void;
  };
}

function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
}

/** Logical cores the host reports. */
export function hostCores(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus: () => unknown[] } | undefined;
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** Whether threads can share the state: SharedArrayBuffer exists and (in a browser) the page is cross-origin isolated. */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

/** A queue that pairs each incoming message (or failure) with the next waiter. */
function messageQueue() {
  const messages: unknown[] = [];
  const waiters: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  return {
    push(m: unknown) {
      const w = waiters.shift();
      if (w) w.resolve(m);
      else messages.push(m);
    },
    fail(e: Error) {
      failure ??= e;
      for (const w of waiters.splice(0)) w.reject(failure);
    },
    next<T>(): Promise<T> {
      if (messages.length) return Promise.resolve(messages.shift() as T);
      if (failure) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => waiters.push({ resolve: resolve as (v: unknown) => void, reject }));
    },
  };
}

export function spawnCpuWorker(): ThreadHandle {
  const queue = messageQueue();
  const wt = nodeWorkerThreads();
  if (wt) {
    const w = new wt.Worker(CPU_WORKER_SOURCE, { eval: true });
    w.on('message', (m) => queue.push(m));
    w.on('error', (e) => queue.fail(e instanceof Error ? e : new Error(String(e))));
    w.on('exit', (code) => queue.fail(new Error(`CPU worker thread exited (code ${String(code)})`)));
    return {
      post: (m) => w.postMessage(m),
      next: () => queue.next(),
      terminate: () => void w.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([CPU_WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  w.onmessage = (ev) => queue.push(ev.data);
  w.onerror = (ev) => queue.fail(new Error(`CPU worker failed: ${ev.message}`));
  return {
    post: (m) => w.postMessage(m),
    next: () => queue.next(),
    terminate: () => w.terminate(),
  };
}
