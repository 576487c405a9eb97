/**
 * The admin Redis down does not stop the catalog's writes: the overrides an instance last read keep
 * applying (a refresh must not publish a negotiated price away because the admin Redis blinked); an
 * instance that never read them fails in words rather than publish without them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CachedProviderCatalog } from '~/server/catalog/schema';
import { createOverrideStore } from '~/server/guard/overrides';
import { client, closeAll, namespace } from '../../support/redis';
import { startProxy } from '../../support/proxy';

afterAll(closeAll);

const catalog = (): CachedProviderCatalog => ({ provider: 'p', displayName: 'P', cachedAt: 1, source: 'test', models: [{ id: 'a', name: 'A', contextLength: 1000, pricing: { inputPerMTok: 1, outputPerMTok: 2 }, modalities: ['text'] }] });

describe('the overrides with the admin Redis down', () => {
  it('keep applying what was read last; an instance that never read them fails', async () => {
    const keys = { guardOverrides: `${namespace().adminPrefix}guard:overrides` };
    const proxy = await startProxy();
    let at = 0;
    const store = createOverrideStore({ redis: proxy.connect('overrides-down', { maxRetriesPerRequest: 0 }), keys, now: () => at });
    await createOverrideStore({ redis: client(), keys }).save({ provider: 'p', model: 'a', pricing: { inputPerMTok: 0.5, outputPerMTok: 1 } }, 'ana');
    expect((await store.overlay(catalog())).models[0]?.pricing).toEqual({ inputPerMTok: 0.5, outputPerMTok: 1 });

    await proxy.close();
    at += 60_000; // long past the 5 s this instance keeps its copy: it tries to read again, and cannot
    expect((await store.overlay(catalog())).models[0]?.pricing).toEqual({ inputPerMTok: 0.5, outputPerMTok: 1 });

    const fresh = createOverrideStore({ redis: proxy.connect('never-read', { maxRetriesPerRequest: 0 }), keys });
    await expect(fresh.overlay(catalog())).rejects.toThrow();
  });
});
