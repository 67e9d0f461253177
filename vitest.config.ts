import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // examples/ are a user's files: they import the installed package and run in the tarball test's fixture project (scripts/tarball.test.ts).
    exclude: ['node_modules/**', 'dist/**', 'examples/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
