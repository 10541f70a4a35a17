/**
 * An independent dense reference of MODEL.md for tiny systems, written from the
 * model text alone: nothing here comes from src/model/hamiltonian.ts,
 * initial-state.ts, observables.ts or the backends (only the RunConfig type and
 * parseRunConfig are shared).
 *
 * The Hilbert space is a tensor product, factors most significant first:
 *   two electrons: x_A (N) ⊗ x_B (N) ⊗ s_A (2) ⊗ s_B (2) ⊗ S_{L-1} (2) ⊗ … ⊗ S_0 (2)
 *   one electron:  x (N) ⊗ s (2) ⊗ S_{L-1} ⊗ … ⊗ S_0
 * with spin index 0 = up, 1 = down. The mixed-radix index of that product is
 * ((xA N + xB) 4 + 2 bA + bB) 2^L + sum_j bit_j 2^j: the canonical layout of
 * MODEL.md, re-derived from the Kronecker order rather than taken from layout.ts.
 *
 * H is assembled as a dense real matrix from Kronecker products, with the sd
 * and exchange couplings in Cartesian form, sigma.S = sigma_x S_x + sigma_y S_y
 * + sigma_z S_z (sigma_y ⊗ S_y = -(iY) ⊗ (iY) with iY = [[0,1],[-1,0]] real),
 * so the ladder form of MODEL.md, (1/2)(sigma_+ S_- + sigma_- S_+), is checked
 * rather than copied. Time evolution is exp(-i H t / hbar) through the
 * eigendecomposition of H (ml-matrix). H is first split into the connected
 * components of its own nonzero pattern (exactly block-diagonal: a symmetric
 * permutation, found from the matrix, not from any conservation law), which
 * keeps the O(dim^3) decomposition fast enough for test runs.
 */

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { RunConfig } from '../../src/model/config.js';

/** hbar in eV fs (MODEL.md, Units). */
export const HBAR = 0.6582119569;

/** A dense real square matrix, row-major. */
export interface DenseMatrix {
  readonly n: number;
  readonly data: Float64Array;
}

export function zeros(n: number): DenseMatrix {
  return { n, data: new Float64Array(n * n) };
}

export function fromRows(rows: readonly (readonly number[])[]): DenseMatrix {
  const n = rows.length;
  const m = zeros(n);
  rows.forEach((row, i) => row.forEach((v, j) => (m.data[i * n + j] = v)));
  return m;
}

