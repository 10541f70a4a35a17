/** The runs the WebGPU browser page makes, shared with the Node side that checks them. */

import type { RunConfigInput } from '../../../src/model/config.js';

/**
 * Bases "sector" and "antisymmetric" in the page: one sector run per electron count (T- is K = 2, the
 * single electron K = 1), and T0 in the antisymmetric half with its packets across the ring's seam.
 */
export const BROWSER_SECTOR_CONFIGS: readonly RunConfigInput[] = [
  { N: 14, L: 4, spinStart: 6, x2: 6, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, state: 'T-', basis: 'sector' },
  { N: 14, L: 4, spinStart: 6, x2: 6, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, state: 'single', electronSpin: 'pauli', basis: 'sector' },
  { N: 13, L: 3, spinStart: 1, x2: 0, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, state: 'T0', basis: 'antisymmetric' },
];

/**
 * The theta sweep in the page, in the antisymmetric half (what auto takes on WebGPU): both parts
 * antisymmetric, angles on and off the phase states' own, the leading packet across the ring's seam.
 */
export const BROWSER_THETA_SWEEP: { config: RunConfigInput; thetas: number[] } = {
  config: { N: 13, L: 3, spinStart: 1, x2: 0, d: 3, sigma: 1.5, Jsd: 0.6, tEnd: 3, dt: 0.5, basis: 'antisymmetric' },
  thetas: [0, 1.1, Math.PI, 5],
};
