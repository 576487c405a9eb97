import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * Fault tests against real `next start` processes (killed, stopped, several at once): they need the
 * production build, so `npm test` runs them after `next build`, one file at a time.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // One Redis, not the projects of the base config (its cluster project is for npm test's unit run).
    projects: undefined,
    provide: { redisMode: 'single' },
    include: ['tests/processes/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
