import { defineConfig } from 'vitest/config'

/**
 * Browser end-to-end tests: the built app served by `vite preview`, driven in Debian's
 * Chromium through playwright-core (see tests/e2e/README.md). One file at a time: the
 * machines are small and every file starts its own browser.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
})
