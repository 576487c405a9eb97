/** Preview: the exact keys a job would take, and the models cached now; nothing changes. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness, keysUnder } from '../../support/redis';

afterAll(closeAll);

describe('invalidation.preview', () => {
  it('lists the planned keys with whether each exists, and the models cached now, and changes nothing', async () => {
    const h = harness();
    await h.cache.seed(['groq', 'xai']);
    const redis = client();
    const before = await keysUnder(redis, h.ns.catalogPrefix);
    // Each value by content: a hash's DUMP follows its table's order, which a read may move (a rehash step).
    const contents = () => Promise.all(before.map(async (k) => ((await redis.type(k)) === 'hash' ? Object.entries(await redis.hgetall(k)).sort() : redis.dump(k))));
    const snapshot = await contents();

    const preview = await h.invalidation.preview({ providers: ['groq', 'xai', 'mistral'], cacheType: 'models', cascade: true });
    expect(preview.action).toBe('delete');
    expect(preview.refresh).toBe(false);
    expect(preview.providers.map((p) => p.provider)).toEqual(['groq', 'xai', 'mistral']);
    const groq = preview.providers[0];
    expect(groq?.keys).toEqual([{ key: h.keys.catalog.providerModels('groq'), exists: true, action: 'delete' }]);
    expect(groq?.models.map((m) => m.id)).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(groq?.models.length).toBeGreaterThan(0);
    expect(preview.providers[2]).toMatchObject({ keys: [{ key: h.keys.catalog.providerModels('mistral'), exists: false, action: 'delete' }], models: [], cachedAt: null });
    expect(preview.globalKeys).toEqual([{ key: h.keys.catalog.fullCatalog, exists: true, action: 'delete' }]);
    expect(preview).toMatchObject({ keysPlanned: 4, keysExisting: 3 });
    expect(preview.modelsCached).toBe(preview.providers.reduce((n, p) => n + p.models.length, 0));

    // The very keys a job deletes: start the same request and compare.
    expect(await keysUnder(redis, h.ns.catalogPrefix)).toEqual(before);
    expect(await contents()).toEqual(snapshot);
    const { jobId } = await h.invalidation.start({ providers: ['groq', 'xai', 'mistral'], cacheType: 'models', cascade: true }, { kind: 'token', label: 't' });
    await h.runner.drain();
    expect((await h.invalidation.get(jobId)).result?.keysDeleted).toBe(preview.keysExisting);
  });

  it('cache type "all" adds pricing and global keys; refresh is reported; unknown providers are refused', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const preview = await h.invalidation.preview({ providers: ['groq'], cacheType: 'all', cascade: false, refresh: true });
    expect(preview.providers[0]?.keys.map((k) => k.key)).toEqual(h.keys.catalog.providerKeys('groq'));
    expect(preview.globalKeys.map((k) => k.key)).toEqual([h.keys.catalog.providerList, h.keys.catalog.pricing]);
    expect(preview.refresh).toBe(true);

    const caller = createCaller({ services: h, actor: bootstrapAdmin });
    await expect(caller.invalidation.preview({ providers: ['groq', 'nope'] })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown provider: nope' });
    await expect(caller.invalidation.preview({ providers: [] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(createCaller({ services: h, actor: null }).invalidation.preview({ providers: 'all' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('invalidation.preview in soft mode', () => {
  it('says the models are marked stale (and refreshed by default) while the full catalog is deleted', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const preview = await h.invalidation.preview({ providers: ['groq'], mode: 'soft' });
    expect(preview).toMatchObject({ action: 'mark-stale', refresh: true, keysExisting: 2 });
    expect(preview.providers[0]?.keys).toEqual([{ key: h.keys.catalog.providerModels('groq'), exists: true, action: 'mark-stale' }]);
    expect(preview.globalKeys).toEqual([{ key: h.keys.catalog.fullCatalog, exists: true, action: 'delete' }]);
    expect((await h.cache.state()).find((s) => s.name === 'groq')?.stale).toBe(false); // a preview marks nothing
  });
});
