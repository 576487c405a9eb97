/**
 * A gateway like the system we replace, on its own key layout (CATALOG_KEYS): a JSON string per
 * provider, one full-catalog key, per-model keys with an index set. The panel sees them, the preview
 * lists them, invalidation deletes them, and lookalikes survive. Also the two other ways per-model
 * keys are planned: from a cached list in our format, and by SCAN.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { KeyTemplates } from '~/server/layout/key-templates';
import { client, closeAll, collectEvents, harness, keysUnder, namespace } from '../../support/redis';

afterAll(closeAll);

const actor = { kind: 'token' as const, label: 'gateway test' };

const layout = (gw: string, withIndex = true): KeyTemplates => ({
  providerModels: `${gw}models:$provider`,
  providerPricing: `${gw}pricing:$provider`,
  fullCatalog: `${gw}models:all`,
  providerList: `${gw}providers`,
  globalPricing: `${gw}pricing:all`,
  modelKey: `${gw}model:$provider:$model`,
  ...(withIndex ? { modelIndex: `${gw}models:$provider:ids` } : {}),
});

async function seedGateway(gw: string, providers: Record<string, string[]>, index = true) {
  const redis = client();
  const multi = redis.multi();
  for (const [provider, models] of Object.entries(providers)) {
    multi.set(`${gw}models:${provider}`, JSON.stringify({ data: models.map((id) => ({ id })) }), 'EX', 3600);
    multi.set(`${gw}pricing:${provider}`, '{}', 'EX', 3600);
    for (const id of models) multi.set(`${gw}model:${provider}:${id}`, JSON.stringify({ id }), 'EX', 3600);
    if (index && models.length) multi.sadd(`${gw}models:${provider}:ids`, ...models);
  }
  multi.set(`${gw}models:all`, '[]');
  multi.set(`${gw}providers`, '[]');
  // Lookalikes: never touched by an invalidation of groq.
  multi.set(`${gw}models:groq:backup`, 'keep');
  multi.set(`${gw}models:groq2`, 'keep');
  multi.set(`${gw}model:groq2:llama`, 'keep');
  multi.set(`${gw}model:groqx:llama`, 'keep');
  await multi.exec();
  return redis;
}

function gatewayHarness(withIndex = true) {
  const ns = namespace();
  const gw = `t${ns.id}:gw:`;
  const h = harness({ ns, env: { CATALOG_KEYS: JSON.stringify(layout(gw, withIndex)) } });
  return { h, gw };
}

const models = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}-model-${i}:v${i % 3}`);

describe('a gateway on its own key layout', () => {
  it('shows each provider\'s keys as they are (exists, count, TTL, size), without reading their values', async () => {
    const { h, gw } = gatewayHarness();
    await seedGateway(gw, { groq: models(5, 'g'), xai: models(2, 'x') });
    const state = await h.cache.state();
    const groq = state.find((p) => p.name === 'groq');
    expect(groq).toMatchObject({ cached: true, format: 'theirs', keys: 3, keysTotal: 3, modelKeys: 5, modelCount: 5, stale: false });
    expect(groq?.ttlMs).toBeGreaterThan(0);
    expect(groq?.sizeBytes).toBeGreaterThan(0);
    expect(state.find((p) => p.name === 'mistral')).toMatchObject({ cached: false, format: null, keys: 0 });
  });

  it('previews the per-model keys from the index set, then deletes exactly them and the provider\'s keys; lookalikes survive', async () => {
    const { h, gw } = gatewayHarness();
    const redis = await seedGateway(gw, { groq: models(30, 'g'), xai: models(4, 'x') });
    const request = { providers: ['groq'], cacheType: 'models' as const, cascade: true, mode: 'delete' as const };
    const preview = await h.invalidation.preview(request);
    const groq = preview.providers[0];
    expect(groq?.ourFormat).toBe(false);
    expect(groq?.modelKeys).toMatchObject({ source: 'index', count: 30, truncated: false });
    expect(new Set(groq?.modelKeys?.keys)).toEqual(new Set(models(30, 'g').map((id) => `${gw}model:groq:${id}`)));
    expect(groq?.keys.map((k) => [k.key, k.exists])).toEqual([[`${gw}models:groq`, true]]);

    const before = await keysUnder(redis, gw);
    const { jobId } = await h.invalidation.start(request, actor);
    await h.runner.drain();
    const events = await collectEvents(h, jobId);
    const done = events.at(-1)?.event;
    expect(done).toMatchObject({ type: 'completed', result: { success: true, providersInvalidated: 1, keysDeleted: 30 + 1 + 1 } });
    const after = await keysUnder(redis, gw);
    const gone = before.filter((k) => !after.includes(k)).sort();
    expect(gone).toEqual([`${gw}models:all`, `${gw}models:groq`, ...models(30, 'g').map((id) => `${gw}model:groq:${id}`)].sort());
    for (const keep of ['models:groq:backup', 'models:groq2', 'model:groq2:llama', 'model:groqx:llama', 'models:groq:ids', 'pricing:groq', 'models:xai']) expect(after).toContain(`${gw}${keep}`);
  });

  it('cache_type all also deletes the pricing, the index set, the provider list and global pricing', async () => {
    const { h, gw } = gatewayHarness();
    const redis = await seedGateway(gw, { groq: models(3, 'g') });
    const { jobId } = await h.invalidation.start({ providers: ['groq'], cacheType: 'all', cascade: true, mode: 'delete' }, actor);
    await h.runner.drain();
    const done = (await collectEvents(h, jobId)).at(-1)?.event;
    expect(done).toMatchObject({ type: 'completed' });
    const after = await keysUnder(redis, gw);
    for (const goneKey of ['models:groq', 'pricing:groq', 'models:groq:ids', 'model:groq:g-model-0:v0', 'models:all', 'providers']) expect(after).not.toContain(`${gw}${goneKey}`);
    for (const keep of ['models:groq:backup', 'models:groq2', 'model:groq2:llama']) expect(after).toContain(`${gw}${keep}`);
  });

  it('without an index set, finds the per-model keys by SCAN of the provider\'s own prefix: never another\'s', async () => {
    const { h, gw } = gatewayHarness(false);
    const redis = await seedGateway(gw, { groq: models(12, 'g'), xai: models(3, 'x') }, false);
    const preview = await h.invalidation.preview({ providers: ['groq'], cacheType: 'models', cascade: false, mode: 'delete' });
    expect(preview.providers[0]?.modelKeys).toMatchObject({ source: 'scan', count: 12 });
    const { jobId } = await h.invalidation.start({ providers: ['groq', 'xai'], cacheType: 'models', cascade: false, mode: 'delete' }, actor);
    await h.runner.drain();
    expect((await collectEvents(h, jobId)).at(-1)?.event).toMatchObject({ type: 'completed', result: { keysDeleted: 12 + 3 + 2 } });
    const after = await keysUnder(redis, gw);
    expect(after.filter((k) => k.startsWith(`${gw}model:`)).sort()).toEqual([`${gw}model:groq2:llama`, `${gw}model:groqx:llama`]);
  });

  it('in our format, plans the per-model keys from the cached model list', async () => {
    const ns = namespace();
    const gw = `t${ns.id}:gw:`;
    const h = harness({ ns, env: { CATALOG_KEYS: JSON.stringify(layout(gw, false)) } });
    // The models key holds this project's hash (the read path wrote it through the codec).
    const catalog = await h.cache.loadFromSource('groq');
    await h.cache.store(catalog, '0');
    const redis = client();
    for (const m of catalog.models) await redis.set(`${gw}model:groq:${m.id}`, '1');
    await redis.set(`${gw}model:groq:not-in-the-list`, 'left for its TTL');
    const preview = await h.invalidation.preview({ providers: ['groq'], cacheType: 'models', cascade: false, mode: 'delete' });
    expect(preview.providers[0]).toMatchObject({ ourFormat: true, modelKeys: { source: 'list', count: catalog.models.length } });
    const { jobId } = await h.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: false, mode: 'delete' }, actor);
    await h.runner.drain();
    expect((await collectEvents(h, jobId)).at(-1)?.event).toMatchObject({ type: 'completed', result: { keysDeleted: catalog.models.length + 1 } });
    expect(await keysUnder(redis, `${gw}model:`)).toEqual([`${gw}model:groq:not-in-the-list`]);
  });
});
