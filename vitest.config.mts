import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Emulators bind loopback ports per test file; two cores: keep parallelism modest.
    maxWorkers: 2,
    setupFiles: ['test/setup.ts'],
  },
});
