/**
 * Initial states of MODEL.md (paper Eqs. 3, 4 and 8): Gaussian wave packets on
 * the ring, combined with the electron spin state so that two-electron states
 * are antisymmetric under exchange of A and B; local chain all up (m = 0).
 */

import { ConfigError, type ResolvedRunConfig, type RunConfig } from './config.js';
import { antisymmetricNormSquared } from './antisymmetric.js';
import { allUpIndex, blockIndex, layoutForConfig, type Layout } from './layout.js';

/** A complex lattice function, interleaved re/im, one entry per site. */
export type Packet = Float64Array;

/** Minimum-image distance x - centre on a ring of N sites, in [-N/2, N/2). */
export function minimumImage(x: number, centre: number, N: number): number {
  const r = x - centre;
  return r - N * Math.floor((r + N / 2) / N);
}

/**
 * phi(x) = exp(i ke (x - xc) - (x - xc)^2 / (2 sigma^2)) with x - xc the minimum
 * image (in the phase too), normalized on the lattice (paper Eq. 4).
 */
export function wavePacket(N: number, centre: number, ke: number, sigma: number): Packet {
  const phi = new Float64Array(2 * N);
  let norm = 0;
  for (let x = 0; x < N; x++) {
    const r = minimumImage(x, centre, N);
    const amp = Math.exp(-(r * r) / (2 * sigma * sigma));
    phi[2 * x] = amp * Math.cos(ke * r);
    phi[2 * x + 1] = amp * Math.sin(ke * r);
    norm += amp * amp;
  }
  const k = 1 / Math.sqrt(norm);
  for (let i = 0; i < phi.length; i++) phi[i] *= k;
  return phi;
}

/** The trailing (phi_1, at x2 - d) and leading (phi_2, at x2) packets of a config. */
export function packetsOf(config: RunConfig): { phi1: Packet; phi2: Packet } {
  return {
    phi1: wavePacket(config.N, config.x2 - config.d, config.ke, config.sigma),
    phi2: wavePacket(config.N, config.x2, config.ke, config.sigma),
  };
}

/** Electron spin amplitudes chi over e = 2 bA + bB (|uu>, |ud>, |du>, |dd>), interleaved complex. */
export type SpinAmplitudes = readonly number[];

const R = Math.SQRT1_2;
export const SPIN_STATES = {
  S: [0, 0, R, 0, -R, 0, 0, 0],
  T0: [0, 0, R, 0, R, 0, 0, 0],
  'T+': [1, 0, 0, 0, 0, 0, 0, 0],
  'T-': [0, 0, 0, 0, 0, 0, 1, 0],
} as const satisfies Record<string, SpinAmplitudes>;

/**
 * Adds  weight * f(A) g(B) ⊗ chi  to a two-electron state (local spins all up),
 * in the layout's own order (canonical, or a sector that holds every e with
 * chi_e != 0). f, g are packets; chi the electron spin amplitudes; weight a
 * complex number. Basis "antisymmetric" keeps the blocks xA <= xB only: the
 * sum of the product states that make an antisymmetric state is written
 * there directly, the other half never exists.
 */
export function addProductState(
  layout: Layout,
  psi: Float64Array,
  f: Packet,
  g: Packet,
  chi: SpinAmplitudes,
  weight: [number, number] = [1, 0],
): void {
  const { N, blockSize } = layout;
  for (let e = 0; e < 4; e++) {
    // w * chi_e
    const cr = weight[0] * chi[2 * e] - weight[1] * chi[2 * e + 1];
    const ci = weight[0] * chi[2 * e + 1] + weight[1] * chi[2 * e];
    if (cr === 0 && ci === 0) continue;
    const c = allUpIndex(layout, e);
    if (c < 0) throw new Error(`electron spin configuration ${e} lies outside the sector of ${layout.downSpins} down spins`);
    for (let xA = 0; xA < N; xA++) {
      const fr = f[2 * xA], fi = f[2 * xA + 1];
      for (let xB = layout.basis === 'antisymmetric' ? xA : 0; xB < N; xB++) {
        const gr = g[2 * xB], gi = g[2 * xB + 1];
        const pr = fr * gr - fi * gi;
        const pi = fr * gi + fi * gr;
        const i = 2 * (blockIndex(layout, xA, xB) * blockSize + c);
        psi[i] += cr * pr - ci * pi;
        psi[i + 1] += cr * pi + ci * pr;
      }
    }
  }
}

/** <psi|psi> of a state of the layout (basis "antisymmetric" counts both partners of an off-diagonal block). */
export function layoutNormSquared(layout: Layout, psi: Float64Array): number {
  if (layout.basis === 'antisymmetric') return antisymmetricNormSquared(layout.N, layout.blockSize, psi);
  return stateNormSquared(psi);
}

