/**
 * What the guard tells without anyone asking (issue 23 items 5–7), against real Redis and a loopback
 * source: unpriced models counted per provider in the cache state (`providers.list`), a copy a
 * gateway wrote itself past the guard flagged in words, both with no extra round trip (counted by
 * a proxy), and the metrics of holds, breaches and unpriced models.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelSource, type ModelSource, type SourceModel } from '~/scripts/lib/model-source';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { closeAll, collectEvents, harness, redisUrl } from '../../support/redis';

let source: ModelSource;
let proxy: RedisProxy;
beforeAll(async () => {
  source = await startModelSource();
  const url = new URL(redisUrl());
  proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
});
afterAll(async () => {
  await source.close();
  await closeAll();
  await proxy.close();
});

const actor = { kind: 'token' as const, label: 't' };
/** Ten models at 2.50 / 10.00 $/MTok, `factor` times that; the last `unpriced` of them without a price. */
const models = (factor = 1, unpriced = 0): SourceModel[] =>
  Array.from({ length: 10 }, (_, i) => ({
    id: `model-${i}`,
    context_length: 128_000,
    ...(i >= 10 - unpriced ? {} : { pricing: { prompt: String(0.0000025 * factor), completion: String(0.00001 * factor) } }),
  }));

/** Two providers seeded through the app; `viaProxy` puts the catalog connection behind the counting proxy. */
async function setup(prefix: string, { guard = 'on', viaProxy = false }: { guard?: 'on' | 'off'; viaProxy?: boolean } = {}) {
  const names = [`${prefix}a`, `${prefix}b`];
  const registry = createRegistry(names.map((provider) => openAiCompatibleSource({ provider, url: source.url(provider) })));
  const h = harness({ registry, env: { CATALOG_GUARD: guard }, ...(viaProxy ? { catalogUrl: proxy.url, adminUrl: proxy.url } : {}) });
  source.set(names[0] as string, { models: models(1, 2) });
  source.set(names[1] as string, { models: models() });
  await h.cache.seed(names);
  return { h, names };
}

/** What a gateway that rebuilds its own keys writes: the models hash's fields it knows (no `unpriced` count), prices in $/MTok. */
async function gatewayWrites(h: Awaited<ReturnType<typeof setup>>['h'], provider: string, factor: number, unpriced = 0) {
  const list = Array.from({ length: 10 }, (_, i) => ({
    id: `model-${i}`,
    name: `model-${i}`,
    contextLength: 128_000,
    pricing: i >= 10 - unpriced ? null : { inputPerMTok: 2.5 * factor, outputPerMTok: 10 * factor },
    modalities: ['text'],
  }));
  const key = h.keys.catalog.providerModels(provider);
  await h.catalogRedis.del(key);
  await h.catalogRedis.hset(key, { catalog: JSON.stringify({ provider, displayName: provider, models: list }), modelCount: '10', cachedAt: String(Date.now()), source: 'gateway' });
  await h.catalogRedis.pexpire(key, 60_000);
}

describe('unpriced models', () => {
  it('are counted per provider in providers.list, listed on the catalog view, and in the gauge', async () => {
    const { h, names } = await setup('up');
    const [a, b] = names as [string, string];
    const caller = createCaller({ services: h, actor: bootstrapAdmin });
    const list = await caller.providers.list();
    expect(list.find((p) => p.name === a)).toMatchObject({ unpriced: 2, unguarded: [] });
    expect(list.find((p) => p.name === b)).toMatchObject({ unpriced: 0, unguarded: [] });

    const view = await caller.providers.catalog({ provider: a });
    expect(view[0]?.unpriced).toEqual(['model-8', 'model-9']);

    const metrics = await h.metrics.render();
    expect(metrics).toContain(`catalog_invalidator_catalog_unpriced_models{provider="${a}"} 2`);
    expect(metrics).toContain(`catalog_invalidator_catalog_unpriced_models{provider="${b}"} 0`);
    await h.shutdown(0);
  });

  it("are counted in a gateway's own copy too (no count written: the copy is read and counted)", async () => {
    const { h, names } = await setup('ug', { guard: 'off' });
    await gatewayWrites(h, names[1] as string, 1, 3);
    expect((await h.cache.state()).find((p) => p.name === names[1])).toMatchObject({ unpriced: 3, unguarded: [] });
    await h.shutdown(0);
  });
});

