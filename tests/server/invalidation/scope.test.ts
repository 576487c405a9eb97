/** Only the asked scope is deleted, and keysDeleted is what Redis reported. */
import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, client, collectEvents, harness, keysUnder, type Harness } from '../../support/redis';

afterAll(closeAll);

async function run(h: Harness, request: Parameters<Harness['invalidation']['start']>[0]) {
  const { jobId } = await h.invalidation.start(request, { kind: 'token', label: 'test' });
  const events = await collectEvents(h, jobId);
  return { jobId, events, record: await h.invalidation.get(jobId), last: events.at(-1)?.event };
}

/** The catalog's keys but for the generation counters (the fences), which invalidations create and bump. */
const withoutFences = (keys: string[]) => keys.filter((k) => !k.endsWith(':gen'));
/** The catalog guard's last published copies are never deleted either (keys.ts `providerPublished`). */
const withoutBaselines = (keys: string[]) => keys.filter((k) => !k.endsWith(':published'));

/** Keys that look like catalog keys but are not ours to delete. */
function lookalikes(h: Harness) {
  const { catalogPrefix, adminPrefix, id } = h.ns;
  return [
    `${catalogPrefix}provider:{groq}:models:backup`,
    `${catalogPrefix}provider:{groq}:modelsx`,
    `${catalogPrefix}provider:{groq2}:models`,
    `${catalogPrefix}provider:groq:models`,
    `${catalogPrefix}provider:{groq}`,
    `${catalogPrefix}provider:*:models`,
    `${catalogPrefix}{global}:allx`,
    `${catalogPrefix}all`,
    `t${id}:catalogx:provider:{groq}:models`,
    `x${catalogPrefix}provider:{groq}:models`,
    `${adminPrefix}provider:{groq}:models`,
  ];
}

describe('invalidation scope', () => {
  it('deletes one provider and the full catalog, and nothing else, not even lookalike keys', async () => {
    const h = harness();
    await h.cache.seed();
    const redis = client();
    const fakes = lookalikes(h);
    for (const key of fakes) await redis.set(key, 'keep me');
    const before = await keysUnder(redis, `t${h.ns.id}`);

    const { record, last } = await run(h, { providers: ['groq'], cacheType: 'models', cascade: true });

    const deleted = [h.keys.catalog.providerModels('groq'), h.keys.catalog.fullCatalog];
    const after = await keysUnder(redis, `t${h.ns.id}:catalog`);
    const expected = before.filter((k) => k.startsWith(`t${h.ns.id}:catalog`) && !deleted.includes(k));
    expect(withoutFences(after)).toEqual(expected);
    expect(after.filter((k) => k.endsWith(':gen'))).toEqual([h.keys.catalog.globalGeneration, h.keys.catalog.providerGeneration('groq')].sort());
    for (const key of fakes) expect(await redis.get(key)).toBe('keep me');
    expect(last).toMatchObject({ type: 'completed', result: { success: true, providersInvalidated: 1, keysDeleted: 2 } });
    expect(record).toMatchObject({ status: 'completed', result: { keysDeleted: 2, providersInvalidated: 1 } });
  });

  it('reports the keys Redis actually deleted, not the keys it was asked to delete', async () => {
    const h = harness();
    await h.cache.seed(['groq', 'xai']); // openai and mistral are not cached; the full catalog is
    const { last } = await run(h, { providers: ['groq', 'xai', 'openai', 'mistral'], cacheType: 'all', cascade: true });
    // groq + xai: models + pricing each (4), plus full catalog, provider list and pricing (3).
    expect(last).toMatchObject({ type: 'completed', result: { keysDeleted: 7, providersInvalidated: 4 } });
  });

  it('without cascade keeps the full catalog', async () => {
    const h = harness();
    await h.cache.seed();
    const redis = client();
    const { last } = await run(h, { providers: ['groq', 'xai'], cacheType: 'models', cascade: false });
    expect(last).toMatchObject({ type: 'completed', result: { keysDeleted: 2 } });
    expect(await redis.exists(h.keys.catalog.fullCatalog)).toBe(1);
    expect(await redis.exists(h.keys.catalog.providerPricing('groq'))).toBe(1);
  });

  it('cache type "all" on every provider empties the catalog namespace, then rebuilds pricing', async () => {
    const h = harness();
    await h.cache.seed();
    const redis = client();
    await redis.set(h.keys.catalog.pricing, 'stale');
    const names = h.registry.names();
    const { last, events } = await run(h, { providers: 'all', cacheType: 'all', cascade: true });
    expect(last).toMatchObject({ type: 'completed', result: { providersInvalidated: names.length, keysDeleted: names.length * 2 + 3 } });
    expect(withoutBaselines(withoutFences(await keysUnder(redis, h.ns.catalogPrefix)))).toEqual([h.keys.catalog.pricing]);
    const pricing = JSON.parse((await redis.get(h.keys.catalog.pricing)) ?? '{}') as Record<string, unknown>;
    expect(Object.keys(pricing).sort()).toEqual([...names]);
    expect(events.map((e) => e.event.type)).toEqual(['queued', 'started', 'completed']);
  });

  it('rejects unknown providers, naming each, before writing or deleting anything', async () => {
    const h = harness();
    await h.cache.seed();
    const redis = client();
    const before = await keysUnder(redis, `t${h.ns.id}`);
    await expect(h.invalidation.start({ providers: ['groq', 'nope', 'ghost'], cacheType: 'models', cascade: true }, { kind: 'token', label: 't' }))
      .rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown providers: nope, ghost' });
    expect(await keysUnder(redis, `t${h.ns.id}`)).toEqual(before);
    expect((await h.invalidation.history({ limit: 10 })).items).toEqual([]);
  });
});
