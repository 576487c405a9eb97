/**
 * Issue 22, item 2: an instance whose invalidation subscriber lags (a GC pause, a slow link: its
 * connections open, its PINGs answered late) still holds groq's old catalog in its in-process tier
 * after a job completed. A full-catalog read on it in that window may serve its own stale copy
 * (within the staleness bound) but must not write it to Redis. Before the fix it assembled the full
 * catalog from its in-process groq and stored it: every instance then read the old catalog from Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleModels, startModelSource, type ModelSource } from '~/scripts/lib/model-source';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { client, closeAll, harness, redisUrl, runToEnd } from '../../support/redis';
import { until } from '../../support/until';

// A heartbeat long enough that the lagging instance still counts as healthy (it serves its tier) while held.
const env = { INSTANCE_HEARTBEAT_MS: '10000', INSTANCE_TTL_MS: '30000', INSTANCE_CONFIRM_TIMEOUT_MS: '300', L1_MAX_AGE_MS: '60000' };
const OLD = [...sampleModels('groq', 1), { id: 'groq/withdrawn', context_length: 4096 }];
const NEW = sampleModels('groq', 1);
const withdrawn = (catalog: unknown) => (typeof catalog === 'string' ? catalog : JSON.stringify(catalog ?? '')).includes('groq/withdrawn');

let source: ModelSource;
let proxy: RedisProxy;
beforeAll(async () => {
  source = await startModelSource();
  const url = new URL(redisUrl());
  proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
});
afterAll(async () => {
  await closeAll();
  await proxy?.close();
  await source?.close();
});

describe('an instance whose subscriber lags', () => {
  it('does not write the copy it still holds in process into the full catalog in Redis', async () => {
    const registry = () => registryFromConfig(source.config(['groq']));
    source.set('groq', { models: OLD });
    const a = harness({ env, registry: registry(), instanceId: 'a' });
    // b's admin connections, its invalidation subscriber among them, go through the proxy; its catalog reads do not.
    const b = harness({ env, registry: registry(), ns: a.ns, instanceId: 'b', adminUrl: proxy.url });
    const redis = client();
    const keys = a.keys.catalog;
    try {
      await Promise.all([a.presence.start(), b.presence.start()]);
      await a.cache.seed();
      await until(async () => expect((await b.cache.getProvider('groq')).tier).toBe('process'));
      expect(withdrawn((await b.cache.getProvider('groq')).catalog)).toBe(true);

      source.set('groq', { models: NEW });
      proxy.holdReplies(true); // b hears nothing for now: the announcement waits in the proxy
      const job = await runToEnd(a, ['groq']);
      expect(job.status).toBe('completed');
      expect(job.result?.instances).toMatchObject({ confirmed: 1, total: 2, missing: [{ id: b.presence.id }] });

      await b.cache.getFull(); // b may serve its old groq (the staleness bound), but writes nothing of it
      expect(withdrawn(await redis.get(keys.fullCatalog)), 'the full catalog in Redis after b read it').toBe(false);
      expect(withdrawn((await a.cache.getFull()).catalog), 'a full read on a after the job').toBe(false);
      proxy.holdReplies(false);
      expect(withdrawn(await redis.get(keys.fullCatalog)), 'the full catalog in Redis at the end').toBe(false);
    } finally {
      proxy.holdReplies(false);
      await Promise.all([a.shutdown(0), b.shutdown(0)]);
    }
  });
});
