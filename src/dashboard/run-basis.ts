/**
 * The basis a run will use on the chosen backend, for what the page shows
 * before it runs (state size, memory, predicted time). The one place the
 * dashboard decides it, through the engine's own resolution of basis "auto"
 * (model/basis.ts) over the bases each backend name runs.
 */

import { WEBGPU_BASES, WEBGPU_EXTENDED_TERMS_BASES } from '../backends/webgpu/bases.js';
import { BASES_FASTEST_FIRST, resolveBasis } from '../model/basis.js';
import { DEFAULT_CONFIG, EXTENDED_DEFAULTS, EXTENDED_KEYS, type Basis, type RunConfig } from '../model/config.js';

/** Bases a backend name runs, fastest first, as its backend lists them ("auto": the CPU's, the tab's path without a hardware GPU). */
function basesOfBackendName(backend: string): readonly Basis[] {
  if (backend.startsWith('gpujs')) return ['full'];
  if (backend === 'webgpu') return WEBGPU_BASES;
  return BASES_FASTEST_FIRST;
}

/**
 * The basis a run of `input` on `backend` will use: a basis named in the
 * config as given; for "auto" (or no basis, the default being "auto") what
 * the engine's resolver takes on that backend.
 */
export function basisForRun(input: { basis?: unknown; L?: unknown; state?: unknown }, backend: string): Basis {
  const asked = input.basis ?? DEFAULT_CONFIG.basis;
  if (asked !== 'auto') return asked as Basis;
  // The keys beyond the paper steer "auto" too (localSpin above 1/2, terms a backend runs in some bases only).
  const given = input as Record<string, unknown>;
  const isDefault = (k: (typeof EXTENDED_KEYS)[number]) =>
    given[k] === undefined || given[k] === '' || given[k] === false || given[k] === (EXTENDED_DEFAULTS as Record<string, unknown>)[k];
  const extended = Object.fromEntries(EXTENDED_KEYS.filter((k) => !isDefault(k)).map((k) => [k, given[k]]));
  const config = {
    ...extended,
    basis: 'auto' as const,
    L: typeof input.L === 'number' ? input.L : DEFAULT_CONFIG.L,
    state: (typeof input.state === 'string' ? input.state : DEFAULT_CONFIG.state) as RunConfig['state'],
  };
  try {
    const extendedTermsBases = backend === 'webgpu' ? WEBGPU_EXTENDED_TERMS_BASES : undefined;
    return resolveBasis(config, { name: backend, bases: basesOfBackendName(backend), ...(extendedTermsBases ? { extendedTermsBases } : {}) }).basis;
  } catch {
    // No basis of that backend holds the state (gpu.js past L = 24): the run's own check names it; size it as the first.
    return basesOfBackendName(backend)[0];
  }
}

/** The input with its basis as the run will use it, for the page's own checks and estimates (the job itself keeps the input as written). */
export function withRunBasis(input: Record<string, unknown>, backend: string): Record<string, unknown> {
  // Only "auto" (or no basis where the default is "auto") is resolved; any other value stays, for the validation to name.
  if ((input.basis ?? DEFAULT_CONFIG.basis) !== 'auto') return input;
  return { ...input, basis: basisForRun(input, backend) };
}
