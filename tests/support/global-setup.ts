import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRedisCluster, startRedisServer } from '../../scripts/lib/redis-server';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** `host:port,…` of a private 3-master loopback cluster (REDIS_CLUSTER_NODES). */
    clusterNodes: string;
    /** Which Redis the harness uses: `single` (every suite) or `cluster` (the cluster project's suites). */
    redisMode: 'single' | 'cluster';
  }
}

/**
 * One private redis-server and one private 3-master cluster (loopback, free ports, ready in well
 * under a second) for the whole run; every test works under its own random key prefixes.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitest-redis-'));
  const [redis, cluster] = await Promise.all([startRedisServer({ dir: `${dir}/single` }), startRedisCluster({ dir: `${dir}/cluster`, masters: 3 })]);
  project.provide('redisUrl', redis.url);
  project.provide('clusterNodes', cluster.nodes);
  return async () => {
    await Promise.all([redis.stop(), cluster.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