/** Sum of |psi_i|^2 over the stored amplitudes. */
export function stateNormSquared(psi: Float64Array): number {
  let s = 0;
  for (let i = 0; i < psi.length; i++) s += psi[i] * psi[i];
  return s;
}

/**
 * The two theta-independent parts of the phase state (paper Eq. 8):
 *   Psi_theta = a + e^{i theta} b,
 *   a = [phi1(A) phi2(B) |ud> - phi2(A) phi1(B) |du>] / sqrt2,
 *   b = [phi2(A) phi1(B) |ud> - phi1(A) phi2(B) |du>] / sqrt2.
 * Neither is normalized: the norm of Psi_theta depends on theta through <a|b>.
 */
export function thetaComponents(config: ResolvedRunConfig): { a: Float64Array; b: Float64Array } {
  const layout = layoutForConfig({ ...config, state: 'theta' });
  const terms = thetaProductTerms(config);
  return { a: expandProductTerms(layout, terms.a), b: expandProductTerms(layout, terms.b) };
}

/**
 * One term of a state in product form: weight f(A) g(B) ⊗ chi for two
 * electrons (chi over e = 2 bA + bB, 8 numbers), weight f(x) ⊗ chi for one
 * (g absent, chi over the electron's spin b, 4 numbers); local spins all up.
 * Every initial state is a sum of at most four: a backend can build the state
 * from them where it lives (WebGPU: shaders/initial-state.wgsl) instead of
 * receiving the whole state.
 */
export interface ProductTerm {
  readonly f: Packet;
  readonly g?: Packet;
  readonly chi: SpinAmplitudes;
  readonly weight: readonly [number, number];
}

/** The terms of the phase state's two parts a and b (paper Eq. 8; thetaComponents). */
export function thetaProductTerms(config: RunConfig): { a: ProductTerm[]; b: ProductTerm[] } {
  const { phi1, phi2 } = packetsOf(config);
  const ud = [0, 0, R, 0, 0, 0, 0, 0];
  const du = [0, 0, 0, 0, R, 0, 0, 0];
  return {
    a: [{ f: phi1, g: phi2, chi: ud, weight: [1, 0] }, { f: phi2, g: phi1, chi: du, weight: [-1, 0] }],
    b: [{ f: phi2, g: phi1, chi: ud, weight: [1, 0] }, { f: phi1, g: phi2, chi: du, weight: [-1, 0] }],
  };
}

/** The unnormalized initial state of a config as product terms (what initialState expands and normalizes). */
export function initialProductTerms(config: RunConfig): ProductTerm[] {
  if (config.state === 'single') {
    const chi = config.singleSpin === 'down' ? [0, 0, 1, 0] : [1, 0, 0, 0];
    return [{ f: wavePacket(config.N, config.x2, config.ke, config.sigma), chi, weight: [1, 0] }];
  }
  if (config.state === 'theta') {
    const { a, b } = thetaProductTerms(config);
    const c = Math.cos(config.theta), s = Math.sin(config.theta);
    return [...a, ...b.map((t) => ({ ...t, weight: [c * t.weight[0] - s * t.weight[1], c * t.weight[1] + s * t.weight[0]] as const }))];
  }
  const { phi1, phi2 } = packetsOf(config);
  const symmetric = config.state === 'singlet';
  const chi = SPIN_STATES[config.state === 'singlet' ? 'S' : config.state];
  return [{ f: phi1, g: phi2, chi, weight: [1, 0] }, { f: phi2, g: phi1, chi, weight: [symmetric ? 1 : -1, 0] }];
}

/**
 * The normalized initial state of a config in product form: its terms and the
 * factor 1 / |psi| (from productNormSquared), checked as initialState checks
 * (ConfigError when the state vanishes). A backend builds psi = scale * sum of
 * the terms where it keeps the state.
 */
export function initialProductState(config: ResolvedRunConfig): { terms: ProductTerm[]; scale: number } {
  const terms = initialProductTerms(config);
  const norm2 = productNormSquared(terms);
  if (!(norm2 > 1e-20)) throw vanishingState(config);
  return { terms, scale: 1 / Math.sqrt(norm2) };
}

/** The sum of product terms in the layout's own order (a sector holds every e with chi_e != 0). */
export function expandProductTerms(layout: Layout, terms: readonly ProductTerm[]): Float64Array {
  const psi = new Float64Array(2 * layout.dim);
  for (const t of terms) {
    if (t.g) {
      addProductState(layout, psi, t.f, t.g, t.chi, [t.weight[0], t.weight[1]]);
      continue;
    }
    for (let b = 0; b < 2; b++) {
      const cr = t.weight[0] * t.chi[2 * b] - t.weight[1] * t.chi[2 * b + 1];
      const ci = t.weight[0] * t.chi[2 * b + 1] + t.weight[1] * t.chi[2 * b];
      if (cr === 0 && ci === 0) continue;
      const c = allUpIndex(layout, b);
      for (let x = 0; x < layout.N; x++) {
        const i = 2 * (x * layout.blockSize + c);
        psi[i] += cr * t.f[2 * x] - ci * t.f[2 * x + 1];
        psi[i + 1] += cr * t.f[2 * x + 1] + ci * t.f[2 * x];
      }
    }
  }
  return psi;
}

