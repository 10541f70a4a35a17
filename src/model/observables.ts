/**
 * Observables of MODEL.md from the few numbers a backend reduces per output
 * time. Backends reduce the state to a StateReduction (electron spin density
 * matrix, S_z per local spin, density n(x), <H>); everything a result reports
 * is derived here, once, for every backend.
 */

import type { RunConfig } from './config.js';
import { electronSpinScale } from './hamiltonian.js';
import { SPIN_STATES, type SpinAmplitudes } from './initial-state.js';
import { HBAR_EV_FS } from './units.js';

/** What a backend reduces a state to: all <Psi|O|Psi>, none divided by the norm. */
export interface StateReduction {
  /**
   * Electron spin density matrix with orbitals and local spins traced out:
   * rho[e][e'] = sum over (xA, xB, m) of psi(xA, xB, e, m) conj(psi(xA, xB, e', m)).
   * Row-major n x n, n = 4 (two electrons) or 2 (one), interleaved complex.
   */
  rho: Float64Array;
  /** <S_z,j> for each local spin j (eigenvalues +-1/2). */
  szSites: Float64Array;
  /** n(x) = <n_A(x)> + <n_B(x)> for each site. */
  density: Float64Array;
  /** <Psi|H|Psi>, eV. */
  energy: number;
}

/** A zeroed reduction, for backends to accumulate into. */
export function emptyReduction(electronSpinConfigs: number, L: number, N: number): StateReduction {
  return {
    rho: new Float64Array(2 * electronSpinConfigs * electronSpinConfigs),
    szSites: new Float64Array(L),
    density: new Float64Array(N),
    energy: 0,
  };
}

/** Adds b into a (partial reductions from threads or buffer slices). */
export function addReduction(a: StateReduction, b: StateReduction): void {
  for (let i = 0; i < a.rho.length; i++) a.rho[i] += b.rho[i];
  for (let i = 0; i < a.szSites.length; i++) a.szSites[i] += b.szSites[i];
  for (let i = 0; i < a.density.length; i++) a.density[i] += b.density[i];
  a.energy += b.energy;
}

/** <Psi|Psi> = Tr rho. */
/** r / z, every field: a reduction of psi scaled to that of psi / sqrt(z) (z = <psi|psi>). */
export function normalizedReduction(r: StateReduction, z: number): StateReduction {
  return { rho: r.rho.map((v) => v / z), szSites: r.szSites.map((v) => v / z), density: r.density.map((v) => v / z), energy: r.energy / z };
}

export function normOf(r: StateReduction): number {
  const n = Math.round(Math.sqrt(r.rho.length / 2));
  let s = 0;
  for (let e = 0; e < n; e++) s += r.rho[2 * (e * n + e)];
  return s;
}

/**
 * sigma_z(t) = Tr[rho_el (sigma_z(A) + sigma_z(B))] (paper Eq. 5); for one
 * electron its own sigma_z. Eigenvalues +-1/2 ("half") or +-1 ("pauli").
 */
export function sigmaZOf(r: StateReduction, electronSpin: RunConfig['electronSpin']): number {
  const n = Math.round(Math.sqrt(r.rho.length / 2));
  const half = electronSpinScale(electronSpin) / 2;
  let s = 0;
  for (let e = 0; e < n; e++) {
    const p = r.rho[2 * (e * n + e)];
    const spins = n === 4 ? [e >> 1, e & 1] : [e];
    for (const b of spins) s += p * (b === 0 ? half : -half);
  }
  return s;
}

/** <chi|rho|chi> = sum_{e,e'} conj(chi_e) rho[e][e'] chi_e' for a 4-component spin state. */
export function spinStateProbability(r: StateReduction, chi: SpinAmplitudes): number {
  let s = 0;
  for (let e = 0; e < 4; e++) {
    for (let f = 0; f < 4; f++) {
      const ar = chi[2 * e], ai = -chi[2 * e + 1];
      const br = chi[2 * f], bi = chi[2 * f + 1];
      const rr = r.rho[2 * (e * 4 + f)], ri = r.rho[2 * (e * 4 + f) + 1];
      // Re(conj(chi_e) rho_ef chi_f)
      const xr = ar * rr - ai * ri, xi = ar * ri + ai * rr;
      s += xr * br - xi * bi;
    }
  }
  return s;
}

export interface SpinStateProbabilities {
  S: number;
  T0: number;
  'T+': number;
  'T-': number;
}

/** Probabilities of the singlet and the three triplets (paper Fig. 3). */
export function spinStateProbabilities(r: StateReduction): SpinStateProbabilities {
  return {
    S: spinStateProbability(r, SPIN_STATES.S),
    T0: spinStateProbability(r, SPIN_STATES.T0),
    'T+': spinStateProbability(r, SPIN_STATES['T+']),
    'T-': spinStateProbability(r, SPIN_STATES['T-']),
  };
}

/** Group velocity of a packet, a/fs: dE/dk / hbar with E = -2 t_h cos k. */
export function groupVelocity(config: Pick<RunConfig, 'th' | 'ke'>): number {
  return (2 * config.th * Math.sin(config.ke)) / HBAR_EV_FS;
}