export function identity(n: number): DenseMatrix {
  const m = zeros(n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function kron(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const n = a.n * b.n;
  const out = zeros(n);
  for (let i = 0; i < a.n; i++) {
    for (let j = 0; j < a.n; j++) {
      const v = a.data[i * a.n + j];
      if (v === 0) continue;
      for (let k = 0; k < b.n; k++) {
        const row = (i * b.n + k) * n + j * b.n;
        for (let l = 0; l < b.n; l++) out.data[row + l] = v * b.data[k * b.n + l];
      }
    }
  }
  return out;
}

/** Pauli matrices in the basis (up, down); IY = i * sigma_y, which is real. */
export const PAULI_X = fromRows([[0, 1], [1, 0]]);
export const PAULI_Z = fromRows([[1, 0], [0, -1]]);
export const PAULI_IY = fromRows([[0, 1], [-1, 0]]);

/**
 * The Cartesian components of a dot product of two spin operators, each
 * (Pauli_a) ⊗ (Pauli_a) with the sign that makes it sigma_a ⊗ sigma_a:
 * sigma_y ⊗ sigma_y = (-i IY) ⊗ (-i IY) = -(IY ⊗ IY).
 */
const CARTESIAN = {
  x: { pauli: PAULI_X, sign: 1 },
  y: { pauli: PAULI_IY, sign: -1 },
  z: { pauli: PAULI_Z, sign: 1 },
} as const;

/**
 * The Cartesian components of a spin-S operator in the basis m = S, S-1, …, -S
 * (index k = S - m), all real: S_x, i S_y (so that S_y ⊗ S_y = -(iS_y ⊗ iS_y))
 * and S_z, from S^± |S, m> = sqrt(S(S+1) - m(m ± 1)) |S, m ± 1> (MODEL.md,
 * "Beyond the paper"). For S = 1/2 they are the Pauli matrices over 2.
 */
export function spinMatrices(S: number): { x: DenseMatrix; iy: DenseMatrix; z: DenseMatrix } {
  const d = Math.round(2 * S + 1);
  const raise = zeros(d);
  for (let k = 1; k < d; k++) {
    const m = S - k;
    raise.data[(k - 1) * d + k] = Math.sqrt(S * (S + 1) - m * (m + 1));
  }
  const x = zeros(d), iy = zeros(d), z = zeros(d);
  for (let i = 0; i < d; i++) {
    z.data[i * d + i] = S - i;
    for (let j = 0; j < d; j++) {
      const up = raise.data[i * d + j], down = raise.data[j * d + i];
      x.data[i * d + j] = (up + down) / 2;
      // i S_y = i (S+ - S-) / (2i) = (S+ - S-) / 2.
      iy.data[i * d + j] = (up - down) / 2;
    }
  }
  return { x, iy, z };
}

/** The tensor-product structure of the Hilbert space of a config. */
export interface TensorSpace {
  readonly electrons: 1 | 2;
  readonly N: number;
  readonly L: number;
  /** States of one local spin, 2S + 1; a chain configuration m has digit j (base localDim) for spin j. */
  readonly localDim: number;
  /** Factor dimensions, most significant first. */
  readonly dims: readonly number[];
  readonly dim: number;
  /** Factor holding the position of each electron ([A] or [A, B]). */
  readonly position: readonly number[];
  /** Factor holding the spin of each electron. */
  readonly electronSpin: readonly number[];
  /** Factor holding local spin j. */
  localSpin(j: number): number;
}

export function tensorSpace(config: Pick<RunConfig, 'N' | 'L' | 'state'> & Partial<Pick<RunConfig, 'localSpin'>>): TensorSpace {
  const { N, L } = config;
  const electrons: 1 | 2 = config.state === 'single' ? 1 : 2;
  const localDim = Math.round(2 * (config.localSpin ?? 0.5) + 1);
  const dims = electrons === 2 ? [N, N, 2, 2] : [N, 2];
  const firstLocal = dims.length;
  for (let j = 0; j < L; j++) dims.push(localDim);
  return {
    electrons,
    N,
    L,
    localDim,
    dims,
    dim: dims.reduce((a, b) => a * b, 1),
    position: electrons === 2 ? [0, 1] : [0],
    electronSpin: electrons === 2 ? [2, 3] : [1],
    // Spin L-1 is the most significant local factor, so bit j of m is spin j.
    localSpin: (j) => firstLocal + (L - 1 - j),
  };
}

/** Mixed-radix index of a product basis state, coordinates in factor order. */
export function flatIndex(space: TensorSpace, coords: readonly number[]): number {
  let index = 0;
  space.dims.forEach((d, f) => {
    if (!(coords[f] >= 0 && coords[f] < d)) throw new RangeError(`coordinate ${f} = ${coords[f]} outside 0 … ${d - 1}`);
    index = index * d + coords[f];
  });
  return index;
}

/** Coordinates of a basis state given by electron positions/spins and local-spin configuration m (bit j = spin j). */
export function basisIndex(space: TensorSpace, x: readonly number[], b: readonly number[], m: number): number {
  const coords = new Array<number>(space.dims.length).fill(0);
  space.position.forEach((f, k) => (coords[f] = x[k]));
  space.electronSpin.forEach((f, k) => (coords[f] = b[k]));
  for (let j = 0; j < space.L; j++) coords[space.localSpin(j)] = Math.floor(m / space.localDim ** j) % space.localDim;
  return flatIndex(space, coords);
}

/** The full-space operator: the given factors at their positions, identities elsewhere. */
export function embed(space: TensorSpace, factors: ReadonlyMap<number, DenseMatrix>): DenseMatrix {
  let out = identity(1);
  let pendingIdentity = 1;
  space.dims.forEach((d, f) => {
    const factor = factors.get(f);
    if (!factor) {
      pendingIdentity *= d;
      return;
    }
    if (factor.n !== d) throw new RangeError(`factor ${f} has dimension ${factor.n}, the space ${d}`);
    if (pendingIdentity > 1) out = kron(out, identity(pendingIdentity));
    pendingIdentity = 1;
    out = kron(out, factor);
  });
  if (pendingIdentity > 1) out = kron(out, identity(pendingIdentity));
  return out;
}

/** Diagonal of an operator that is a product of diagonal factors (identities elsewhere). */
export function embedDiagonal(space: TensorSpace, factors: ReadonlyMap<number, readonly number[]>): Float64Array {
  let out = new Float64Array([1]);
  space.dims.forEach((d, f) => {
    const factor = factors.get(f) ?? new Array<number>(d).fill(1);
    const next = new Float64Array(out.length * d);
    for (let i = 0; i < out.length; i++) for (let k = 0; k < d; k++) next[i * d + k] = out[i] * factor[k];
    out = next;
  });
  return out;
}

function addScaled(target: DenseMatrix, coefficient: number, term: DenseMatrix): void {
  for (let i = 0; i < target.data.length; i++) target.data[i] += coefficient * term.data[i];
}

/** Nearest-neighbour hopping on the ring with periodic boundary: |i><i+1| + h.c. */
export function ringAdjacency(N: number): DenseMatrix {
  const t = zeros(N);
  for (let i = 0; i < N; i++) {
    const j = (i + 1) % N;
    t.data[i * N + j] += 1;
    t.data[j * N + i] += 1;
  }
  return t;
}

/** Projector onto one site, P(n) = |n><n|. */
export function siteProjector(N: number, n: number): DenseMatrix {
  const p = zeros(N);
  p.data[n * N + n] = 1;
  return p;
}

/** Eigenvalue scale of the electron spin: sigma = c * Pauli (c = 1/2 for "half", 1 for "pauli"). */
function electronSpinFactor(config: Pick<RunConfig, 'electronSpin'>): number {
  return config.electronSpin === 'half' ? 0.5 : 1;
}

/** The dense H of MODEL.md (paper Eqs. 2 and 7). */
export function denseHamiltonian(config: RunConfig): { space: TensorSpace; H: DenseMatrix } {
  const space = tensorSpace(config);
  const { N, L } = config;
  const H = zeros(space.dim);
  const term = (coefficient: number, factors: [number, DenseMatrix][]) => {
    if (coefficient !== 0) addScaled(H, coefficient, embed(space, new Map(factors)));
  };

  // -t_h sum_i (|i><i+1| + h.c.) for each electron.
  const ring = ringAdjacency(N);
  for (const f of space.position) term(-config.th, [[f, ring]]);

  // -J_ex sum_j S_j . S_{j+1}, open chain; J_ex per bond where JexBonds is given. S = Pauli / 2 for spin 1/2.
  const local = spinMatrices(config.localSpin ?? 0.5);
  const localCartesian = { x: { spin: local.x, sign: 1 }, y: { spin: local.iy, sign: -1 }, z: { spin: local.z, sign: 1 } };
  for (let j = 0; j + 1 < L; j++) {
    const Jex = config.JexBonds?.[j] ?? config.Jex;
    for (const { spin, sign } of Object.values(localCartesian)) {
      term(-Jex * sign, [[space.localSpin(j), spin], [space.localSpin(j + 1), spin]]);
    }
  }

  // -J_sd sum_j P_e(n_j) sigma_e . S_j for each electron e; sigma = c Pauli, S = Pauli / 2.
  const c = electronSpinFactor(config);
  const components =
    config.sdTerms === 'full' ? [CARTESIAN.x, CARTESIAN.y, CARTESIAN.z]
      : config.sdTerms === 'zz' ? [CARTESIAN.z]
        : [CARTESIAN.x, CARTESIAN.y]; // "flip": (1/2)(sigma_+ S_- + sigma_- S_+) = sigma_x S_x + sigma_y S_y
  for (let e = 0; e < space.electrons; e++) {
    for (let j = 0; j < L; j++) {
      const projector = siteProjector(N, config.spinStart + j);
      const Jsd = config.JsdSites?.[j] ?? config.Jsd;
      for (const { pauli, sign } of components) {
        const spin = pauli === PAULI_X ? local.x : pauli === PAULI_IY ? local.iy : local.z;
        term(-Jsd * c * sign, [
          [space.position[e], projector],
          [space.electronSpin[e], pauli],
          [space.localSpin(j), spin],
        ]);
      }
    }
  }

  // Beyond the paper: -fieldElectron sum_e sigma_z(e) - fieldLocal sum_j S_z,j - D sum_j S_z,j^2.
  for (let e = 0; e < space.electrons; e++) term(-(config.fieldElectron ?? 0) * c, [[space.electronSpin[e], PAULI_Z]]);
  const Sz = local.z;
  const Sz2 = multiply(Sz, Sz);
  for (let j = 0; j < L; j++) {
    term(-(config.fieldLocal ?? 0), [[space.localSpin(j), Sz]]);
    term(-(config.anisotropy ?? 0), [[space.localSpin(j), Sz2]]);
  }
  return { space, H };
}

/** The matrix product a b. */
export function multiply(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const n = a.n;
  const out = zeros(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) out.data[i * n + j] += a.data[i * n + k] * b.data[k * n + j];
  return out;
}

// ---------------------------------------------------------------------------
// Initial states (MODEL.md, Initial state; paper Eqs. 4 and 8)

/** Interleaved complex vector: re at 2i, im at 2i + 1. */
export type ComplexVector = Float64Array;

/**
 * Gaussian packet exp(i ke r - r^2 / (2 sigma^2)) with r the minimum-image
 * distance x - centre on the ring, in [-N/2, N/2), normalized on the lattice.
 */
export function densePacket(N: number, centre: number, ke: number, sigma: number): ComplexVector {
  const phi = new Float64Array(2 * N);
  let norm2 = 0;
  for (let x = 0; x < N; x++) {
    let r = x - centre;
    while (r >= N / 2) r -= N;
    while (r < -N / 2) r += N;
    const amplitude = Math.exp(-(r * r) / (2 * sigma * sigma));
    phi[2 * x] = amplitude * Math.cos(ke * r);
    phi[2 * x + 1] = amplitude * Math.sin(ke * r);
    norm2 += amplitude * amplitude;
  }
  for (let i = 0; i < phi.length; i++) phi[i] /= Math.sqrt(norm2);
  return phi;
}

type Complex = readonly [number, number];
const mul = (a: Complex, b: Complex): [number, number] => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];

/** Electron spin state as complex amplitudes chi[bA][bB]. */
export type SpinState = readonly (readonly Complex[])[];

const R = Math.SQRT1_2;
export const SINGLET: SpinState = [[[0, 0], [R, 0]], [[-R, 0], [0, 0]]];
export const TRIPLET_0: SpinState = [[[0, 0], [R, 0]], [[R, 0], [0, 0]]];
export const TRIPLET_PLUS: SpinState = [[[1, 0], [0, 0]], [[0, 0], [0, 0]]];
export const TRIPLET_MINUS: SpinState = [[[0, 0], [0, 0]], [[0, 0], [1, 0]]];
export const SPIN_STATES_REFERENCE = { S: SINGLET, T0: TRIPLET_0, 'T+': TRIPLET_PLUS, 'T-': TRIPLET_MINUS } as const;

/** (|ud> - w |du>) / sqrt2 with w = e^{i theta}, and (|du> - w |ud>) / sqrt2. */
function thetaSpinStates(theta: number): { first: SpinState; second: SpinState } {
  const w: Complex = [Math.cos(theta), Math.sin(theta)];
  const minusW: Complex = [-R * w[0], -R * w[1]];
  return {
    first: [[[0, 0], [R, 0]], [minusW, [0, 0]]],
    second: [[[0, 0], minusW], [[R, 0], [0, 0]]],
  };
}

/** psi += weight * f(A) g(B) ⊗ chi ⊗ |all local spins up>. */
function addPair(space: TensorSpace, psi: ComplexVector, f: ComplexVector, g: ComplexVector, chi: SpinState, weight: number): void {
  for (let xA = 0; xA < space.N; xA++) {
    for (let xB = 0; xB < space.N; xB++) {
      const orbital = mul([f[2 * xA], f[2 * xA + 1]], [g[2 * xB], g[2 * xB + 1]]);
      for (let bA = 0; bA < 2; bA++) {
        for (let bB = 0; bB < 2; bB++) {
          const [re, im] = mul(orbital, chi[bA][bB]);
          const i = basisIndex(space, [xA, xB], [bA, bB], 0);
          psi[2 * i] += weight * re;
          psi[2 * i + 1] += weight * im;
        }
      }
    }
  }
}

export function normSquared(psi: ComplexVector): number {
  let s = 0;
  for (let i = 0; i < psi.length; i++) s += psi[i] * psi[i];
  return s;
}

/** The initial state of MODEL.md, normalized as a whole; local chain all up. */
export function denseInitialState(config: RunConfig): ComplexVector {
  const space = tensorSpace(config);
  const psi = new Float64Array(2 * space.dim);
  const phi1 = densePacket(config.N, config.x2 - config.d, config.ke, config.sigma);
  const phi2 = densePacket(config.N, config.x2, config.ke, config.sigma);
  switch (config.state) {
    case 'single': {
      const b = config.singleSpin === 'down' ? 1 : 0;
      for (let x = 0; x < config.N; x++) {
        const i = basisIndex(space, [x], [b], 0);
        psi[2 * i] = phi2[2 * x];
        psi[2 * i + 1] = phi2[2 * x + 1];
      }
      break;
    }
    case 'singlet':
      addPair(space, psi, phi1, phi2, SINGLET, 1);
      addPair(space, psi, phi2, phi1, SINGLET, 1);
      break;
    case 'T0':
    case 'T+':
    case 'T-': {
      const chi = SPIN_STATES_REFERENCE[config.state];
      addPair(space, psi, phi1, phi2, chi, 1);
      addPair(space, psi, phi2, phi1, chi, -1);
      break;
    }
    case 'theta': {
      const { first, second } = thetaSpinStates(config.theta);
      addPair(space, psi, phi1, phi2, first, 1);
      addPair(space, psi, phi2, phi1, second, -1);
      break;
    }
  }
  const norm = Math.sqrt(normSquared(psi));
  for (let i = 0; i < psi.length; i++) psi[i] /= norm;
  return psi;
}

// ---------------------------------------------------------------------------
// Observables (MODEL.md, Observables): <Psi|O|Psi>, not divided by the norm.

export interface DenseObservables {
  norm: number;
  energy: number;
  sigmaZ: number;
  szSites: number[];
  Sz: number;
  /** rho_el[e][f] = sum over the rest of psi(.., e, ..) conj psi(.., f, ..), e = 2 bA + bB (or b); interleaved complex, row-major. */
  rho: Float64Array;
  probabilities?: { S: number; T0: number; 'T+': number; 'T-': number };
  density: number[];
}

function diagonalExpectation(diagonal: Float64Array, psi: ComplexVector): number {
  let s = 0;
  for (let i = 0; i < diagonal.length; i++) s += diagonal[i] * (psi[2 * i] * psi[2 * i] + psi[2 * i + 1] * psi[2 * i + 1]);
  return s;
}

/** <psi|H|psi> for real symmetric H. */
export function energyOf(H: DenseMatrix, psi: ComplexVector): number {
  const n = H.n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let hr = 0, hi = 0;
    for (let j = 0; j < n; j++) {
      const h = H.data[i * n + j];
      if (h === 0) continue;
      hr += h * psi[2 * j];
      hi += h * psi[2 * j + 1];
    }
    s += psi[2 * i] * hr + psi[2 * i + 1] * hi;
  }
  return s;
}

