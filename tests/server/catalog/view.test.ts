/** The catalog view: the models cached now per provider, with age, TTL, source and the stale flag. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);

describe('providers.catalog', () => {
  it('lists each provider with the models cached now; soft invalidation flags them stale and keeps them', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const caller = createCaller({ services: h, actor: bootstrapAdmin });
    const all = await caller.providers.catalog();
    expect(all).toHaveLength(h.registry.names().length);
    const groq = all.find((e) => e.provider === 'groq');
    expect(groq).toMatchObject({ source: 'bundled', stale: false, cachedAt: expect.any(Number), ttlMs: expect.any(Number) });
    expect(groq?.models[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), contextLength: expect.any(Number), pricing: { inputPerMTok: expect.any(Number) } });
    expect(all.find((e) => e.provider === 'xai')).toMatchObject({ models: [], cachedAt: null, ttlMs: null, stale: false });

    await h.invalidation.start({ providers: ['groq'], mode: 'soft', refresh: false }, { kind: 'token', label: 't' });
    await h.runner.drain();
    const [stale] = await caller.providers.catalog({ provider: 'groq' });
    expect(stale).toMatchObject({ provider: 'groq', stale: true, models: groq?.models });
    await expect(caller.providers.catalog({ provider: 'No*' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(createCaller({ services: h, actor: null }).providers.catalog()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