/**
 * Times during which the centre of each packet, x_j + v t on a straight line,
 * lies inside [n_0 - 2 sigma, n_{L-1} + 2 sigma] (the paper's shaded regions).
 * Earliest first, the leading packet phi_2 first on a tie; one interval for
 * "single". Not clipped to [0, tEnd]. A packet that does not move (v = 0, or
 * v so small that its times overflow the f64 range) is listed as [0, tEnd] if
 * it sits inside the chain region, else not at all.
 */
export function chainIntervals(config: RunConfig): [number, number][] {
  const v = groupVelocity(config);
  const lo = config.spinStart - 2 * config.sigma;
  const hi = config.spinStart + config.L - 1 + 2 * config.sigma;
  const centres = config.state === 'single' ? [config.x2] : [config.x2, config.x2 - config.d];
  const intervals: [number, number][] = [];
  for (const x of centres) {
    const t1 = (lo - x) / v, t2 = (hi - x) / v;
    // v = 0, or so small (th or sin(ke) near the smallest double) that the times overflow: the packet stays put.
    if (!Number.isFinite(t1) || !Number.isFinite(t2)) {
      if (x >= lo && x <= hi) intervals.push([0, config.tEnd]);
      continue;
    }
    intervals.push([Math.min(t1, t2), Math.max(t1, t2)]);
  }
  // Stable sort keeps phi_2 first on a tie.
  return intervals.sort((p, q) => p[0] - q[0]);
}

/**
 * Cross terms <a|O|b> of two states a, b, everything a reduction holds: what
 * a theta sweep combines (MODEL.md, Studies). All interleaved complex.
 */
export interface CrossReduction {
  /** K[e][f] = sum over (orbitals, m) of b_e conj(a_f), n x n row-major. */
  rho: Float64Array;
  /** <a|S_z,j|b> for each local spin j. */
  szSites: Float64Array;
  /** <a|n_A(x) + n_B(x)|b> for each site x. */
  density: Float64Array;
  /** <a|H|b>, eV. */
  energy: Float64Array;
}

export function emptyCrossReduction(electronSpinConfigs: number, L: number, N: number): CrossReduction {
  return {
    rho: new Float64Array(2 * electronSpinConfigs * electronSpinConfigs),
    szSites: new Float64Array(2 * L),
    density: new Float64Array(2 * N),
    energy: new Float64Array(2),
  };
}

/** <a|b> = Tr K. */
export function crossOverlap(k: CrossReduction): [number, number] {
  const n = Math.round(Math.sqrt(k.rho.length / 2));
  let re = 0, im = 0;
  for (let e = 0; e < n; e++) {
    re += k.rho[2 * (e * n + e)];
    im += k.rho[2 * (e * n + e) + 1];
  }
  return [re, im];
}

/**
 * The reduction of Psi = (a + e^{i theta} b) / sqrt(z): for every observable
 *   <Psi|O|Psi> = ( <a|O|a> + <b|O|b> + 2 Re(e^{i theta} <a|O|b>) ) / z,
 * and for the density matrix rho_a + rho_b + w K + conj(w) K^dagger, w = e^{i theta}.
 * z is the squared norm of a + e^{i theta} b at t = 0 (MODEL.md: observables
 * are not divided by the current norm).
 */
export function combineThetaReduction(
  aa: StateReduction,
  bb: StateReduction,
  ab: CrossReduction,
  theta: number,
  z: number,
): StateReduction {
  const wr = Math.cos(theta), wi = Math.sin(theta);
  const n = Math.round(Math.sqrt(aa.rho.length / 2));
  const rho = new Float64Array(aa.rho.length);
  for (let e = 0; e < n; e++) {
    for (let f = 0; f < n; f++) {
      const i = 2 * (e * n + f), j = 2 * (f * n + e);
      // w K[e][f] + conj(w K[f][e])
      const xr = wr * ab.rho[i] - wi * ab.rho[i + 1], xi = wr * ab.rho[i + 1] + wi * ab.rho[i];
      const yr = wr * ab.rho[j] - wi * ab.rho[j + 1], yi = wr * ab.rho[j + 1] + wi * ab.rho[j];
      rho[i] = (aa.rho[i] + bb.rho[i] + xr + yr) / z;
      rho[i + 1] = (aa.rho[i + 1] + bb.rho[i + 1] + xi - yi) / z;
    }
  }
  // 2 Re(w c) for a complex cross term c.
  const twiceRe = (c: Float64Array, k: number) => 2 * (wr * c[2 * k] - wi * c[2 * k + 1]);
  const combine = (x: Float64Array, y: Float64Array, c: Float64Array) => x.map((v, k) => (v + y[k] + twiceRe(c, k)) / z);
  return {
    rho,
    szSites: combine(aa.szSites, bb.szSites, ab.szSites),
    density: combine(aa.density, bb.density, ab.density),
    energy: (aa.energy + bb.energy + twiceRe(ab.energy, 0)) / z,
  };
}
