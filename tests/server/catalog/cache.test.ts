/** Cache-aside details: in-process single flight, the full catalog's lease, what a rebuild stores and announces. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleModels, startModelSource, type ModelSource } from '~/scripts/lib/model-source';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { createCatalogCache } from '~/server/catalog/cache';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { catalogKeys } from '~/server/redis/keys';
import { client, closeAll, harness, namespace, redisUrl } from '../../support/redis';
import { until } from '../../support/until';

let source: ModelSource;
let proxy: RedisProxy;
beforeAll(async () => {
  source = await startModelSource();
  const url = new URL(redisUrl());
  proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
});
afterAll(async () => {
  await closeAll();
  await proxy.close();
  await source.close();
});

function cacheWithChanges(redisUrlToUse = redisUrl()) {
  const changes: unknown[] = [];
  const keys = catalogKeys(namespace().catalogPrefix);
  const redis = client(redisUrlToUse);
  const cache = createCatalogCache({ redis, keys, registry: registryFromConfig(source.config(['groq'])), ttlSeconds: 60, leaseMs: 5000, waitMs: 5000, onChange: (c) => changes.push(c) });
  return { cache, keys, changes, redis };
}

describe('catalog cache', () => {
  it('concurrent readers in one process share one read: 50 hits cost one round trip', async () => {
    const { cache } = cacheWithChanges(proxy.url);
    await cache.seed(['xai']);
    proxy.resetCounters();
    const reads = await Promise.all(Array.from({ length: 50 }, () => cache.getProvider('xai')));
    expect(proxy.roundTrips()).toBe(1);
    expect(reads.every((r) => r.cache === 'HIT')).toBe(true);
  });

  it('stores the provider\'s pricing (models without prices left out) and announces each stored rebuild, never a fenced one', async () => {
    const { cache, keys, changes, redis } = cacheWithChanges();
    source.set('groq', { models: [...sampleModels('groq', 1), { id: 'groq/free' }] });
    expect((await cache.getProvider('groq')).cache).toBe('MISS');
    expect(JSON.parse((await redis.get(keys.providerPricing('groq'))) ?? '{}')).toEqual({ 'groq/model-1': { inputPerMTok: 1, outputPerMTok: 2 } });
    expect(await redis.hget(keys.providerModels('groq'), 'modelCount')).toBe('2');
    expect(changes).toEqual([{ reason: 'rebuilt', providers: ['groq'] }]);

    await redis.unlink(keys.providerModels('groq'));
    source.set('groq', { models: sampleModels('groq', 1), hold: true });
    const reading = cache.getProvider('groq');
    await until(() => expect(source.held('groq')).toBe(1));
    await redis.incr(keys.providerGeneration('groq')); // an invalidation, as the engine bumps it
    source.release('groq');
    expect(await reading).toMatchObject({ fenced: true });
    expect(changes).toHaveLength(1);
  });

  it('announces seeds: "all" for every provider, else the names', async () => {
    const { cache, changes } = cacheWithChanges();
    await cache.seed(['xai', 'mistral']);
    await cache.seed();
    expect(changes).toEqual([
      { reason: 'seeded', providers: ['xai', 'mistral'] },
      { reason: 'seeded', providers: 'all' },
    ]);
  });

  it('a full catalog rebuild stores the catalog and the provider list; a second reader waits for it instead of building', async () => {
    const one = harness({ registry: registryFromConfig(source.config(['groq'])) });
    const two = harness({ ns: one.ns, registry: one.registry });
    const redis = client();
    await one.cache.seed(one.registry.names().filter((n) => n !== 'groq'));
    await redis.unlink(one.keys.catalog.fullCatalog, one.keys.catalog.providerList);
    source.set('groq', { models: sampleModels('groq', 2), hold: true });
    const before = source.hits('groq');
    const first = one.cache.getFull();
    await until(() => expect(source.held('groq')).toBe(1));
    const second = two.cache.getFull(); // the global lease is held: it waits
    source.release('groq');
    const [a, b] = await Promise.all([first, second]);
    expect(a.cache).toBe('MISS');
    expect(b.cache).toBe('HIT');
    expect(b.catalog).toEqual(a.catalog);
    expect(source.hits('groq') - before).toBe(1);
    const list = JSON.parse((await redis.get(one.keys.catalog.providerList)) ?? '[]') as { name: string; modelCount: number }[];
    expect(list.map((p) => p.name)).toEqual([...one.registry.names()]);
    expect(list.find((p) => p.name === 'groq')?.modelCount).toBe(2);
  });

  it('a full catalog reader waits out a lease whose holder died, then builds it itself', async () => {
    const h = harness({ env: { REBUILD_LEASE_MS: '300' } });
    const redis = client();
    await h.cache.seed();
    await redis.unlink(h.keys.catalog.fullCatalog);
    await redis.set(h.keys.catalog.globalLease, 'a-dead-instance', 'PX', 300);
    const full = await h.cache.getFull();
    expect(full.cache).toBe('MISS');
    expect(full.fenced).toBeUndefined();
    expect(await redis.exists(h.keys.catalog.fullCatalog)).toBe(1);
  });

  it('never stores an empty or malformed answer: the reader gets a 503 in words, and nothing is cached', async () => {
    const { cache, keys, redis } = cacheWithChanges();
    for (const [behaviour, reason] of [
      [{ body: '{"object":"list","data":[]}' }, /The source of groq answered badly: the source answered an empty model list/],
      [{ body: 'not json' }, /The source of groq failed: /],
      [{ status: 500 }, /The source of groq failed: groq: GET .* answered 500/],
    ] as const) {
      source.set('groq', behaviour);
      await expect(cache.getProvider('groq')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(reason) });
      expect(await redis.exists(keys.providerModels('groq'), keys.providerPricing('groq'))).toBe(0);
    }
  });

  it('the state of a provider that is not cached is all nulls, with its name and source', async () => {
    const h = harness();
    const state = (await h.cache.state()).find((p) => p.name === 'groq');
    expect(state).toEqual({ name: 'groq', displayName: 'Groq', source: 'bundled', cached: false, stale: false, held: false, keys: 0, keysTotal: 2, ttlMs: null, cachedAt: null, modelCount: null, unpriced: null, unguarded: [] });
  });
});
