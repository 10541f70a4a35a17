/**
 * Bundled for the browser by browser.test.ts: runs one small simulation on
 * navigator.gpu through the WebGPU backend and the same on the CPU backend,
 * and reports how far apart they are.
 */

import { createWebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import { simulate } from '../../../src/simulate.js';

export interface BrowserCheck {
  hasNavigatorGpu: boolean;
  description: string;
  backend: string;
  outputs: number;
  /** Largest |difference| of deltaSigmaZ, the probabilities and the norm. */
  maxDeviation: number;
}

async function runCheck(): Promise<BrowserCheck> {
  const config = { N: 16, L: 3, spinStart: 8, x2: 5, d: 4, sigma: 1.5, tEnd: 3, dt: 0.5 };
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

(globalThis as { runCheck?: () => Promise<BrowserCheck> }).runCheck = runCheck;
