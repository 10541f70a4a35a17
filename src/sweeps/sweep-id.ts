/**
 * A sweep's identity: a hash of its grid, its mode and every point's full
 * config (defaults filled in), so two ways of writing the same sweep ({} and
 * the defaults spelled out) agree, and any change to what a point computes
 * gives another id. Resume and merge mix only points of one id.
 *
 * The configs' basis is left out: it changes how a point is computed, not
 * what (every basis gives the same results within the backend's tolerance,
 * MODEL.md, Symmetry), and "auto" resolves per backend. So a sweep begun with
 * "auto" resumes or merges with one that names the basis "auto" took on a
 * shard's backend, and the reverse. (A grid over basis keeps its points
 * apart: the grid is hashed as written.)
 */

import type { RunConfig } from '../model/config.js';
import type { SweepGrid, SweepMode } from './grid.js';

export function sweepId(grid: SweepGrid, mode: SweepMode, points: readonly { config: RunConfig }[]): string {
  const text = JSON.stringify({ grid, mode, configs: points.map((p) => sortedKeys(withoutBasis(p.config))) });
  return fnv1a64(text);
}

function withoutBasis(config: RunConfig): Omit<RunConfig, 'basis'> {
  const { basis: _basis, ...rest } = config;
  return rest;
}

function sortedKeys(config: Omit<RunConfig, 'basis'>): Record<string, unknown> {
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
