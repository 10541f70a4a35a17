import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:long`: the WebGPU f32 accuracy test over a long run
// (test/backends/webgpu/long-run.test.ts: L = 32, K = 2, >= 2500 H
// applications on 296,208 amplitudes of basis antisymmetric), too slow on SwiftShader for the
// default suite; on a hardware adapter it takes seconds.
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/backends/webgpu/long-run.test.ts'],
    exclude: [],
    testTimeout: 7_200_000,
  },
});
