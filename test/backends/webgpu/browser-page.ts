/**
 * Bundled for the browser by browser.test.ts: runs one small simulation on
 * navigator.gpu through the WebGPU backend and the same on the CPU backend,
 * and reports how far apart they are; and the runs of basis "sector" of
 * browser-config.ts and its theta sweep (three phase states in turn on the
 * device), whose results the Node side checks against its own CPU.
 */

import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import type { SimulationResult } from '../../../src/model/result.js';
import { simulate } from '../../../src/simulate.js';
import { thetaSweep, type ThetaSweep } from '../../../src/studies/theta-sweep.js';
import { BROWSER_SECTOR_CONFIGS, BROWSER_THETA_SWEEP } from './browser-config.js';

export interface BrowserCheck {
  hasNavigatorGpu: boolean;
  description: string;
  backend: string;
  outputs: number;
  /** Largest |difference| of deltaSigmaZ, the probabilities and the norm. */
  maxDeviation: number;
}

async function runCheck(): Promise<BrowserCheck> {
  const config = { N: 16, L: 3, spinStart: 8, x2: 5, d: 4, sigma: 1.5, tEnd: 3, dt: 0.5, basis: 'full' as const };
  const gpu = createWebGpuBackend();
  try {
    const g = await simulate(config, { backend: gpu });
    const c = await simulate(config, { backend: 'cpu' });
    let m = 0;
    const cmp = (a: number[], b: number[]) => a.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[i]))));
    cmp(g.deltaSigmaZ, c.deltaSigmaZ);
    cmp(g.norm, c.norm);
    for (const k of ['S', 'T0', 'T+', 'T-'] as const) cmp(g.probabilities![k], c.probabilities![k]);
    return { hasNavigatorGpu: !!navigator.gpu, description: gpu.description, backend: g.backend, outputs: g.t.length, maxDeviation: m };
  } finally {
    await gpu.dispose();
  }
}

export interface BrowserSectorRuns {
  /** The backend's description after each run (it names the basis). */
  descriptions: string[];
  results: SimulationResult[];
}

async function runSectorCheck(): Promise<BrowserSectorRuns> {
  const gpu = createWebGpuBackend();
  try {
    const descriptions: string[] = [];
    const results: SimulationResult[] = [];
    for (const config of BROWSER_SECTOR_CONFIGS) {
      results.push(await simulate(config, { backend: gpu }));
      descriptions.push(gpu.description);
    }
    return { descriptions, results };
  } finally {
    await gpu.dispose();
  }
}

/** The theta sweep on navigator.gpu: the study picks its WebGPU backend by name, as the dashboard's does. */
async function runThetaSweepCheck(): Promise<ThetaSweep> {
  return thetaSweep(BROWSER_THETA_SWEEP.config, BROWSER_THETA_SWEEP.thetas, { backend: 'webgpu', outputsPerExpansion: 3 });
}

const page = globalThis as {
  runCheck?: () => Promise<BrowserCheck>;
  runSectorCheck?: () => Promise<BrowserSectorRuns>;
  runThetaSweepCheck?: () => Promise<ThetaSweep>;
};
page.runCheck = runCheck;
page.runSectorCheck = runSectorCheck;
page.runThetaSweepCheck = runThetaSweepCheck;
