import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The suites that run on the cluster. */
const CLUSTER_SUITES = [
  // So far the engine's own suite; the job, event, coalescing, lease and fence suites fail on a
  // cluster where their seeds and reads pipeline keys of several slots (see the README).
  'tests/server/cluster/*.test.ts',
];

export default defineConfig({
  resolve: {
    alias: {
      '~': fileURLToPath(new URL('.', import.meta.url)),
      // Next resolves it to an empty module on the server; outside Next it would throw.
      'server-only': fileURLToPath(new URL('./tests/support/empty.ts', import.meta.url)),
    },
  },
  test: {
    // Every suite on one Redis; the cluster suites on the private 3-master cluster too
    // (tests/support/redis.ts connects as the mode says).
    projects: [
      { extends: true, test: { name: 'single', include: ['tests/**/*.test.ts'], exclude: ['tests/processes/**', 'tests/server/cluster/**', '**/node_modules/**'], provide: { redisMode: 'single' } } },
      { extends: true, test: { name: 'cluster', include: CLUSTER_SUITES, provide: { redisMode: 'cluster' } } },
    ],
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
