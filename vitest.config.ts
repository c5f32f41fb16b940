import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/fixtures/**'],
    // The end-to-end test runs a whole `astro build`.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
