/**
 * The bases the WebGPU backend runs, fastest first ("auto" takes the first
 * that holds the state), as on the CPU: the antisymmetric half of the sector
 * (two electrons), the sector, the full basis. Its own module, free of GPU
 * code, so that the dashboard's page resolves "auto" from the backend's
 * list without loading the backend (dashboard/run-basis.ts).
 */

import type { Basis } from '../../model/config.js';

export const WEBGPU_BASES = ['antisymmetric', 'sector', 'full'] as const satisfies readonly Basis[];

/** The bases in which it runs the keys beyond the paper: the antisymmetric kernels hold the paper's terms only. */
export const WEBGPU_EXTENDED_TERMS_BASES = ['sector', 'full'] as const satisfies readonly Basis[];
