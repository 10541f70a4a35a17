/** Node-only helpers of the harness: the machine it runs on, and garbage collection between cases. */

import os from 'node:os';
import { sig } from './core/figures.js';

/** Frees what the previous case left, so one case's garbage is not collected inside the next one's timing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export interface Machine {
  cpu: string;
  /** Cores Node may use (os.availableParallelism()). */
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started and when it ended: other processes share the machine. */
  loadAverage: { start: number; end?: number };
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: { start: os.loadavg()[0] },
  };
}

/** The machine in one sentence, for the generated sections. */
export function machineSentence(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores (os.availableParallelism), ${sig(m.memoryBytes / 2 ** 30)} GiB memory, Node ${m.node}, ${m.platform}. ` +
    `1-minute load average ${m.loadAverage.start.toFixed(2)} at the start and ${(m.loadAverage.end ?? NaN).toFixed(2)} at the end ` +
    '(it counts this benchmark\'s own threads; a figure well above the thread count means other work shared the cores).';
}
