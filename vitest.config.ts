import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The suites that run on the private 3-master cluster as well as on one Redis: the engine and the
 * resharding, the job lifecycle and its events (subscriptions), coalescing, leases and takeovers,
 * the fences, the preview, and API tokens (their record and index live in two slots). The rest (auth,
 * audit, webhooks, schedules, HTTP) keep their keys in one hash tag each and run on one Redis only, to
 * keep the run short.
 */
export const CLUSTER_SUITES = [
  'tests/server/cluster/*.test.ts',
  'tests/server/invalidation/jobs.test.ts',
  'tests/server/invalidation/finished-index.test.ts',
  'tests/server/invalidation/events.test.ts',
  'tests/server/invalidation/coalescing.test.ts',
  'tests/server/invalidation/leases.test.ts',
  'tests/server/invalidation/preview.test.ts',
  'tests/server/invalidation/recent.test.ts',
  'tests/server/catalog/fence.test.ts',
  'tests/server/auth/tokens.test.ts',
  'tests/server/auth/token-pages.test.ts',
  'tests/server/auth/token-chain.test.ts',
  // The catalog guard (issue 23): the hold, the re-store and the review's scripts touch one provider's slot.
  'tests/server/guard/hold.test.ts',
  'tests/server/guard/review.test.ts',
  'tests/server/guard/overrides.test.ts',
  // The catalog's history: its streams share the provider's slot with the scripts that append to them.
  'tests/server/guard/history.test.ts',
  'tests/server/catalog/held-hash.test.ts',
  // The cache state's script (a gateway's copy against the published one) reads one provider's slot.
  'tests/server/guard/signals.test.ts',
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
