import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Property tests print the fast-check seed on failure; keep the output readable.
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
