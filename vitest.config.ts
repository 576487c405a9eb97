import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '~': fileURLToPath(new URL('.', import.meta.url)),
      // Next resolves it to an empty module on the server; outside Next it would throw.
      'server-only': fileURLToPath(new URL('./tests/support/empty.ts', import.meta.url)),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // Real `next start` processes need the build: run after it, by vitest.processes.config.ts.
    exclude: ['tests/processes/**', '**/node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    environment: 'node',
    // Services built from process.env (the HTTP tests) log warnings and errors only; a test that reads the log sets its own level.
    env: { LOG_LEVEL: 'warn' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Files share one private redis-server but each works under its own random prefixes.
    fileParallelism: true,
  },
});
