import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    // A guard against hangs, not a speed test: heavy DSP tests take minutes when the machine's
    // cores are busy with other work, and must still pass.
    testTimeout: 300_000,
    pool: 'forks',
  },
})
