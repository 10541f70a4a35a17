/**
 * The sd couplings of each local spin as the CPU kernels read them (both
 * bases): J_sd per site (JsdSites, MODEL.md "Beyond the paper") is a weight
 * on the uniform sdZz and sdFlip of HamiltonianTerms. Without JsdSites every
 * entry is the uniform value itself, so the paper's model gives the same
 * numbers to the last bit.
 */

import type { HamiltonianTerms } from '../../model/hamiltonian.js';

/** sdZz and sdFlip per local spin: the uniform values, or times each site's weight (JsdSites). */
export function sdPerSite(h: HamiltonianTerms): { sdZzAt: Float64Array; sdFlipAt: Float64Array } {
  const { L } = h.layout;
  const w = h.sdSiteWeights;
  const sdZzAt = new Float64Array(L), sdFlipAt = new Float64Array(L);
  for (let j = 0; j < L; j++) {
    sdZzAt[j] = w ? h.sdZz * w[j] : h.sdZz;
    sdFlipAt[j] = w ? h.sdFlip * w[j] : h.sdFlip;
  }
  return { sdZzAt, sdFlipAt };
}

