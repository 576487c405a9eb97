import { defineConfig } from 'vitest/config';
import base, { CLUSTER_SUITES } from './vitest.config';

/**
 * `npm run mutate:cluster`: the code only a cluster reaches (the per-slot batch), mutated against the
 * cluster project's suites on the private 3-master cluster that vitest's global setup starts.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    projects: undefined,
    provide: { redisMode: 'cluster' },
    include: CLUSTER_SUITES,
    // Kills a master of its own cluster per run: too slow to repeat for every mutant.
    exclude: ['**/node_modules/**', 'tests/server/cluster/failover.test.ts'],
  },
});
