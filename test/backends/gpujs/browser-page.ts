/**
 * Bundled for the browser by browser.test.ts: runs one small simulation with
 * the gpu.js backend in its best browser mode (webgl2) and the same on the f64
 * CPU backend, and reports how far apart they are.
 */

import { bestGpuJsMode, createGpuJsBackend } from '../../../src/backends/gpujs/gpujs-backend.js';
import { webGl2Renderer } from '../../../src/backends/gpujs/webgl2-renderer.js';
import { selectBackend } from '../../../src/backends/select.js';
import { simulate } from '../../../src/simulate.js';

export interface GpuJsBrowserCheck {
  bestMode: string;
  backend: string;
  outputs: number;
  /** Largest |difference| of deltaSigmaZ, the probabilities, S_z per site, the norm and the energy. */
  maxDeviation: number;
  error?: string;
  /** The WebGL2 renderer as auto sees it, and what auto chose and why. */
  renderer?: string;
  rendererIsSoftware?: boolean;
  autoBackend?: string;
  autoReason?: string;
}

async function runGpuJsCheck(): Promise<GpuJsBrowserCheck> {
  const config = { N: 12, L: 3, spinStart: 7, x2: 3, d: 3, sigma: 1.5, tEnd: 3, dt: 0.5, state: 'T0' as const };
  const bestMode = bestGpuJsMode();
  try {
    const gpu = createGpuJsBackend({ mode: 'webgl2' });
    try {
      const g = await simulate(config, { backend: gpu });
      const c = await simulate(config, { backend: 'cpu', threads: 1 });
      let m = 0;
      const cmp = (a: number[], b: number[]) => a.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[i]))));
      cmp(g.deltaSigmaZ, c.deltaSigmaZ);
      cmp(g.norm, c.norm);
      cmp(g.energy, c.energy);
      g.SzSites.forEach((row, k) => cmp(row, c.SzSites[k]));
      for (const k of ['S', 'T0', 'T+', 'T-'] as const) cmp(g.probabilities![k], c.probabilities![k]);
      const gl = webGl2Renderer();
      const auto = await selectBackend('auto');
      await auto.backend.dispose();
      return {
        bestMode, backend: g.backend, outputs: g.t.length, maxDeviation: m,
        renderer: gl?.renderer, rendererIsSoftware: gl?.software, autoBackend: auto.backend.name, autoReason: auto.reason,
      };
    } finally {
      await gpu.dispose();
    }
  } catch (err) {
    return { bestMode, backend: '', outputs: 0, maxDeviation: NaN, error: String((err as Error)?.stack ?? err) };
  }
}

(globalThis as { runGpuJsCheck?: () => Promise<GpuJsBrowserCheck> }).runGpuJsCheck = runGpuJsCheck;
