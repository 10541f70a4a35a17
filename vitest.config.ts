import { existsSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

// WebGPU tests run for real: in Node the `webgpu` package finds an adapter
// through the Vulkan loader. Where no GPU driver is named, point it at
// SwiftShader (Chromium's CPU Vulkan driver) when it is installed; a
// VK_ICD_FILENAMES set by the caller wins.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const gpuEnv: Record<string, string> =
  !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD) ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {};

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The f32 long run (L = 32, K = 2, >= 2500 H applications) takes far longer on SwiftShader: `npm run test:long`.
    exclude: [...configDefaults.exclude, 'test/backends/webgpu/long-run.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Worker-thread tests and the CPU-heavy physics tests share 2 cores: keep files from competing.
    fileParallelism: false,
    env: gpuEnv,
  },
});
