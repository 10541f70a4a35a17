/**
 * The terms beyond the paper (MODEL.md, "Beyond the paper": fields,
 * anisotropy, per-site J_sd, per-bond J_ex) in the model: validation of the
 * keys, matrix elements of the engine's H computed by hand on two local
 * spins, spectral bounds that contain the exact spectrum of a small dense H,
 * and the refusal on backends that run the paper's H only.
 */

import { describe, expect, it } from 'vitest';
import { assertRunsTerms } from '../../src/backends/backend.js';
import { runsNoBasisFor, selectBackend } from '../../src/backends/select.js';
import { createWebGpuBackend } from '../../src/backends/webgpu/webgpu-backend.js';
import { initialState } from '../../src/model/initial-state.js';
import { prepareProblem } from '../../src/propagator/propagate.js';
import { ConfigError, parseRunConfig, type RunConfigInput } from '../../src/model/config.js';
import { hamiltonianTerms } from '../../src/model/hamiltonian.js';
import { sectorDownSpins } from '../../src/model/sector.js';
import { spectralBounds } from '../../src/model/spectral-bounds.js';
import { sweepPoints, parseGridArgument } from '../../src/sweeps/grid.js';
import { simulate } from '../../src/simulate.js';
import { engineHamiltonian } from '../helpers/engine-hamiltonian.js';
import { denseHamiltonian, diagonalize } from '../reference/dense-model.js';
import { engineConfig } from '../helpers/engine-config.js';

