/**
 * The basis a run will use on the chosen backend, for what the page shows
 * before it runs (state size, memory, predicted time). The one place the
 * dashboard decides it: it must agree with the engine's own resolution of
 * basis "auto", and can be pointed at it.
 */

import { DEFAULT_CONFIG, type Basis } from '../model/config.js';

/**
 * The basis a run of `input` on `backend` will use: the config's "full" or
 * "sector" as given; otherwise (basis "auto", or the default when that is
 * "auto") the sector wherever the backend runs it (CPU, WebGPU, and "auto",
 * which picks one of them for the sector) and the full basis on gpu.js.
 */
export function basisForRun(input: { basis?: unknown }, backend: string): Basis {
  const asked = input.basis ?? DEFAULT_CONFIG.basis;
  if (asked === 'full' || asked === 'sector') return asked;
  return backend.startsWith('gpujs') ? 'full' : 'sector';
}

/** The input with its basis as the run will use it, for the page's own checks and estimates (the job itself keeps the input as written). */
export function withRunBasis(input: Record<string, unknown>, backend: string): Record<string, unknown> {
  // Only "auto" (or no basis where the default is "auto") is resolved; any other value stays, for the validation to name.
  if ((input.basis ?? DEFAULT_CONFIG.basis) !== 'auto') return input;
  return { ...input, basis: basisForRun(input, backend) };
}
