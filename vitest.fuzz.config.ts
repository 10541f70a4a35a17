import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run fuzz`: the property-based tests of test/fuzz/ with many cases
// (FUZZ_RUNS, default 2000 per property; FUZZ_SEED replays a run). It prints
// the figures and writes them to FUZZ_REPORT (default fuzz-report.json).
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/fuzz/fuzz.test.ts'],
    testTimeout: 3_600_000,
    env: { ...base.test?.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '2000' },
  },
});