/** Every coordinate tuple of the factors other than the electron spins, as the list of their basis indices per electron spin configuration. */
function electronSpinFibres(space: TensorSpace): number[][] {
  const fibres: number[][] = [];
  const spinConfigs = space.electrons === 2 ? 4 : 2;
  const positions = space.electrons === 2 ? space.N * space.N : space.N;
  for (let p = 0; p < positions; p++) {
    const x = space.electrons === 2 ? [Math.floor(p / space.N), p % space.N] : [p];
    for (let m = 0; m < space.localDim ** space.L; m++) {
      const fibre: number[] = [];
      for (let e = 0; e < spinConfigs; e++) {
        const b = space.electrons === 2 ? [e >> 1, e & 1] : [e];
        fibre.push(basisIndex(space, x, b, m));
      }
      fibres.push(fibre);
    }
  }
  return fibres;
}

/** |<chi| ⊗ 1) psi|^2 summed over the rest: the probability of the electron spin state chi. */
function spinStateProbability(fibres: readonly number[][], psi: ComplexVector, chi: SpinState): number {
  let p = 0;
  for (const fibre of fibres) {
    let re = 0, im = 0;
    for (let e = 0; e < 4; e++) {
      const [cr, ci] = chi[e >> 1][e & 1];
      const xr = psi[2 * fibre[e]], xi = psi[2 * fibre[e] + 1];
      // conj(chi_e) psi_e
      re += cr * xr + ci * xi;
      im += cr * xi - ci * xr;
    }
    p += re * re + im * im;
  }
  return p;
}

