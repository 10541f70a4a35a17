/**
 * Progress on stderr. On a terminal: one bar, redrawn in place at most ten
 * times a second, with the percentage, the simulated time, the elapsed time
 * and the ETA. Elsewhere (a log file, a pipe): plain lines, at most one per
 * second and one per 10 % of the run, so a log of a long run stays short.
 */

import type { Progress } from '../propagator/propagate.js';
import type { TextOutput } from './io.js';

/** Anything with a share done: a run's Progress, a study's StudyProgress. */
export interface Fraction {
  fraction: number;
}

export interface ProgressReporter<P extends Fraction = Progress> {
  update(p: P): void;
  /** Clears the bar (terminal) so that what follows starts on a clean line; later updates are ignored. */
  stop(): void;
}

export interface ProgressOptions<P extends Fraction = Progress> {
  /** Last output time of the run, fs (for the default text of a run's Progress). */
  tEnd?: number;
  /** The text after the bar (default: progressText of a run). */
  format?: (p: P) => string;
  /** Milliseconds clock (tests pass a fake one). */
  now?: () => number;
}

const BAR_WIDTH = 24;
const TTY_INTERVAL_MS = 100;
const LINE_INTERVAL_MS = 1000;
const LINE_FRACTION = 0.1;

export function createProgressReporter<P extends Fraction = Progress>(stream: TextOutput, options: ProgressOptions<P>): ProgressReporter<P> {
  const format = options.format ?? ((p: P) => progressText(p as unknown as Progress, options.tEnd ?? Number.NaN));
  return stream.isTTY ? terminalReporter(stream, options, format) : lineReporter(stream, options, format);
}

function terminalReporter<P extends Fraction>(stream: TextOutput, options: ProgressOptions<P>, format: (p: P) => string): ProgressReporter<P> {
  const now = options.now ?? Date.now;
  let last = -Infinity;
  let drawn = false;
  let stopped = false;
  return {
    update(p) {
      if (stopped || (now() - last < TTY_INTERVAL_MS && p.fraction < 1)) return;
      last = now();
      const filled = Math.round(p.fraction * BAR_WIDTH);
      let line = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${format(p)}`;
      if (stream.columns && line.length >= stream.columns) line = line.slice(0, stream.columns - 1);
      // \r back to column 0, ESC[K clears what a longer previous line left.
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    },
    stop() {
      if (drawn && !stopped) stream.write('\r\x1b[K');
      stopped = true;
    },
  };
}

function lineReporter<P extends Fraction>(stream: TextOutput, options: ProgressOptions<P>, format: (p: P) => string): ProgressReporter<P> {
  const now = options.now ?? Date.now;
  let last = now();
  let lastFraction = 0;
  let stopped = false;
  return {
    update(p) {
      if (stopped || now() - last < LINE_INTERVAL_MS || p.fraction - lastFraction < LINE_FRACTION - 1e-9) return;
      last = now();
      lastFraction = p.fraction;
      stream.write(`progress ${format(p)}\n`);
    },
    stop() {
      stopped = true;
    },
  };
}

/** "42.0%  t = 33.5 / 80 fs  elapsed 12 s  ETA 17 s" */
export function progressText(p: Progress, tEnd: number): string {
  const eta = p.etaSeconds === undefined ? '?' : formatDuration(p.etaSeconds);
  return (
    `${(100 * p.fraction).toFixed(1).padStart(5)}%  t = ${formatTime(p.t)} / ${formatTime(tEnd)} fs` +
    `  elapsed ${formatDuration(p.elapsedSeconds)}  ETA ${eta}`
  );
}

function formatTime(t: number): string {
  return String(Number(t.toPrecision(6)));
}

/** 4.2 s, 42 s, 12m05s, 3h04m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  if (seconds < 59.5) return `${Math.round(seconds)} s`;
  if (seconds < 3599.5) {
    const s = Math.round(seconds);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  }
  const m = Math.round(seconds / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
