/**
 * Bundled for the browser by browser.test.ts: runs one simulation on the CPU
 * backend with two threads and returns the result and how it ran.
 */

import { createCpuBackend } from '../../../src/backends/cpu/cpu-backend.js';
import type { SimulationResult } from '../../../src/model/result.js';
import { simulate } from '../../../src/simulate.js';
import { BROWSER_ANTISYMMETRIC_CONFIG, BROWSER_CPU_CONFIG, BROWSER_FULL_SPIN_CONFIG, BROWSER_SECTOR_CONFIG } from './browser-config.js';

export interface CpuBrowserRun {
  crossOriginIsolated: boolean;
  description: string;
  result: SimulationResult;
}

async function runCpu(config: object = BROWSER_CPU_CONFIG): Promise<CpuBrowserRun> {
  const backend = createCpuBackend({ threads: 2 });
  try {
    const result = await simulate(config, { backend });
    return { crossOriginIsolated: globalThis.crossOriginIsolated, description: backend.description, result };
  } finally {
    await backend.dispose();
  }
}

(globalThis as { runCpu?: () => Promise<CpuBrowserRun> }).runCpu = () => runCpu();
(globalThis as { runCpuSector?: () => Promise<CpuBrowserRun> }).runCpuSector = () => runCpu(BROWSER_SECTOR_CONFIG);
(globalThis as { runCpuAntisymmetric?: () => Promise<CpuBrowserRun> }).runCpuAntisymmetric = () => runCpu(BROWSER_ANTISYMMETRIC_CONFIG);
(globalThis as { runCpuFullSpin?: () => Promise<CpuBrowserRun> }).runCpuFullSpin = () => runCpu(BROWSER_FULL_SPIN_CONFIG);