/** Operators of the observables, built once per space. */
export interface ObservableOperators {
  space: TensorSpace;
  sigmaZ: Float64Array;
  szSites: Float64Array[];
  density: Float64Array[];
  fibres: number[][];
}

export function observableOperators(config: RunConfig): ObservableOperators {
  const space = tensorSpace(config);
  const c = electronSpinFactor(config);
  const sigmaZ = new Float64Array(space.dim);
  for (const f of space.electronSpin) {
    const d = embedDiagonal(space, new Map([[f, [c, -c]]]));
    for (let i = 0; i < d.length; i++) sigmaZ[i] += d[i];
  }
  const szSites: Float64Array[] = [];
  const m = Array.from({ length: space.localDim }, (_, k) => (space.localDim - 1) / 2 - k);
  for (let j = 0; j < config.L; j++) szSites.push(embedDiagonal(space, new Map([[space.localSpin(j), m]])));
  const density: Float64Array[] = [];
  for (let x = 0; x < config.N; x++) {
    const onSite = new Array<number>(config.N).fill(0);
    onSite[x] = 1;
    const n = new Float64Array(space.dim);
    for (const f of space.position) {
      const d = embedDiagonal(space, new Map([[f, onSite]]));
      for (let i = 0; i < d.length; i++) n[i] += d[i];
    }
    density.push(n);
  }
  return { space, sigmaZ, szSites, density, fibres: electronSpinFibres(space) };
}