describe('copies written before the count existed', () => {
  it('are counted from the catalog, re-stored by a hold and approved without the field', async () => {
    const { h, names } = await setup('uo');
    const a = names[0] as string;
    const k = { models: h.keys.catalog.providerModels(a), published: h.keys.catalog.providerPublished(a), held: h.keys.catalog.providerHeld(a) };
    await h.catalogRedis.hdel(k.models, 'unpriced');
    await h.catalogRedis.hdel(k.published, 'unpriced');
    expect((await h.cache.state()).find((p) => p.name === a)).toMatchObject({ unpriced: 2, unguarded: [] });

    // A delete, then a reader's rebuild the guard holds: the last published copy (no count) is re-stored.
    const { jobId } = await h.invalidation.start({ providers: [a], mode: 'delete', refresh: false, cascade: false }, actor);
    await collectEvents(h, jobId);
    source.set(a, { models: models(1000, 2) });
    expect(await h.cache.getProvider(a)).toMatchObject({ cache: 'MISS', held: true });
    expect((await h.cache.state()).find((p) => p.name === a)).toMatchObject({ cached: true, held: true, unpriced: 2, unguarded: [] });

    // A candidate held without the field (as an older version stored it) is approved all the same.
    await h.catalogRedis.hdel(k.held, 'unpriced');
    const [held] = await h.review.list(a);
    await h.review.approve({ provider: a, id: held?.id ?? '' });
    expect((await h.cache.getProvider(a)).catalog.models[0]?.pricing?.inputPerMTok).toBe(2500);
    expect((await h.cache.state()).find((p) => p.name === a)).toMatchObject({ held: false, unpriced: 2, unguarded: [] });
    await h.shutdown(0);
  });
});

describe('a gateway that writes on its own', () => {
  it('is flagged in words when its copy breaks a rule against the last published catalog, and not when it does not', async () => {
    const { h, names } = await setup('gw');
    const [a, b] = names as [string, string];
    await gatewayWrites(h, a, 1000);
    await gatewayWrites(h, b, 2);
    const list = await createCaller({ services: h, actor: bootstrapAdmin }).providers.list();
    const flagged = list.find((p) => p.name === a);
    expect(flagged?.unguarded).toContain('model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)');
    expect(flagged).toMatchObject({ cached: true, held: false, unpriced: 0 });
    expect(list.find((p) => p.name === b)?.unguarded).toEqual([]);
    // Flagging is not judging a candidate: no breach is counted, however often the state is read.
    expect(await h.metrics.render()).not.toContain(`catalog_rule_breaches_total{provider="${a}"`);
    await h.shutdown(0);
  });

  it('is still listed when the policy cannot be read (the admin Redis down), saying what was not checked', async () => {
    const names = ['gda', 'gdb'];
    const registry = createRegistry(names.map((provider) => openAiCompatibleSource({ provider, url: source.url(provider) })));
    // Seeded by an instance that reaches its admin Redis (a write reads the overrides there).
    const healthy = harness({ registry, env: { CATALOG_GUARD: 'on' }, catalogUrl: redisUrl(), adminUrl: redisUrl() });
    for (const name of names) source.set(name, { models: models() });
    await healthy.cache.seed(names);
    await healthy.shutdown(0);
    // Nothing listens on port 1: every command on this instance's admin connection fails.
    const h = harness({ registry, env: { CATALOG_GUARD: 'on' }, catalogUrl: redisUrl(), adminUrl: 'redis://127.0.0.1:1', ns: healthy.ns });
    await gatewayWrites(h, 'gda', 1000);
    const state = await h.cache.state();
    expect(state.find((p) => p.name === 'gda')?.unguarded).toEqual([expect.stringMatching(/^differs from the last published catalog, not checked: /)]);
    expect(state.find((p) => p.name === 'gdb')).toMatchObject({ cached: true, unguarded: [] });
  });

  it('is not flagged with the guard off', async () => {
    const { h, names } = await setup('go', { guard: 'off' });
    await gatewayWrites(h, names[0] as string, 1000);
    expect((await h.cache.state()).find((p) => p.name === names[0])?.unguarded).toEqual([]);
    await h.shutdown(0);
  });

  it('costs the cache state no extra round trip (the copies are compared in the state script)', async () => {
    const { h, names } = await setup('gr', { viaProxy: true });
    await h.cache.state(); // the scripts are loaded on this connection
    await h.policies.current();
    proxy.resetCounters();
    const clean = await h.cache.state();
    const cleanTrips = proxy.roundTrips();

    await gatewayWrites(h, names[0] as string, 1000, 1);
    // The policy and the overrides (what this app would serve) are this instance's copies, read at most once per 5 s.
    await h.policies.current();
    await h.overrides.list();
    proxy.resetCounters();
    const flagged = await h.cache.state();
    const flaggedTrips = proxy.roundTrips();

    expect(clean.every((p) => p.unguarded.length === 0)).toBe(true);
    expect(flagged.find((p) => p.name === names[0])).toMatchObject({ unpriced: 1, unguarded: expect.arrayContaining([expect.stringMatching(/×1,000/)]) });
    expect(cleanTrips).toBe(1);
    expect(flaggedTrips).toBe(cleanTrips);
    await h.shutdown(0);
  });
});

