/**
 * Fenced, single-flight rebuilds on a real Redis, against a loopback OpenAI-compatible source whose
 * answers are held on a latch so each race is staged step by step (no timing involved).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleModels, startModelSource, type ModelSource } from '~/scripts/lib/model-source';
import { createCatalogCache } from '~/server/catalog/cache';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { catalogKeys } from '~/server/redis/keys';
import { client, closeAll, harness, namespace } from '../../support/redis';
import { until } from '../../support/until';

let source: ModelSource;
const actor = { kind: 'token' as const, label: 'test' };
const ids = (catalog: { models: { id: string }[] }) => catalog.models.map((m) => m.id);
const OLD = sampleModels('groq', 2);
const NEW = [...sampleModels('groq', 1), { id: 'groq/brand-new', context_length: 4096 }];

beforeAll(async () => {
  source = await startModelSource();
});
afterAll(async () => {
  await closeAll();
  await source.close();
});

/** A harness whose `groq` comes from the loopback source (each test its own provider state). */
function groqHarness(options: Parameters<typeof harness>[0] = {}) {
  return harness({ registry: registryFromConfig(source.config(['groq'])), ...options });
}

describe('fenced rebuilds: an invalidation always wins', () => {
  it('drops a value fetched before the invalidation; the reader who fetched it still gets it', async () => {
    const h = groqHarness();
    const redis = client();
    source.set('groq', { models: OLD, hold: true });
    const before = source.hits('groq');
    const reading = h.cache.getProvider('groq'); // misses, takes the lease, the fetch is held
    await until(() => expect(source.held('groq')).toBe(1));

    const { jobId } = await h.invalidation.start({ providers: ['groq'] }, actor);
    await until(async () => expect((await h.invalidation.get(jobId)).status).toBe('completed'));
    source.set('groq', { models: NEW });
    source.release('groq'); // the held request answers with the catalog it was asked for: OLD

    const read = await reading;
    expect(read).toMatchObject({ cache: 'MISS', fenced: true });
    expect(ids(read.catalog)).toEqual(OLD.map((m) => m.id));
    expect(await redis.exists(h.keys.catalog.providerModels('groq'), h.keys.catalog.providerPricing('groq'))).toBe(0);
    expect(await redis.exists(h.keys.catalog.providerLease('groq'))).toBe(0); // released with the refused write

    const next = await h.cache.getProvider('groq');
    expect(next).toMatchObject({ cache: 'MISS' });
    expect(next.fenced).toBeUndefined();
    expect(ids(next.catalog)).toEqual(NEW.map((m) => m.id));
    expect((await h.cache.getProvider('groq')).cache).toBe('HIT');
    expect(source.hits('groq') - before).toBe(2);
  });

  it('drops a full catalog assembled before an invalidation that cascaded to it', async () => {
    const h = groqHarness();
    const redis = client();
    await h.cache.seed(h.registry.names().filter((n) => n !== 'groq'));
    await redis.unlink(h.keys.catalog.fullCatalog);
    source.set('groq', { models: OLD, hold: true });
    const reading = h.cache.getFull(); // groq misses: its fetch is held, and so is the full rebuild
    await until(() => expect(source.held('groq')).toBe(1));

    const { jobId } = await h.invalidation.start({ providers: ['xai'], cascade: true }, actor);
    await until(async () => expect((await h.invalidation.get(jobId)).status).toBe('completed'));
    source.release('groq');

    const full = await reading;
    expect(full).toMatchObject({ cache: 'MISS', fenced: true });
    expect(full.catalog.providers).toHaveLength(h.registry.names().length);
    expect(await redis.exists(h.keys.catalog.fullCatalog)).toBe(0);
    expect((await h.cache.getFull()).cache).toBe('MISS');
    expect((await h.cache.getFull()).cache).toBe('HIT');
  });

  it('a rebuild after the invalidation is stored, and the generation counts each invalidation', async () => {
    const h = groqHarness();
    const redis = client();
    source.set('groq', { models: OLD });
    await h.invalidation.start({ providers: ['groq'] }, actor);
    await h.runner.drain();
    await h.invalidation.start({ providers: ['groq'] }, actor);
    await h.runner.drain();
    expect(await redis.get(h.keys.catalog.providerGeneration('groq'))).toBe('2');
    expect((await h.cache.getProvider('groq')).cache).toBe('MISS');
    expect((await h.cache.getProvider('groq')).cache).toBe('HIT');
  });
});