export function denseObservables(ops: ObservableOperators, H: DenseMatrix, psi: ComplexVector): DenseObservables {
  const { space, fibres } = ops;
  const ns = space.electrons === 2 ? 4 : 2;
  const rho = new Float64Array(2 * ns * ns);
  for (const fibre of fibres) {
    for (let e = 0; e < ns; e++) {
      for (let f = 0; f < ns; f++) {
        const xr = psi[2 * fibre[e]], xi = psi[2 * fibre[e] + 1];
        const yr = psi[2 * fibre[f]], yi = psi[2 * fibre[f] + 1];
        rho[2 * (e * ns + f)] += xr * yr + xi * yi;
        rho[2 * (e * ns + f) + 1] += xi * yr - xr * yi;
      }
    }
  }
  const szSites = ops.szSites.map((d) => diagonalExpectation(d, psi));
  const result: DenseObservables = {
    norm: normSquared(psi),
    energy: energyOf(H, psi),
    sigmaZ: diagonalExpectation(ops.sigmaZ, psi),
    szSites,
    Sz: szSites.reduce((a, b) => a + b, 0),
    rho,
    density: ops.density.map((d) => diagonalExpectation(d, psi)),
  };
  if (space.electrons === 2) {
    result.probabilities = {
      S: spinStateProbability(fibres, psi, SINGLET),
      T0: spinStateProbability(fibres, psi, TRIPLET_0),
      'T+': spinStateProbability(fibres, psi, TRIPLET_PLUS),
      'T-': spinStateProbability(fibres, psi, TRIPLET_MINUS),
    };
  }
  return result;
}

