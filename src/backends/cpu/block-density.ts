/**
 * n(x) from the weight of one orbital block, for both bases' reductions: a
 * block (xA, xB) = xA N + xB puts its weight on both electrons' sites (MODEL.md:
 * n(x) = <n_A(x)> + <n_B(x)>); a one-electron block x on x alone.
 */

/** density[x] += w for the sites of block `block`. */
export function addBlockDensity(density: Float64Array, N: number, electrons: number, block: number, w: number): void {
  if (electrons === 2) {
    const xA = (block / N) | 0;
    density[xA] += w;
    density[block - xA * N] += w;
  } else {
    density[block] += w;
  }
}

/** The same for a complex weight (cross terms <a|n(x)|b>), density interleaved complex. */
export function addBlockCrossDensity(density: Float64Array, N: number, electrons: number, block: number, wr: number, wi: number): void {
  if (electrons === 2) {
    const xA = (block / N) | 0;
    const xB = block - xA * N;
    density[2 * xA] += wr;
    density[2 * xA + 1] += wi;
    density[2 * xB] += wr;
    density[2 * xB + 1] += wi;
  } else {
    density[2 * block] += wr;
    density[2 * block + 1] += wi;
  }
}
