/**
 * A sweep's identity: a hash of its grid, its mode and every point's full
 * config (defaults filled in), so two ways of writing the same sweep ({} and
 * the defaults spelled out) agree, and any change to what a point computes
 * gives another id. Resume and merge mix only points of one id.
 */

import type { RunConfig } from '../model/config.js';
import type { SweepGrid, SweepMode } from './grid.js';

export function sweepId(grid: SweepGrid, mode: SweepMode, points: readonly { config: RunConfig }[]): string {
  const text = JSON.stringify({ grid, mode, configs: points.map((p) => sortedKeys(p.config)) });
  return fnv1a64(text);
}

function sortedKeys(config: RunConfig): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * 64-bit FNV-1a over the UTF-16 code units, as 16 hex digits: no crypto
 * module needed, so the browser computes the same id as Node. An identity
 * check between a user's own folders, not a defence against forgery.
 */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}
