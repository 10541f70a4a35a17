/** The runs the WebGPU browser page makes, shared with the Node side that checks them. */

import type { RunConfigInput } from '../../../src/model/config.js';

/** Basis "sector" in the page: one run per electron count (T- is K = 2, the single electron K = 1). */
export const BROWSER_SECTOR_CONFIGS: readonly RunConfigInput[] = [
  { N: 14, L: 4, spinStart: 6, x2: 6, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, state: 'T-', basis: 'sector' },
  { N: 14, L: 4, spinStart: 6, x2: 6, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, state: 'single', electronSpin: 'pauli', basis: 'sector' },
];
