import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Worker-thread tests and the CPU-heavy physics tests share 2 cores: keep files from competing.
    fileParallelism: false,
  },
});
