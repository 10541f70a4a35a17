/**
 * The one comparison every numerical test goes through: each entry of
 * `actual` must satisfy |actual - expected| <= abs + rel * |expected|.
 * Numbers, arrays, typed arrays and nested arrays of them are compared entry
 * by entry; shapes must match. A failure names how many entries fail and the
 * worst one, with its path, both values, the difference and the allowance.
 */

import { assert } from 'vitest';

export interface Tolerance {
  /** Absolute allowance. */
  abs?: number;
  /** Allowance relative to |expected|. */
  rel?: number;
}

export interface CloseOptions extends Tolerance {
  /** Names the compared quantity in the failure message. */
  label?: string;
}

export type NumericTree = number | ArrayLike<number> | readonly NumericTree[];

interface Worst {
  path: string;
  actual: number;
  expected: number;
  diff: number;
  allowed: number;
  /** diff / allowed (Infinity for NaN or an exact comparison that fails). */
  excess: number;
}

export function expectClose(actual: NumericTree, expected: NumericTree, options: CloseOptions = {}): void {
  const abs = options.abs ?? 0;
  const rel = options.rel ?? 0;
  const label = options.label ? `${options.label}: ` : '';
  let failures = 0;
  let compared = 0;
  let worst: Worst | undefined;

  const walk = (a: unknown, e: unknown, path: string): void => {
    if (typeof e === 'number') {
      if (typeof a !== 'number') assert.fail(`${label}at ${path || 'the top'} expected a number, got ${describe(a)}`);
      compared++;
      if (a === e) return; // also equal infinities
      const diff = Math.abs(a - e);
      const allowed = abs + rel * Math.abs(e);
      if (diff <= allowed) return; // NaN compares false and fails below
      failures++;
      const excess = Number.isNaN(diff) || allowed === 0 ? Infinity : diff / allowed;
      if (!worst || excess > worst.excess || (excess === worst.excess && diff > worst.diff)) {
        worst = { path, actual: a, expected: e, diff, allowed, excess };
      }
      return;
    }
    if (!isArrayLike(e)) assert.fail(`${label}expected value at ${path || 'the top'} is ${describe(e)}, not a number or an array`);
    if (!isArrayLike(a)) assert.fail(`${label}at ${path || 'the top'} expected an array of ${e.length}, got ${describe(a)}`);
    if (a.length !== e.length) {
      assert.fail(`${label}at ${path || 'the top'} expected length ${e.length}, got ${a.length}`);
    }
    for (let i = 0; i < e.length; i++) walk(a[i], e[i], `${path}[${i}]`);
  };

  walk(actual, expected, '');
  if (worst) {
    assert.fail(
      `${label}${failures} of ${compared} entries differ by more than abs ${abs} + rel ${rel} |expected|; ` +
        `worst at ${worst.path || 'the top'}: actual ${worst.actual}, expected ${worst.expected}, ` +
        `|diff| ${worst.diff.toExponential(3)} > allowed ${worst.allowed.toExponential(3)}`,
    );
  }
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number';
}

function describe(v: unknown): string {
  if (isArrayLike(v)) return `an array of ${v.length}`;
  return v === null ? 'null' : typeof v === 'number' ? String(v) : typeof v;
}
