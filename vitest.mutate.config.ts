import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/** `npm run mutate`: the domain's tests (no child processes), which StrykerJS reruns for each mutant. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // One Redis, not the projects of the base config (its cluster project is for npm test's unit run).
    projects: undefined,
    provide: { redisMode: 'single' },
    include: ['tests/server/**/*.test.ts', 'tests/http/**/*.test.ts'],
    // Spawns a second server process per run: too slow to repeat for every mutant.
    exclude: ['**/node_modules/**', 'tests/http/second-instance.test.ts', 'tests/server/cluster/**'],
  },
});
