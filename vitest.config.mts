import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure rules, templates, infrastructure assertions: no emulator) and `e2e`
 * (test/local: the whole system in local mode). `npm test` runs both; `npm run test:unit` and
 * `npm run test:e2e` one each. Timeouts leave at least 2x over what a test takes on two busy
 * cores (measured with two CPU-bound processes beside the suite; see README, "Tests").
 */
export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    // Emulators bind loopback ports per test file; two cores: keep parallelism modest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/local/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/local/**/*.test.ts'],
          // A local system starts per file (beforeAll): emulators, the synthesized template (cached
          // on disk by test/setup.ts), handler modules loaded on first use.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