function refusal(input: unknown): ConfigError {
  try {
    parseRunConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('config keys beyond the paper', () => {
  it('are left out of a parsed config at their defaults, so the paper\'s configs stay as they were', () => {
    const plain = parseRunConfig({});
    const spelled = parseRunConfig({ fieldElectron: 0, fieldLocal: 0, anisotropy: 0 });
    expect(spelled).toEqual(plain);
    expect(Object.keys(plain)).not.toContain('fieldElectron');
    const set = parseRunConfig({ fieldElectron: 0.01, anisotropy: -0.02, JsdSites: [0.1, 0.2, 0.3, 0.4], JexBonds: [0.1, 0, -0.1] });
    expect(set.fieldElectron).toBe(0.01);
    expect(set.anisotropy).toBe(-0.02);
    expect(set.fieldLocal).toBeUndefined();
    expect(set.JsdSites).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(set.JexBonds).toEqual([0.1, 0, -0.1]);
  });

  it.each([
    ['fieldElectron', 'x'], ['fieldElectron', NaN], ['fieldLocal', 1e3], ['anisotropy', -101], ['anisotropy', Infinity],
  ])('refuses %s = %s naming the key and its range', (key, value) => {
    const e = refusal({ [key]: value });
    expect(e.key).toBe(key);
    expect(e.message).toContain(`"${key}"`);
    expect(e.message).toContain('[-100, 100] (eV)');
  });

  it('checks the lengths of JsdSites (L) and JexBonds (L - 1) against L', () => {
    let e = refusal({ L: 3, JsdSites: [0.1, 0.2] });
    expect(e.key).toBe('JsdSites');
    expect(e.message).toContain('a list of 3 numbers');
    expect(e.message).toContain('2 numbers given for L = 3');
    e = refusal({ L: 3, JexBonds: [0.1, 0.2, 0.3] });
    expect(e.key).toBe('JexBonds');
    expect(e.message).toContain('a list of 2 numbers');
    expect(parseRunConfig({ L: 1, JexBonds: [] }).JexBonds).toEqual([]);
  });

  it('refuses lists with an entry out of range or not a number, and values that are not lists', () => {
    expect(refusal({ L: 2, JsdSites: [0.1, 200] }).message).toContain('entry 1 = 200');
    expect(refusal({ L: 2, JexBonds: ['a'] }).message).toContain('entry 0 = "a"');
    expect(refusal({ L: 2, JsdSites: 0.3 }).key).toBe('JsdSites');
  });

  it('a sweep checks the lists against the L of every point, and takes them per point through "derived" only', () => {
    expect(() => sweepPoints({ base: { JsdSites: [0.3, 0.3, 0.3, 0.3] }, grid: { L: [4, 3] } })).toThrow(/point 1 \(L=3\).*"JsdSites"/);
    expect(() => parseGridArgument('JsdSites=0.1,0.2')).toThrow(/"derived" list/);
    const points = sweepPoints({ base: { L: 2 }, grid: { fieldLocal: [0, 0.1] }, derived: [{ JexBonds: [0.1] }, { JexBonds: [0.2] }] });
    expect(points.map((p) => [p.config.fieldLocal, p.config.JexBonds])).toEqual([[undefined, [0.1]], [0.1, [0.2]]]);
    expect(parseGridArgument('anisotropy=0:0.1:3').values).toEqual([0, 0.05, 0.1]);
  });
});

/**
 * Two local spins on sites 1 and 2 of a ring of 4, one electron: index
 * (x 2 + b) 4 + m (bit j of m: spin j down). Every element below is worked
 * out by hand from MODEL.md with th 0.5, Jex 0.2, Jsd 0.3, fieldElectron 0.05,
 * fieldLocal 0.07, D 0.11 (sigma = Pauli/2 unless "pauli").
 */
describe('matrix elements of the new terms on two local spins (by hand)', () => {
  const base: RunConfigInput = { N: 4, L: 2, spinStart: 1, state: 'single', th: 0.5, Jex: 0.2, Jsd: 0.3, fieldElectron: 0.05, fieldLocal: 0.07, anisotropy: 0.11, tEnd: 1, dt: 0.5 };
  const index = (x: number, b: number, m: number) => (x * 2 + b) * 4 + m;

  it.each(['full', 'sector'] as const)('diagonal off the chain: exchange + Zeeman + anisotropy (basis %s checked through the full one)', (basis) => {
    const h = engineHamiltonian(engineConfig({ ...base, basis: 'full' }));
    // x = 0, electron down, spin 0 down, spin 1 up:
    //   -J_ex S_z0 S_z1 = +0.2/4; -hE sigma_z = -0.05 (-1/2); -hL (S_z0 + S_z1) = 0; -D (1/4 + 1/4) = -0.055.
    expect(h.element(index(0, 1, 1), index(0, 1, 1))).toBeCloseTo(0.05 + 0.025 - 0.055, 15);
    // x = 0, electron up, both spins up: -0.2/4 - 0.05/2 - 0.07 - 0.055.
    expect(h.element(index(0, 0, 0), index(0, 0, 0))).toBeCloseTo(-0.05 - 0.025 - 0.07 - 0.055, 15);
    // Both spins down: -0.05 + 0.025 + 0.07 - 0.055 (electron down).
    expect(h.element(index(3, 1, 3), index(3, 1, 3))).toBeCloseTo(-0.05 + 0.025 + 0.07 - 0.055, 15);
    expect(basis).toBeDefined();
  });

  it('the Zeeman term of the electron doubles with "pauli"', () => {
    const h = engineHamiltonian(engineConfig({ ...base, electronSpin: 'pauli' }));
    expect(h.element(index(0, 1, 1), index(0, 1, 1))).toBeCloseTo(0.05 + 0.05 - 0.055, 15);
  });

  it('two electrons: -hE (sigma_z(A) + sigma_z(B)) on e = up-up, up-down and down-down', () => {
    const h = engineHamiltonian(engineConfig({ ...base, state: 'singlet', fieldLocal: 0, anisotropy: 0, Jex: 0 }));
    // ((xA N + xB) 4 + e) 4 + m with both electrons at x = 0 (off the chain), chain all up.
    const at = (e: number) => ((0 * 4 + 0) * 4 + e) * 4 + 0;
    expect(h.element(at(0), at(0))).toBeCloseTo(-0.05, 15);
    expect(h.element(at(1), at(1))).toBeCloseTo(0, 15);
    expect(h.element(at(3), at(3))).toBeCloseTo(0.05, 15);
  });

  it('JexBonds and JsdSites set each bond\'s flip and each site\'s sd terms', () => {
    const h = engineHamiltonian(engineConfig({ ...base, L: 3, spinStart: 0, JexBonds: [0.6, -0.1], JsdSites: [0.4, 0.1, -0.2], fieldElectron: 0, fieldLocal: 0, anisotropy: 0 }));
    const i3 = (x: number, b: number, m: number) => (x * 2 + b) * 8 + m;
    // Flip across bond 0 (m 1 <-> 2): -J_0/2; across bond 1 (m 2 <-> 4): -J_1/2. Electron at x = 3, off the chain.
    expect(h.element(i3(3, 0, 1), i3(3, 0, 2))).toBeCloseTo(-0.3, 15);
    expect(h.element(i3(3, 0, 2), i3(3, 0, 4))).toBeCloseTo(0.05, 15);
    // Diagonal, m = 2 (spin 1 down): both bonds anti-aligned: +0.6/4 - 0.1/4.
    expect(h.element(i3(3, 0, 2), i3(3, 0, 2))).toBeCloseTo(0.125, 15);
    // sd on site 2 (x = 2, J = -0.2): flip (up, spin 2 down) <-> (down, spin 2 up): -J/2; zz antiparallel: +J/4.
    expect(h.element(i3(2, 0, 4), i3(2, 1, 0))).toBeCloseTo(0.1, 15);
    expect(h.element(i3(2, 0, 4), i3(2, 0, 4)) - h.element(i3(3, 0, 4), i3(3, 0, 4))).toBeCloseTo(-0.05, 15);
    // sd on site 0 (J = 0.4), parallel: -J/4.
    expect(h.element(i3(0, 0, 0), i3(0, 0, 0)) - h.element(i3(3, 0, 0), i3(3, 0, 0))).toBeCloseTo(-0.1, 15);
  });
});

function popcount(m: number): number {
  let c = 0;
  for (let x = m; x; x &= x - 1) c++;
  return c;
}

/** Configs whose spectra the bounds must contain: every new term, both signs, both bases. */
const BOUND_CASES: RunConfigInput[] = [
  { fieldElectron: 0.4, fieldLocal: -0.3, anisotropy: 0.5 },
  { fieldElectron: -0.2, anisotropy: -0.7, JexBonds: [0.9, -0.4], JsdSites: [0.2, -1.1, 0.6] },
  { state: 'single', fieldLocal: 0.8, JsdSites: [0, 0, 0], JexBonds: [0, 0] },
  { state: 'T-', electronSpin: 'pauli', fieldElectron: 0.3, JexBonds: [-0.6, 0.6] },
  { sdTerms: 'flip', fieldLocal: -0.25, anisotropy: 0.2, JsdSites: [0.7, 0.1, 0.3] },
];

describe('spectral bounds with the new terms contain the exact spectrum of a small dense H', () => {
  it.each(BOUND_CASES.flatMap((c) => (['full', 'sector'] as const).map((basis) => ({ ...c, basis }))))('%j', (extra) => {
    const config = engineConfig({ N: 4, L: 3, spinStart: 0, th: 0.4, Jex: 0.3, Jsd: 0.5, tEnd: 1, dt: 0.5, ...extra });
    // A sector's H is the dense H on the configurations with its K down spins: the blocks of that K
    // (each connected block of the dense H lies in one K; canonical index ((x…) ns + e) 2^L + m).
    const K = sectorDownSpins(config);
    const downs = (i: number) => popcount(i & 7) + popcount((i >> 3) & (config.state === 'single' ? 1 : 3));
    const values = diagonalize(denseHamiltonian(config).H).blocks
      .filter((b) => config.basis === 'full' || downs(b.indices[0]) === K)
      .flatMap((b) => Array.from(b.values));
    const lowest = Math.min(...values), highest = Math.max(...values);
    const bounds = spectralBounds(hamiltonianTerms(config));
    expect(bounds.min).toBeLessThanOrEqual(lowest);
    expect(bounds.max).toBeGreaterThanOrEqual(highest);
    // Rigorous, not useless: within a few eV of the true range.
    expect(highest - lowest).toBeGreaterThan(0.5 * (bounds.max - bounds.min) - 3);
  });
});

describe('backends that run the paper\'s H only (gpu.js), and WebGPU, which runs the terms beyond it', () => {
  const webgpuLike = { name: 'webgpu', extendedTerms: true, localSpinBases: ['sector'] as const };

  it('refuse a config with a key beyond the paper, naming it and the backends that run it', () => {
    const config = parseRunConfig({ anisotropy: 0.1, JexBonds: [0.1, 0.2, 0.3] });
    expect(() => assertRunsTerms({ name: 'gpujs-webgl2' }, config)).toThrow(/"anisotropy" = 0.1 is not allowed; allowed: 0 \(the default\) on backend gpujs-webgl2.*anisotropy, JexBonds run on the cpu backend/);
    expect(() => assertRunsTerms({ name: 'gpujs-webasm' }, parseRunConfig({ L: 2, JsdSites: [1, 2] }))).toThrow(/"JsdSites".*left out on backend gpujs-webasm/);
    expect(() => assertRunsTerms({ name: 'gpujs-webasm' }, parseRunConfig({}))).not.toThrow();
    expect(() => assertRunsTerms({ name: 'cpu', extendedTerms: true }, config)).not.toThrow();
    expect(() => assertRunsTerms(webgpuLike, { ...config, basis: 'full' })).not.toThrow();
    expect(() => assertRunsTerms(webgpuLike, { ...parseRunConfig({ localSpin: 1 }), basis: 'sector' })).not.toThrow();
  });

  it('WebGPU refuses local spins S > 1/2 outside the sector, naming basis and the sector', () => {
    expect(() => assertRunsTerms(webgpuLike, { ...parseRunConfig({ localSpin: 1.5 }), basis: 'full' }))
      .toThrow(/"basis" = "full" is not allowed; allowed: "auto" or "sector" for localSpin = 1.5 on backend webgpu.*runs local spins S > 1\/2 in basis "sector" only/);
  });

  it('backend "auto" passes over gpu.js for these keys but not over WebGPU (runsNoBasisFor)', async () => {
    const { createGpuJsBackend } = await import('../../src/backends/gpujs/gpujs-backend.js');
    const gpujs = createGpuJsBackend({ mode: 'webasm' });
    const webgpu = createWebGpuBackend();
    try {
      const config = { ...parseRunConfig({ L: 3, JexBonds: [0.3, 0.1], fieldElectron: 0.02, entanglement: true }), basis: 'auto' as const };
      expect(runsNoBasisFor(gpujs, config)).toMatch(/the gpujs-webasm backend does not run fieldElectron, JexBonds, entanglement \(the cpu and webgpu backends do\)/);
      expect(runsNoBasisFor(webgpu, config)).toBeUndefined();
      expect(runsNoBasisFor(webgpu, { ...parseRunConfig({ localSpin: 1 }), basis: 'auto' })).toBeUndefined();
      expect(runsNoBasisFor(webgpu, { ...parseRunConfig({ localSpin: 1 }), basis: 'full' })).toMatch(/runs local spins S > 1\/2 in basis "sector" only/);
    } finally {
      await Promise.all([gpujs.dispose(), webgpu.dispose()]);
    }
  });

  it('simulate() on gpu.js refuses before it runs; "auto" no longer picks the CPU backend for the keys alone', async () => {
    const input = { N: 8, L: 2, x2: 2, d: 2, sigma: 1, tEnd: 1, dt: 0.5, fieldLocal: 0.1 };
    await expect(simulate(input, { backend: 'gpujs-webasm' })).rejects.toThrow(/"fieldLocal" = 0.1.*backend gpujs-webasm runs the paper's model only/);
    let reason = '';
    await simulate(input, { backend: 'auto', threads: 1, onBackend: (_name, _d, why) => (reason = why) });
    expect(reason).not.toMatch(/fieldLocal/);
  });

  it('the WebGPU backend, handed a full-basis problem of spin S > 1/2, refuses it in load() before it allocates (no adapter needed)', async () => {
    const config = engineConfig({ N: 8, L: 2, x2: 2, d: 2, sigma: 1, tEnd: 1, dt: 0.5, basis: 'full', localSpin: 1, fieldElectron: 0.1 });
    const backend = createWebGpuBackend();
    try {
      // load() asks for no adapter before the check: a refusal here is made before any device or buffer exists.
      await expect(backend.load(prepareProblem(config, 'f32').problem, initialState(config)))
        .rejects.toThrow(/"basis" = "full" is not allowed; allowed: "auto" or "sector" for localSpin = 1 on backend webgpu/);
    } finally {
      await backend.dispose();
    }
  });

  it('selectBackend("auto") reads the keys from the config it is given (no extendedKeys option)', async () => {
    const { backend, reason } = await selectBackend('auto', { threads: 1, config: parseRunConfig({ L: 2, JexBonds: [0.3] }) });
    try {
      // A machine without a hardware adapter takes the CPU for that reason, not for the key.
      expect(reason).not.toMatch(/JexBonds/);
    } finally {
      await backend.dispose();
    }
  });
});
