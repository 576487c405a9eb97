/**
 * `npm start` on a Redis Cluster: with REDIS_CLUSTER_NODES set, scripts/start.ts picks no single
 * Redis and starts none, seeds the empty catalog on the cluster, and the app it starts runs a job
 * there. Needs the build (it would otherwise build first).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitForPort } from '~/scripts/lib/redis-server';
import type { JobRecord, StartResult } from '~/server/invalidation/schema';
import { connectCluster } from '~/server/redis/cluster';
import { catalogKeys } from '~/server/redis/keys';
import { TOKEN, trpc } from '../support/next-instance';
import { clusterNodes, closeAll, keysUnder, namespace } from '../support/redis';
import { until } from '../support/until';

const cluster = connectCluster(clusterNodes(), 'start-test');
afterAll(async () => {
  cluster.disconnect();
  await closeAll();
});

describe('npm start with REDIS_CLUSTER_NODES', () => {
  it('starts no Redis of its own, seeds the cluster, and the app it starts invalidates there', async () => {
    const ns = namespace();
    const [port, embeddedPort] = [await freePort(), await freePort()];
    const { REDIS_URL: _ignored, ...env } = process.env;
    const start = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts'], {
      env: { ...env, REDIS_CLUSTER_NODES: clusterNodes(), EMBEDDED_REDIS_PORT: String(embeddedPort), PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN, CATALOG_PREFIX: ns.catalogPrefix, ADMIN_PREFIX: ns.adminPrefix, LOG_LEVEL: 'warn', LOG_PRETTY: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    start.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    start.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(start, 'exit');
    const base = `http://127.0.0.1:${port}`;
    try {
      await until(async () => {
        if (start.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
        expect((await fetch(`${base}/api/health`)).status).toBe(200);
      }, { timeout: 45_000, interval: 200 });
      expect(output).toContain(`Using the Redis Cluster at ${clusterNodes()}`);
      expect(output).not.toContain('Started a private redis-server');
      // Nothing listens where it would have started its own redis-server.
      await expect(waitForPort(embeddedPort, 300)).rejects.toThrow();
      const seeded = /Seeded the catalog \((\d+) providers\)/.exec(output);
      expect(seeded, output).not.toBeNull();

      const keys = catalogKeys(ns.catalogPrefix);
      const models = (await keysUnder(cluster, ns.catalogPrefix)).filter((k) => k.endsWith(':models'));
      expect(models).toHaveLength(Number(seeded?.[1]));
      const { jobId } = await trpc<StartResult>(base, 'invalidation.start', { providers: ['groq', 'xai'], cacheType: 'models', cascade: true });
      await until(async () => expect((await trpc<JobRecord>(base, 'invalidation.get', { jobId }, 'query')).status).toBe('completed'), { timeout: 20_000 });
      expect((await trpc<JobRecord>(base, 'invalidation.get', { jobId }, 'query')).result).toMatchObject({ success: true, providersInvalidated: 2, keysDeleted: 3 });
      const left = await keysUnder(cluster, ns.catalogPrefix);
      expect(left).not.toContain(keys.providerModels('groq'));
      expect(left).not.toContain(keys.fullCatalog);
      expect(left).toContain(keys.providerModels('mistral'));
    } finally {
      // start.ts hands SIGTERM to next start and exits with it.
      start.kill('SIGTERM');
      await exited;
    }
  });
});