/**
 * <psi|psi> of a sum of product terms, from the packets alone (f64):
 * sum over term pairs of conj(w_s) w_t <chi_s|chi_t> <f_s|f_t> <g_s|g_t>.
 * Equal to stateNormSquared(expandProductTerms(…)) up to rounding, without
 * the state.
 */
export function productNormSquared(terms: readonly ProductTerm[]): number {
  const dot = (x: ArrayLike<number>, y: ArrayLike<number>): [number, number] => {
    let re = 0, im = 0;
    for (let i = 0; i < x.length; i += 2) {
      re += x[i] * y[i] + x[i + 1] * y[i + 1];
      im += x[i] * y[i + 1] - x[i + 1] * y[i];
    }
    return [re, im];
  };
  const mul = (a: [number, number], b: readonly [number, number]): [number, number] => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
  let total = 0;
  for (const s of terms) {
    for (const t of terms) {
      let z = mul([s.weight[0], -s.weight[1]], t.weight);
      z = mul(z, dot(s.chi, t.chi));
      z = mul(z, dot(s.f, t.f));
      if (s.g && t.g) z = mul(z, dot(s.g, t.g));
      total += z[0];
    }
  }
  return total;
}

/**
 * The initial state of a config in its basis's layout (interleaved complex),
 * normalized numerically as a whole. Throws ConfigError when the state vanishes
 * (a triplet or T0-like state with d = 0 has an antisymmetric orbital of two
 * identical packets, which is zero).
 */
export function initialState(config: ResolvedRunConfig): Float64Array {
  const layout = layoutForConfig(config);
  const psi = new Float64Array(2 * layout.dim);
  if (config.state === 'single') {
    const phi2 = wavePacket(config.N, config.x2, config.ke, config.sigma);
    const c = allUpIndex(layout, config.singleSpin === 'down' ? 1 : 0);
    for (let x = 0; x < config.N; x++) {
      const i = 2 * (x * layout.blockSize + c);
      psi[i] = phi2[2 * x];
      psi[i + 1] = phi2[2 * x + 1];
    }
  } else if (config.state === 'theta') {
    const { a, b } = thetaComponents(config);
    const c = Math.cos(config.theta), s = Math.sin(config.theta);
    for (let i = 0; i < psi.length; i += 2) {
      psi[i] = a[i] + c * b[i] - s * b[i + 1];
      psi[i + 1] = a[i + 1] + c * b[i + 1] + s * b[i];
    }
  } else {
    psi.set(expandProductTerms(layout, initialProductTerms(config)));
  }
  const norm2 = layoutNormSquared(layout, psi);
  if (!(norm2 > 1e-20)) throw vanishingState(config);
  const k = 1 / Math.sqrt(norm2);
  for (let i = 0; i < psi.length; i++) psi[i] *= k;
  return psi;
}

function vanishingState(config: RunConfig): ConfigError {
  return new ConfigError(
    'd',
    config.d,
    'd > 0 for this state',
    `state "${config.state}" vanishes: its orbital part is antisymmetric and the two packets coincide ` +
      `(d = 0 or a multiple of N = ${config.N}, or packets so wide, sigma = ${config.sigma}, that both cover the ring)`,
  );
}

/**
 * Refuses, from the packets alone and before anything of the state's size is
 * allocated, a config whose initial state vanishes: a triplet or T0 has the
 * antisymmetric orbital, of squared norm 2 (1 - |<phi1|phi2>|^2), zero when the
 * packets coincide (d = 0, or d a multiple of N). Studies check every config
 * of a sweep this way before the first run.
 */
export function assertInitialStateExists(config: RunConfig): void {
  if (config.state === 'singlet' || config.state === 'single') return;
  // The phase state has squared norm 2 (1 + cos(theta) |<phi1|phi2>|^2): it vanishes only as T0 does.
  const c = config.state === 'theta' ? Math.cos(config.theta) : -1;
  const { phi1, phi2 } = packetsOf(config);
  let re = 0, im = 0;
  for (let i = 0; i < phi1.length; i += 2) {
    re += phi1[i] * phi2[i] + phi1[i + 1] * phi2[i + 1];
    im += phi1[i] * phi2[i + 1] - phi1[i + 1] * phi2[i];
  }
  // Rounding leaves ~1e-16 of coinciding packets; a state this close to zero is noise either way.
  if (!(1 + c * (re * re + im * im) > 1e-12)) throw vanishingState(config);
}
