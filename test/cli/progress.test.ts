import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatDuration } from '../../src/cli/progress.js';
import type { Progress } from '../../src/propagator/propagate.js';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY, columns: 120 },
  );
  return { stream, chunks };
}

const at = (step: number, steps = 100, elapsed = step / 10): Progress => ({
  fraction: step / steps, t: step * 0.5, step, steps, elapsedSeconds: elapsed, etaSeconds: ((steps - step) * elapsed) / step,
});

describe('progress on stderr', () => {
  it('writes plain lines off a terminal: at most one per second and one per 10 %', () => {
    const { stream, chunks } = capture(false);
    let clock = 0;
    const reporter = createProgressReporter(stream, { tEnd: 50, now: () => clock });
    for (let step = 1; step <= 100; step++) {
      clock = step * 200; // 5 steps per second: the 10 % rule limits
      reporter.update(at(step));
    }
    expect(chunks).toHaveLength(10);
    expect(chunks[0]).toBe('progress  10.0%  t = 5 / 50 fs  elapsed 1.0 s  ETA 9.0 s\n');
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r'))).toBe(true);

    const slow = capture(false);
    clock = 0;
    const fast = createProgressReporter(slow.stream, { tEnd: 50, now: () => clock });
    for (let step = 1; step <= 100; step++) {
      clock = step * 25; // 40 steps per second: the one-per-second rule limits
      fast.update(at(step));
    }
    expect(slow.chunks).toHaveLength(2);
  });

  it('redraws one bar in place on a terminal and clears it when stopped', () => {
    const { stream, chunks } = capture(true);
    let clock = 0;
    const reporter = createProgressReporter(stream, { tEnd: 50, now: () => clock });
    for (let step = 1; step <= 100; step++) {
      clock = step * 20;
      reporter.update(at(step));
    }
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.length).toBeLessThanOrEqual(21);
    expect(chunks.at(-1)).toContain('[########################] 100.0%  t = 50 / 50 fs');
    expect(chunks.every((c) => c.startsWith('\r') && !c.includes('\n'))).toBe(true);
    reporter.stop();
    expect(chunks.at(-1)).toBe('\r\x1b[K');
    reporter.update(at(100));
    expect(chunks.at(-1)).toBe('\r\x1b[K');
  });

  it('formats durations for people', () => {
    expect(formatDuration(4.24)).toBe('4.2 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(725)).toBe('12m05s');
    expect(formatDuration(3 * 3600 + 4 * 60 + 10)).toBe('3h04m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});
