import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'suites/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests launch Chromium and child processes; two cores, so two files at a time at most.
    pool: 'forks',
    maxWorkers: 2,
  },
});