describe('single-flight rebuilds', () => {
  it('200 concurrent readers on two instances cause one source fetch, and all 200 get the catalog', async () => {
    const one = groqHarness();
    const two = groqHarness({ ns: one.ns });
    source.set('groq', { models: NEW, hold: true });
    const before = source.hits('groq');
    const reads = Array.from({ length: 200 }, (_, i) => (i % 2 ? one : two).cache.getProvider('groq'));
    await until(() => expect(source.held('groq')).toBe(1));
    source.release('groq');
    const answers = await Promise.all(reads);
    expect(source.hits('groq') - before).toBe(1);
    expect(answers.every((a) => ids(a.catalog).join() === NEW.map((m) => m.id).join())).toBe(true);
    expect(answers.filter((a) => a.cache === 'MISS').length).toBeGreaterThanOrEqual(1);
  });

  it('a reader waits for a lease held elsewhere, then rebuilds itself once it expires (a crashed holder)', async () => {
    const h = groqHarness({ env: { REBUILD_LEASE_MS: '300', REBUILD_WAIT_MS: '10000' } });
    const redis = client();
    source.set('groq', { models: NEW });
    await redis.set(h.keys.catalog.providerLease('groq'), 'a-crashed-instance', 'PX', 300);
    const before = source.hits('groq');
    const read = await h.cache.getProvider('groq');
    expect(read.cache).toBe('MISS');
    expect(read.fenced).toBeUndefined();
    expect(await redis.pttl(h.keys.catalog.providerLease('groq'))).toBe(-2);
    expect(source.hits('groq') - before).toBe(1);
  });

  it('stops waiting after REBUILD_WAIT_MS and fetches itself, its write still fenced', async () => {
    const h = groqHarness({ env: { REBUILD_WAIT_MS: '100' } }); // the floor: 0 would make every reader fetch
    const redis = client();
    source.set('groq', { models: NEW });
    await redis.set(h.keys.catalog.providerLease('groq'), 'a-slow-instance', 'PX', 60_000);
    const read = await h.cache.getProvider('groq');
    expect(read.cache).toBe('MISS');
    expect(await redis.get(h.keys.catalog.providerLease('groq'))).toBe('a-slow-instance'); // not ours to release
    expect((await h.cache.getProvider('groq')).cache).toBe('HIT');
  });
});

describe('soft invalidation', () => {
  it('keeps serving the old catalog, flagged STALE, while exactly one refresh runs; then the new one', async () => {
    const h = groqHarness();
    source.set('groq', { models: OLD });
    expect((await h.cache.getProvider('groq')).cache).toBe('MISS');
    // refresh: false: these tests follow the readers' own rebuild (soft mode refreshes in the job by default).
    const { jobId } = await h.invalidation.start({ providers: ['groq'], mode: 'soft', cascade: false, refresh: false }, actor);
    await h.runner.drain();
    expect(await h.invalidation.get(jobId)).toMatchObject({ status: 'completed', result: { keysDeleted: 0, keysMarkedStale: 1, providersInvalidated: 1 } });
    expect((await h.cache.state()).find((p) => p.name === 'groq')).toMatchObject({ cached: true, stale: true });

    source.set('groq', { models: NEW, hold: true });
    const before = source.hits('groq');
    const reads = await Promise.all(Array.from({ length: 50 }, () => h.cache.getProvider('groq')));
    expect(reads.every((r) => r.cache === 'STALE' && ids(r.catalog).join() === OLD.map((m) => m.id).join())).toBe(true);
    await until(() => expect(source.held('groq')).toBe(1));
    expect(source.hits('groq') - before).toBe(1);

    source.release('groq');
    await h.cache.settled();
    const fresh = await h.cache.getProvider('groq');
    expect(fresh.cache).toBe('HIT');
    expect(ids(fresh.catalog)).toEqual(NEW.map((m) => m.id));
    expect((await h.cache.state()).find((p) => p.name === 'groq')).toMatchObject({ stale: false });
  });

  it('a failing source keeps the stale copy and is asked at most once per lease period', async () => {
    const h = groqHarness({ env: { REBUILD_LEASE_MS: '60000' } });
    source.set('groq', { models: OLD });
    await h.cache.getProvider('groq');
    await h.invalidation.start({ providers: ['groq'], mode: 'soft', refresh: false }, actor);
    await h.runner.drain();
    source.set('groq', { status: 503 });
    const before = source.hits('groq');
    for (let i = 0; i < 5; i++) {
      const read = await h.cache.getProvider('groq');
      expect(read.cache).toBe('STALE');
      expect(ids(read.catalog)).toEqual(OLD.map((m) => m.id));
      await h.cache.settled();
    }
    expect(source.hits('groq') - before).toBe(1);
  });

  it('a full catalog assembled from stale providers is served but not stored', async () => {
    const h = groqHarness();
    const redis = client();
    await h.cache.seed(h.registry.names().filter((n) => n !== 'groq'));
    source.set('groq', { models: OLD });
    await h.cache.getProvider('groq');
    await h.invalidation.start({ providers: ['groq'], mode: 'soft', refresh: false }, actor); // cascades: the full catalog goes
    await h.runner.drain();
    source.set('groq', { models: OLD, hold: true });
    const full = await h.cache.getFull();
    expect(full.cache).toBe('STALE');
    expect(full.catalog.providers.find((p) => p.provider === 'groq')?.models).toHaveLength(OLD.length);
    expect(await redis.exists(h.keys.catalog.fullCatalog)).toBe(0);
    source.release('groq');
    await h.cache.settled();
  });
});

describe('TTL jitter', () => {
  it('spreads expiries over ±10 % of the TTL', async () => {
    const redis = client();
    const keys = catalogKeys(namespace().catalogPrefix);
    const registry = registryFromConfig(undefined);
    const low = createCatalogCache({ redis, keys, registry, ttlSeconds: 1000, leaseMs: 5000, waitMs: 5000, random: () => 0 });
    await low.seed(['groq']);
    const lowTtl = await redis.pttl(keys.providerModels('groq'));
    const high = createCatalogCache({ redis, keys, registry, ttlSeconds: 1000, leaseMs: 5000, waitMs: 5000, random: () => 1 });
    await high.seed(['groq']);
    const highTtl = await redis.pttl(keys.providerModels('groq'));
    expect(lowTtl).toBeGreaterThan(899_000);
    expect(lowTtl).toBeLessThanOrEqual(900_000);
    expect(highTtl).toBeGreaterThan(1_099_000);
    expect(highTtl).toBeLessThanOrEqual(1_100_000);
  });
});
