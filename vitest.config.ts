import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'suites/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Tests launch Chromium and child processes; two cores, so two files at a time at most, and
    // generous timeouts: a launch that takes 0.6 s when idle takes many seconds under load.
    pool: 'forks',
    maxWorkers: 2,
  },
});
