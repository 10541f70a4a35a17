/**
 * The gpu.js kernels, as source text (gpu.js parses a kernel's source; text
 * survives bundlers and test transforms that rewrite function bodies).
 *
 * Layout: one f32 array of 2 dim numbers, the canonical layout of MODEL.md
 * with real and imaginary parts interleaved (re at 2 index, im at 2 index + 1).
 * H is real (src/model/hamiltonian.ts), so H acts on the real and imaginary
 * numbers alike: thread i reads only entries of its own parity, and one 1D
 * kernel over 2 dim threads covers both. Only the (-i)^k phase of the
 * accumulation mixes them (ACCUMULATE reads the partner i +- 1).
 *
 * Index arithmetic is done in floats with Math.floor (no bitwise operators,
 * which not every gpu.js backend lowers): exact for indices below 2^24, and
 * the tests keep dim far below that.
 *
 * Constants (fixed per problem): N sites, S = 2^L, B = block size, L, E electrons.
 */

/**
 * next = alpha H~ cur - beta prev (prev = T_{k-2}; ignored when beta = 0).
 * Arguments: cur, prev (2 dim); alpha, beta; hop, exFlip, sdZz, sdFlip (the
 * matrix elements of H~); diag (2^L: J_ex diagonal + shift per m);
 * spinAt (N: local spin on each site, -1 for none).
 * Cost per number: 2 (one electron) or 4 (two) neighbour reads, up to L-1
 * exchange partners, and 1-2 sd partners on blocks with an electron on a spin.
 */
export const TERM_KERNEL = `function (cur, prev, alpha, beta, hop, exFlip, sdZz, sdFlip, diag, spinAt) {
  const i = this.thread.x;
  const N = this.constants.N;
  const S = this.constants.S;
  const B = this.constants.B;
  const B2 = 2.0 * B;
  const amp = Math.floor(i / 2.0);
  const block = Math.floor(amp / B);
  const within = amp - block * B;
  const e = Math.floor(within / S);
  const m = within - e * S;
  const offset = i - block * B2;
  let xA = block;
  let xB = 0.0;
  if (this.constants.E === 2) {
    xA = Math.floor(block / N);
    xB = block - xA * N;
  }
  let xAm = xA - 1.0;
  if (xAm < 0.0) { xAm = N - 1.0; }
  let xAp = xA + 1.0;
  if (xAp > N - 1.0) { xAp = 0.0; }
  let h = diag[m] * cur[i];
  if (this.constants.E === 2) {
    let xBm = xB - 1.0;
    if (xBm < 0.0) { xBm = N - 1.0; }
    let xBp = xB + 1.0;
    if (xBp > N - 1.0) { xBp = 0.0; }
    h += hop * (cur[(xAm * N + xB) * B2 + offset] + cur[(xAp * N + xB) * B2 + offset]
      + cur[(xA * N + xBm) * B2 + offset] + cur[(xA * N + xBp) * B2 + offset]);
  } else {
    h += hop * (cur[xAm * B2 + offset] + cur[xAp * B2 + offset]);
  }
  for (let j = 0; j < this.constants.L - 1; j++) {
    const p = Math.pow(2.0, j);
    const bj = Math.floor(m / p) % 2.0;
    const bj1 = Math.floor(m / (2.0 * p)) % 2.0;
    if (bj !== bj1) {
      let dm = p;
      if (bj1 > 0.5) { dm = -p; }
      h += exFlip * cur[i + 2.0 * dm];
    }
  }
  const jA = spinAt[xA];
  if (jA > -0.5) {
    let eBitA = 1.0;
    if (this.constants.E === 2) { eBitA = 2.0; }
    const pA = Math.pow(2.0, jA);
    const beA = Math.floor(e / eBitA) % 2.0;
    const blA = Math.floor(m / pA) % 2.0;
    if (beA === blA) {
      h += sdZz * cur[i];
    } else {
      let deA = eBitA;
      if (beA > 0.5) { deA = -eBitA; }
      let dmA = pA;
      if (blA > 0.5) { dmA = -pA; }
      h += sdFlip * cur[i + 2.0 * (deA * S + dmA)] - sdZz * cur[i];
    }
  }
  if (this.constants.E === 2) {
    const jB = spinAt[xB];
    if (jB > -0.5) {
      const pB = Math.pow(2.0, jB);
      const beB = e % 2.0;
      const blB = Math.floor(m / pB) % 2.0;
      if (beB === blB) {
        h += sdZz * cur[i];
      } else {
        let deB = 1.0;
        if (beB > 0.5) { deB = -1.0; }
        let dmB = pB;
        if (blB > 0.5) { dmB = -pB; }
        h += sdFlip * cur[i + 2.0 * (deB * S + dmB)] - sdZz * cur[i];
      }
    }
  }
  return alpha * h - beta * prev[i];
}`;

/** acc + (cr + i ci) next, interleaved: the accumulation of one Chebyshev term. */
export const ACCUMULATE_KERNEL = `function (acc, next, cr, ci) {
  const i = this.thread.x;
  const c = i % 2.0;
  if (c < 0.5) {
    return acc[i] + cr * next[i] - ci * next[i + 1];
  }
  return acc[i] + cr * next[i] + ci * next[i - 1];
}`;

/** w src: the k = 0 term. */
export const SCALE_KERNEL = `function (src, w) {
  return w * src[this.thread.x];
}`;