// ---------------------------------------------------------------------------
// exp(-i H t / hbar) by eigendecomposition

export interface EigenBlock {
  /** Basis indices of this block of H. */
  readonly indices: Int32Array;
  readonly values: Float64Array;
  /** vectors[i * k + c]: component indices[i] of eigenvector c (k = indices.length). */
  readonly vectors: Float64Array;
}

export interface SpectralDecomposition {
  readonly dim: number;
  readonly blocks: readonly EigenBlock[];
}

/** Connected components of the graph of the nonzero entries of H. */
function components(H: DenseMatrix): number[][] {
  const n = H.n;
  const seen = new Uint8Array(n);
  const out: number[][] = [];
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const comp = [s];
    seen[s] = 1;
    for (let q = 0; q < comp.length; q++) {
      const i = comp[q];
      for (let j = 0; j < n; j++) {
        if (!seen[j] && (H.data[i * n + j] !== 0 || H.data[j * n + i] !== 0)) {
          seen[j] = 1;
          comp.push(j);
        }
      }
    }
    out.push(comp.sort((a, b) => a - b));
  }
  return out;
}

export function diagonalize(H: DenseMatrix): SpectralDecomposition {
  const n = H.n;
  const blocks = components(H).map((indices): EigenBlock => {
    const k = indices.length;
    const rows = indices.map((i) => indices.map((j) => H.data[i * n + j]));
    const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
    const v = evd.eigenvectorMatrix;
    const vectors = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let c = 0; c < k; c++) vectors[i * k + c] = v.get(i, c);
    return { indices: Int32Array.from(indices), values: Float64Array.from(evd.realEigenvalues), vectors };
  });
  return { dim: n, blocks };
}

