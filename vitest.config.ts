import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The end-to-end tests run a whole `astro build`.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'tests/fixtures/**', 'tests/browser/**'],
        },
      },
      {
        // The built site in Chromium: built and served once (tests/browser/setup.ts), one browser at a time.
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
