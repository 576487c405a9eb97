/**
 * The models hash codec: what the TypeScript encoder writes the Lua reads, what the Lua writes the
 * TypeScript decoder reads, field for field, so the writers and readers cannot drift apart.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { changeKeysOf } from '~/server/catalog/history/log';
import { markStale, prepareCatalogConnection, readProvider, writeProvider, type ProviderKeySet } from '~/server/catalog/fence';
import { CATALOG_FIELDS, decodeModelsHash, encodeModelsHash, STATE_FIELDS, WRITTEN_FIELDS, zipFields } from '~/server/catalog/models-hash';
import type { CachedProviderCatalog } from '~/server/catalog/schema';
import { catalogKeys } from '~/server/redis/keys';
import { callScript } from '~/server/redis/scripts';
import { client, closeAll, namespace } from '../../support/redis';

afterAll(closeAll);

const catalog: CachedProviderCatalog = {
  provider: 'groq',
  displayName: 'Groq «fast» 🚀',
  models: [
    { id: 'groq/llama', name: 'Llama "3"\n', contextLength: 131072, pricing: { inputPerMTok: 0.05, outputPerMTok: 0.08 }, modalities: ['text', 'image'] },
    { id: 'groq/free', name: 'Free', contextLength: null, pricing: null, modalities: [] },
  ],
  cachedAt: 1_764_000_000_123,
  source: 'https://api.groq.com/openai/v1/models',
};

function setup() {
  const redis = client();
  prepareCatalogConnection(redis);
  const keys = catalogKeys(namespace().catalogPrefix);
  const set: ProviderKeySet = { models: keys.providerModels('groq'), pricing: keys.providerPricing('groq'), gen: keys.providerGeneration('groq'), lease: keys.providerLease('groq'), published: keys.providerPublished('groq'), held: keys.providerHeld('groq'), ...changeKeysOf((kind) => keys.providerChanges('groq', kind)) };
  return { redis, keys: set };
}

describe('the models hash codec', () => {
  it('round-trips a catalog through encode and decode', () => {
    const decoded = decodeModelsHash(encodeModelsHash(catalog));
    expect(decoded).toEqual({ catalog, cachedAt: catalog.cachedAt, source: catalog.source, modelCount: 2, unpriced: 1, stale: false });
  });

  it('decodes an absent hash as nothing cached, and a marked one as stale', () => {
    expect(decodeModelsHash({})).toEqual({ catalog: null, cachedAt: null, source: null, modelCount: null, unpriced: null, stale: false });
    expect(decodeModelsHash({ ...encodeModelsHash(catalog), stale: '1' }).stale).toBe(true);
    expect(decodeModelsHash({ catalog: '{"provider":"groq"}' }).catalog).toBeNull();
  });

  it('what the Lua write stores is exactly the encoder\'s fields, and the decoder reads it back', async () => {
    const { redis, keys } = setup();
    expect(await writeProvider(redis, keys, { gen: '0', token: '', ttlMs: 60_000, catalog, pricing: '{}' })).toEqual({ stored: true, recorded: false });
    const hash = await redis.hgetall(keys.models);
    expect(Object.keys(hash).sort()).toEqual([...WRITTEN_FIELDS].sort());
    expect(hash).toEqual(encodeModelsHash(catalog));
    expect(decodeModelsHash(hash).catalog).toEqual(catalog);
  });

  it('what the TypeScript encoder stores (the seed, the bench) the Lua read decodes as a hit', async () => {
    const { redis, keys } = setup();
    await redis.hset(keys.models, encodeModelsHash(catalog));
    const read = await readProvider(redis, keys, 'token', 5000);
    expect(read).toMatchObject({ state: 'hit', catalog, gen: '0', leased: false });
  });

  it('the Lua stale mark is what the TypeScript readers (cache state, preview) and the Lua read see as stale', async () => {
    const { redis, keys } = setup();
    await redis.hset(keys.models, encodeModelsHash(catalog));
    expect(await callScript(redis, markStale, { models: keys.models, gen: keys.gen }, {})).toBe(1);
    const state = decodeModelsHash(zipFields(STATE_FIELDS, await redis.hmget(keys.models, ...STATE_FIELDS)));
    expect(state).toMatchObject({ stale: true, modelCount: 2, cachedAt: catalog.cachedAt });
    const preview = decodeModelsHash(zipFields(CATALOG_FIELDS, await redis.hmget(keys.models, ...CATALOG_FIELDS)));
    expect(preview).toMatchObject({ catalog, stale: true });
    expect(await readProvider(redis, keys, 'token', 5000)).toMatchObject({ state: 'stale', catalog, gen: '1', leased: true });
  });

  it('a missing hash stays missing when marked, and reads as a miss', async () => {
    const { redis, keys } = setup();
    expect(await callScript(redis, markStale, { models: keys.models, gen: keys.gen }, {})).toBe(0);
    expect(await redis.exists(keys.models)).toBe(0);
    expect(await readProvider(redis, keys, 'token', 5000)).toMatchObject({ state: 'miss', catalog: null, gen: '1' });
  });
});