/** exp(-i H t / hbar) psi. */
export function evolve(dec: SpectralDecomposition, psi: ComplexVector, t: number): ComplexVector {
  const out = new Float64Array(2 * dec.dim);
  for (const { indices, values, vectors } of dec.blocks) {
    const k = indices.length;
    for (let c = 0; c < k; c++) {
      // coefficient <v_c|psi>, then the phase e^{-i lambda_c t / hbar}
      let re = 0, im = 0;
      for (let i = 0; i < k; i++) {
        const v = vectors[i * k + c];
        re += v * psi[2 * indices[i]];
        im += v * psi[2 * indices[i] + 1];
      }
      const phase = (-values[c] * t) / HBAR;
      const [pr, pi] = mul([re, im], [Math.cos(phase), Math.sin(phase)]);
      for (let i = 0; i < k; i++) {
        const v = vectors[i * k + c];
        out[2 * indices[i]] += v * pr;
        out[2 * indices[i] + 1] += v * pi;
      }
    }
  }
  return out;
}

/** max |(V diag(lambda) V^T - H)_ij| and max |(V^T V - 1)_ij| over all blocks: the decomposition's own error. */
export function decompositionResidual(H: DenseMatrix, dec: SpectralDecomposition): { reconstruction: number; orthogonality: number } {
  let reconstruction = 0, orthogonality = 0;
  const n = H.n;
  for (const { indices, values, vectors } of dec.blocks) {
    const k = indices.length;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let a = 0, o = 0;
        for (let c = 0; c < k; c++) {
          a += vectors[i * k + c] * values[c] * vectors[j * k + c];
          o += vectors[c * k + i] * vectors[c * k + j];
        }
        reconstruction = Math.max(reconstruction, Math.abs(a - H.data[indices[i] * n + indices[j]]));
        orthogonality = Math.max(orthogonality, Math.abs(o - (i === j ? 1 : 0)));
      }
    }
  }
  return { reconstruction, orthogonality };
}