describe('with overrides', () => {
  it('an override is what this app serves, not a write past the guard; a gateway\'s ×1,000 on the same provider is flagged; unpriced counts what readers get', async () => {
    const { h, names } = await setup('ov');
    const a = names[0] as string;
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const models = h.keys.catalog.providerModels(a);
    expect((await admin.providers.list()).find((p) => p.name === a)).toMatchObject({ unpriced: 2, unguarded: [] });

    // A negotiated price 2,000 times below the source's, a price for an unpriced model, an unpriced model hidden.
    await admin.catalog.saveOverride({ provider: a, model: 'model-0', pricing: { inputPerMTok: 0.00125, outputPerMTok: 0.005 } });
    await admin.catalog.saveOverride({ provider: a, model: 'model-8', pricing: { inputPerMTok: 1, outputPerMTok: 2 } });
    await admin.catalog.saveOverride({ provider: a, model: 'model-9', hidden: true });
    // The cached copy was rewritten with the overrides, its count with it (what readers get).
    expect(await h.catalogRedis.hget(models, 'unpriced')).toBe('0');
    expect((await admin.providers.list()).find((p) => p.name === a)).toMatchObject({ cached: true, modelCount: 9, unpriced: 0, unguarded: [] });
    expect((await admin.providers.catalog({ provider: a }))[0]?.unpriced).toEqual([]);

    // A refresh publishes the same answer: still the overrides, still not flagged.
    const { jobId } = await h.invalidation.start({ providers: [a], mode: 'soft', refresh: true, cascade: false }, actor);
    await collectEvents(h, jobId);
    expect(await h.catalogRedis.hget(models, 'unpriced')).toBe('0');
    expect((await admin.providers.list()).find((p) => p.name === a)).toMatchObject({ unpriced: 0, unguarded: [] });

    // The gateway rebuilds the same provider itself, every price ×1,000 (and the hidden model listed): flagged.
    await gatewayWrites(h, a, 1000);
    const flagged = (await admin.providers.list()).find((p) => p.name === a);
    expect(flagged?.unguarded).toContain('model-1 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)');
    expect(flagged).toMatchObject({ unpriced: 0 });

    // Removing the overrides: readers get the source's answer again, two unpriced models.
    for (const model of ['model-0', 'model-8', 'model-9']) await admin.catalog.removeOverride({ provider: a, model });
    const { jobId: again } = await h.invalidation.start({ providers: [a], mode: 'soft', refresh: true, cascade: false }, actor);
    await collectEvents(h, again);
    expect(await h.catalogRedis.hget(models, 'unpriced')).toBe('2');
    expect((await admin.providers.list()).find((p) => p.name === a)).toMatchObject({ unpriced: 2, unguarded: [] });
    await h.shutdown(0);
  });
});

describe('the metrics of the guard', () => {
  it('count a held candidate by provider and each broken rule by provider, rule and action', async () => {
    const { h, names } = await setup('mt');
    const a = names[0] as string;
    source.set(a, { models: models(1000, 2) });
    const { jobId } = await h.invalidation.start({ providers: [a], mode: 'soft', refresh: true, cascade: false }, actor);
    const last = (await collectEvents(h, jobId)).at(-1)?.event;
    expect(last?.type === 'completed' ? last.result.refresh?.[0]?.status : undefined).toBe('held');

    const metrics = await h.metrics.render();
    expect(metrics).toContain(`catalog_invalidator_catalog_held_total{provider="${a}"} 1`);
    // Eight models ×1,000 count once for the rule.
    expect(metrics).toContain(`catalog_invalidator_catalog_rule_breaches_total{provider="${a}",rule="priceFactor",action="hold"} 1`);
    expect(metrics).not.toContain('rule="maxRemovedPercent"');
    expect(metrics).not.toContain(`catalog_held_total{provider="${names[1]}"}`);
    await h.shutdown(0);
  });
});
