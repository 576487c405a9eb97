/** Provider sources: a provider pointed at an OpenAI-compatible `GET /v1/models` through PROVIDER_SOURCES. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogCache } from '~/server/catalog/cache';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { catalogKeys } from '~/server/redis/keys';
import { client, closeAll, namespace } from '../../support/redis';

let server: http.Server;
let modelsUrl: string;
const seenAuth: (string | undefined)[] = [];

beforeAll(async () => {
  process.env.TEST_LOCAL_KEY = 'sk-local-test';
  server = http.createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    if (req.url !== '/v1/models') return void res.writeHead(404).end();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      object: 'list',
      data: [
        { id: 'local/llama-3-8b', object: 'model', context_length: 8192, pricing: { prompt: '0.0000002', completion: '0.0000004' } },
        { id: 'local/embed', object: 'model' },
      ],
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  modelsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/models`;
});

afterAll(async () => {
  server.close();
  await closeAll();
});

describe('provider sources', () => {
  it('adds a provider served by an OpenAI-compatible models URL, with its API key, through the cache', async () => {
    const registry = registryFromConfig(JSON.stringify({ localai: { url: modelsUrl, apiKeyEnv: 'TEST_LOCAL_KEY' } }));
    expect(registry.names()).toContain('localai');
    expect(registry.names()).toContain('groq'); // bundled providers stay
    const redis = client();
    const keys = catalogKeys(namespace().catalogPrefix);
    const cache = createCatalogCache({ redis, keys, registry, ttlSeconds: 60, leaseMs: 5000, waitMs: 5000 });

    const first = await cache.getProvider('localai');
    expect(first.cache).toBe('MISS');
    expect(first.catalog.models).toEqual([
      { id: 'local/llama-3-8b', name: 'local/llama-3-8b', contextLength: 8192, pricing: { inputPerMTok: 0.2, outputPerMTok: 0.4 }, modalities: ['text'] },
      { id: 'local/embed', name: 'local/embed', contextLength: null, pricing: null, modalities: ['text'] },
    ]);
    expect(seenAuth.at(-1)).toBe('Bearer sk-local-test');
    const second = await cache.getProvider('localai');
    expect(second).toMatchObject({ cache: 'HIT', catalog: { models: first.catalog.models } });
    expect(seenAuth).toHaveLength(1); // served from Redis the second time
    expect(await redis.pttl(keys.providerModels('localai'))).toBeGreaterThan(50_000);
  });

  it('overrides a bundled provider, and rejects bad configuration with a readable error', () => {
    expect(registryFromConfig(JSON.stringify({ groq: { url: modelsUrl } })).get('groq')?.description).toBe(modelsUrl);
    expect(() => registryFromConfig('{not json')).toThrow('PROVIDER_SOURCES is not valid JSON');
    expect(() => registryFromConfig(JSON.stringify({ 'Bad*Name': { url: modelsUrl } }))).toThrow(/PROVIDER_SOURCES: .*glob/s);
    expect(() => registryFromConfig(JSON.stringify({ local: { url: 'ftp://x/models' } }))).toThrow(/PROVIDER_SOURCES/);
  });

  it('a source that fails leaves the cache untouched and says which provider and what status', async () => {
    const registry = registryFromConfig(JSON.stringify({ broken: { url: `${modelsUrl}/missing` } }));
    const redis = client();
    const keys = catalogKeys(namespace().catalogPrefix);
    const cache = createCatalogCache({ redis, keys, registry, ttlSeconds: 60, leaseMs: 5000, waitMs: 5000 });
    await expect(cache.getProvider('broken')).rejects.toThrow(/broken: GET .*\/missing answered 404/);
    expect(await redis.exists(keys.providerModels('broken'))).toBe(0);
  });
});