// ---------------------------------------------------------------------------
// A whole run, in the shape of the result JSON (INTERFACE.md)

export interface DenseRun {
  dim: number;
  t: number[];
  norm: number[];
  energy: number[];
  sigmaZ: number[];
  deltaSigmaZ: number[];
  Sz: number[];
  SzSites: number[][];
  probabilities?: { S: number[]; T0: number[]; 'T+': number[]; 'T-': number[] };
  density: number[][];
  chainIntervals: [number, number][];
  initialState: ComplexVector;
  finalState: ComplexVector;
  /** The state at every output time. */
  states: ComplexVector[];
}

interface DenseProblem {
  H: DenseMatrix;
  decomposition: SpectralDecomposition;
  operators: ObservableOperators;
}

/** H, its decomposition and the observables depend on these keys only; runs that differ in the state share them. */
const problems = new Map<string, DenseProblem>();

export function denseProblem(config: RunConfig): DenseProblem {
  const key = JSON.stringify([
    config.N, config.L, config.spinStart, config.th, config.Jex, config.Jsd,
    config.electronSpin, config.sdTerms, config.state === 'single',
    config.fieldElectron, config.fieldLocal, config.anisotropy, config.JsdSites, config.JexBonds, config.localSpin,
  ]);
  let p = problems.get(key);
  if (!p) {
    const { H } = denseHamiltonian(config);
    p = { H, decomposition: diagonalize(H), operators: observableOperators(config) };
    problems.set(key, p);
  }
  return p;
}

/** Output times t_k = k dt, k = 0 … floor(tEnd/dt + 1e-9). */
export function referenceTimes(config: Pick<RunConfig, 'tEnd' | 'dt'>): number[] {
  const t: number[] = [];
  for (let k = 0; k <= Math.floor(config.tEnd / config.dt + 1e-9); k++) t.push(k * config.dt);
  return t;
}

/**
 * Packet-in-chain intervals: centre x_j + v t, v = 2 t_h sin(k_e) / hbar, inside
 * [n_0 - 2 sigma, n_{L-1} + 2 sigma]; leading packet first, sorted by start.
 */
export function referenceChainIntervals(config: RunConfig): [number, number][] {
  const v = (2 * config.th * Math.sin(config.ke)) / HBAR;
  const lo = config.spinStart - 2 * config.sigma;
  const hi = config.spinStart + config.L - 1 + 2 * config.sigma;
  const centres = config.state === 'single' ? [config.x2] : [config.x2, config.x2 - config.d];
  const out = centres.map((x): [number, number] => {
    const a = (lo - x) / v, b = (hi - x) / v;
    return a <= b ? [a, b] : [b, a];
  });
  return out.sort((p, q) => p[0] - q[0]);
}

export function denseRun(config: RunConfig): DenseRun {
  const { H, decomposition, operators } = denseProblem(config);
  const psi0 = denseInitialState(config);
  const t = referenceTimes(config);
  const states = t.map((tk) => (tk === 0 ? psi0 : evolve(decomposition, psi0, tk)));
  const obs = states.map((psi) => denseObservables(operators, H, psi));
  const sigmaZ = obs.map((o) => o.sigmaZ);
  const run: DenseRun = {
    dim: operators.space.dim,
    t,
    norm: obs.map((o) => o.norm),
    energy: obs.map((o) => o.energy),
    sigmaZ,
    deltaSigmaZ: sigmaZ.map((s) => Math.abs(s - sigmaZ[0])),
    Sz: obs.map((o) => o.Sz),
    SzSites: obs.map((o) => o.szSites),
    density: obs.map((o) => o.density),
    chainIntervals: referenceChainIntervals(config),
    initialState: psi0,
    finalState: states[states.length - 1],
    states,
  };
  if (operators.space.electrons === 2) {
    run.probabilities = {
      S: obs.map((o) => o.probabilities!.S),
      T0: obs.map((o) => o.probabilities!.T0),
      'T+': obs.map((o) => o.probabilities!['T+']),
      'T-': obs.map((o) => o.probabilities!['T-']),
    };
  }
  return run;
}
