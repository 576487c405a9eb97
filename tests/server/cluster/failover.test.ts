/**
 * A master killed mid-job, on a private 3-master + 3-replica cluster (the cluster project only):
 * the job's batch is held in the proxies, the master owning the first provider's slot is SIGKILLed,
 * its replica is promoted, and the job then completes (what the lost connection never answered is
 * resent to the new owner) within bounded waits, never hangs, and no key outside its scope is deleted.
 * Before the resend it failed in words: "20 Redis command(s) failed during invalidation", each
 * command's "Connection is closed." listed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import calculateSlot from 'cluster-key-slot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type PrivateCluster } from '~/scripts/lib/redis-server';
import { connectCluster } from '~/server/redis/cluster';
import { meetEveryNode, startProxy, type TestProxy } from '../../support/proxy';
import { closeAll, harness, keysUnder, syntheticRegistry } from '../../support/redis';
import { until } from '../../support/until';

const cli = async (port: number, ...args: string[]) => (await promisify(execFile)('redis-cli', ['-p', String(port), ...args])).stdout;
const actor = { kind: 'token' as const, label: 'failover test' };

/**
 * Waits until every master's replica has acknowledged all it was sent: its offset in the master's
 * INFO reaches the master's own. (WAIT would not do from redis-cli: it waits for that client's writes.)
 */
async function replicated(ports: number[]): Promise<void> {
  await until(async () => {
    for (const port of ports) {
      const info = await cli(port, 'info', 'replication');
      if (!info.includes('role:master')) continue;
      const own = Number(/master_repl_offset:(\d+)/.exec(info)?.[1]);
      const acked = Number(/slave0:[^\r\n]*offset=(\d+)/.exec(info)?.[1]);
      expect(acked).toBeGreaterThanOrEqual(own);
    }
  }, { timeout: 10_000, interval: 50 });
}

let dir: string;
let cluster: PrivateCluster;
let proxy: TestProxy;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'failover-'));
  cluster = await startRedisCluster({ dir, masters: 3, replicas: 1 });
  // Every replica has its master's data before anything is written (then WAIT after the seed).
  await until(async () => {
    for (const s of cluster.servers) {
      const info = await cli(s.port, 'info', 'replication');
      if (info.includes('role:slave')) expect(info).toContain('master_link_status:up');
    }
  }, { timeout: 20_000 });
  proxy = await startProxy({ nodes: cluster.servers.map((s) => `127.0.0.1:${s.port}`) });
});
afterAll(async () => {
  await closeAll();
  await proxy?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a master killed mid-job, with replicas', () => {
  it('completes the job once the replica is promoted, bounded, deleting nothing outside its scope', async () => {
    const h = harness({ clusterNodes: cluster.nodes, catalogVia: proxy, registry: syntheticRegistry(40), maxKeysPerBatch: 20, retryDelaysMs: [50, 100, 200, 400, 800] });
    const check = connectCluster(cluster.nodes, 'failover-check');
    const opened = [check];
    try {
      await h.cache.seed();
      const names = h.registry.names();
      const scope = names.slice(0, 20);
      const keys = h.keys.catalog;
      // Lookalikes beside every provider's keys, in their very slots.
      for (const p of names) await check.set(`${keys.providerModels(p)}:backup`, 'keep');
      const outside = [...names.slice(20).flatMap((p) => keys.providerKeys(p)), ...names.map((p) => `${keys.providerModels(p)}:backup`), keys.pricing, keys.providerList];
      await replicated(cluster.ports);

      // The master that owns the first provider's slot, asked of the cluster itself.
      const slots = JSON.stringify(await check.cluster('SLOTS'));
      const ranges = JSON.parse(slots) as [number, number, [string, number]][];
      const slot = calculateSlot(keys.providerModels(scope[0] as string));
      const victimPort = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
      const victim = cluster.servers.find((s) => s.port === victimPort);
      expect(victim).toBeDefined();

      await meetEveryNode(h.catalogRedis);
      proxy.pause(); // the job's batch waits in the proxies
      const { jobId } = await h.invalidation.start({ providers: scope, cacheType: 'models', cascade: true }, actor);
      await until(async () => expect((await h.invalidation.get(jobId)).status).toBe('running'), { timeout: 10_000 });
      // Replication is asynchronous: a master killed before its replica has the job's own record loses
      // it with the failover (Redis's guarantee, stated in docs/fitting-your-gateway.md). What is tested here is the held
      // batch, so the job's writes so far are first acknowledged by every replica.
      await replicated(cluster.ports);

      victim?.process.kill('SIGKILL');
      // Its replica takes over: some other node now serves the slot, and the cluster says ok.
      const others = cluster.servers.filter((s) => s !== victim);
      await until(async () => {
        const owner = (JSON.parse(JSON.stringify(await check.cluster('SLOTS'))) as [number, number, [string, number]][]).find(([from, to]) => slot >= from && slot <= to);
        expect(owner?.[2][1]).not.toBe(victimPort);
        for (const s of others) expect(await cli(s.port, 'cluster', 'info')).toContain('cluster_state:ok');
      }, { timeout: 30_000, interval: 200 });
      proxy.resume();

      await until(async () => expect((await h.invalidation.get(jobId)).status).toMatch(/^(completed|failed)$/), { timeout: 30_000, interval: 100 });
      // Read back with a client that met the cluster after the failover (the check client's map is the old one).
      const after = connectCluster(others.map((s) => `127.0.0.1:${s.port}`).join(','), 'failover-after');
      opened.push(after);
      const record = await h.invalidation.get(jobId);
      const events = await (async () => {
        const list = [];
        for await (const e of h.invalidation.events(jobId, null)) list.push(e.event.type);
        return list;
      })();
      expect(events.at(-1)).toBe(record.status);
      // The batch was held until the replica was promoted: what the lost connection never answered is
      // resent to the new owner (server/redis/cluster.ts), so the job completes, every key of its scope gone.
      expect(record, JSON.stringify(record.error)).toMatchObject({ status: 'completed', result: { success: true, providersInvalidated: 20 } });
      const gone = await keysUnder(after, keys.prefix);
      for (const p of scope) expect(gone).not.toContain(keys.providerModels(p));
      expect(gone).not.toContain(keys.fullCatalog);
      // Nothing outside the scope was deleted, on the promoted replica as everywhere else.
      const left = new Set(await keysUnder(after, keys.prefix));
      expect(outside.filter((k) => !left.has(k))).toEqual([]);
    } finally {
      opened.forEach((c) => c.disconnect());
    }
  }, 60_000);
});
