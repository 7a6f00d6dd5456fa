import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/services/global-setup.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Servers are shared; two files at a time matches the 2-core machines this runs on.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
