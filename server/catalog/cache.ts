/**
 * Cache-aside reads of the catalog: serve from Redis, rebuild from the provider's source on a miss
 * and store with a TTL. Also the seed used by the embedded start, and the cache state admins see.
 */
import type { Redis } from 'ioredis';
import type { CatalogActivity } from '~/server/activity/schema';
import { execChecked } from '~/server/redis/exec';
import type { CatalogKeys } from '~/server/redis/keys';
import type { ProviderRegistry } from './registry';
import type { CachedProviderCatalog, PricingTable, ProviderCacheState, ProviderCatalog } from './schema';
import { providerCatalogSchema } from './schema';
import { mapLimit } from './map-limit';

export interface CatalogCacheDeps {
  redis: Redis;
  keys: CatalogKeys;
  registry: ProviderRegistry;
  ttlSeconds: number;
  now?: () => number;
  /** Told after the cache wrote providers (a rebuild on a miss, a seed): live views refresh. */
  onChange?: (change: Omit<CatalogActivity, 'kind' | 'at'>) => void;
}

export interface FullCatalog {
  builtAt: number;
  providers: CachedProviderCatalog[];
}

export type CatalogCache = ReturnType<typeof createCatalogCache>;

export function createCatalogCache({ redis, keys, registry, ttlSeconds, now = Date.now, onChange = () => {} }: CatalogCacheDeps) {
  const ttlMs = ttlSeconds * 1000;

  async function loadFromSource(name: string): Promise<CachedProviderCatalog> {
    const source = registry.get(name);
    if (!source) throw new Error(`unknown provider ${name}`);
    const catalog = await source.load();
    return { ...catalog, cachedAt: now(), source: source.description };
  }

  /** Queues the writes of one provider's keys on a pipeline (the caller sends it). */
  function queueProviderWrite(pipeline: ReturnType<Redis['pipeline']>, catalog: CachedProviderCatalog) {
    const modelsKey = keys.providerModels(catalog.provider);
    pipeline.hset(modelsKey, {
      catalog: JSON.stringify({ provider: catalog.provider, displayName: catalog.displayName, models: catalog.models }),
      modelCount: String(catalog.models.length),
      cachedAt: String(catalog.cachedAt),
      source: catalog.source,
    });
    pipeline.pexpire(modelsKey, ttlMs);
    pipeline.set(keys.providerPricing(catalog.provider), JSON.stringify(pricingOf(catalog)), 'PX', ttlMs);
  }

  async function readCached(names: readonly string[]): Promise<(CachedProviderCatalog | null)[]> {
    const pipeline = redis.pipeline();
    for (const name of names) pipeline.hmget(keys.providerModels(name), 'catalog', 'cachedAt', 'source');
    const replies = await execChecked(pipeline);
    return replies.map((reply) => {
      const [catalog, cachedAt, source] = reply as (string | null)[];
      if (!catalog || !cachedAt) return null;
      const parsed = providerCatalogSchema.safeParse(JSON.parse(catalog));
      return parsed.success ? { ...parsed.data, cachedAt: Number(cachedAt), source: source ?? '' } : null;
    });
  }

  async function getProvider(name: string): Promise<{ catalog: CachedProviderCatalog; hit: boolean }> {
    const [cached] = await readCached([name]);
    if (cached) return { catalog: cached, hit: true };
    const catalog = await loadFromSource(name);
    const pipeline = redis.pipeline();
    queueProviderWrite(pipeline, catalog);
    await execChecked(pipeline);
    onChange({ reason: 'rebuilt', providers: [name] });
    return { catalog, hit: false };
  }

  async function getFull(): Promise<{ catalog: FullCatalog; hit: boolean }> {
    const raw = await redis.get(keys.fullCatalog);
    if (raw) return { catalog: JSON.parse(raw) as FullCatalog, hit: true };
    const names = registry.names();
    const cached = await readCached(names);
    const providers = await mapLimit(names, 8, async (name, i) => cached[i] ?? (await loadFromSource(name)));
    const catalog: FullCatalog = { builtAt: now(), providers };
    const pipeline = redis.pipeline();
    providers.forEach((p, i) => cached[i] || queueProviderWrite(pipeline, p));
    pipeline.set(keys.fullCatalog, JSON.stringify(catalog), 'PX', ttlMs);
    pipeline.set(keys.providerList, JSON.stringify(providerListOf(providers)), 'PX', ttlMs);
    await execChecked(pipeline);
    const rebuilt = names.filter((_, i) => !cached[i]);
    if (rebuilt.length) onChange({ reason: 'rebuilt', providers: rebuilt });
    return { catalog, hit: false };
  }

  /** Rebuilds the global pricing table from the sources (not the per-provider caches, which stay as they are). */
  async function rebuildPricing(): Promise<number> {
    const providers = await mapLimit(registry.names(), 8, loadFromSource);
    const table: PricingTable = {};
    for (const p of providers) table[p.provider] = pricingOf(p);
    await redis.set(keys.pricing, JSON.stringify(table), 'PX', ttlMs);
    return providers.length;
  }

  /** Fills every key of the catalog namespace: the embedded start and the tests begin from here. */
  async function seed(names: readonly string[] = registry.names()): Promise<void> {
    const providers = await mapLimit(names, 8, loadFromSource);
    const pipeline = redis.pipeline();
    for (const p of providers) queueProviderWrite(pipeline, p);
    const table: PricingTable = Object.fromEntries(providers.map((p) => [p.provider, pricingOf(p)]));
    pipeline.set(keys.fullCatalog, JSON.stringify({ builtAt: now(), providers }), 'PX', ttlMs);
    pipeline.set(keys.providerList, JSON.stringify(providerListOf(providers)), 'PX', ttlMs);
    pipeline.set(keys.pricing, JSON.stringify(table), 'PX', ttlMs);
    await execChecked(pipeline);
    onChange({ reason: 'seeded', providers: names === registry.names() ? 'all' : [...names] });
  }

  /** Every provider's cache state in one round trip. */
  async function state(): Promise<ProviderCacheState[]> {
    const names = registry.names();
    const pipeline = redis.pipeline();
    for (const name of names) {
      pipeline.hmget(keys.providerModels(name), 'cachedAt', 'modelCount');
      pipeline.pttl(keys.providerModels(name));
      pipeline.exists(...keys.providerKeys(name));
    }
    const replies = await execChecked(pipeline);
    return names.map((name, i) => {
      const [cachedAt, modelCount] = replies[i * 3] as (string | null)[];
      const ttl = replies[i * 3 + 1] as number;
      const present = replies[i * 3 + 2] as number;
      const source = registry.get(name);
      const cached = ttl !== -2;
      return {
        name,
        displayName: source?.displayName ?? name,
        source: source?.description ?? '',
        cached,
        keys: present,
        keysTotal: keys.providerKeys(name).length,
        ttlMs: cached && ttl >= 0 ? ttl : null,
        cachedAt: cached && cachedAt ? Number(cachedAt) : null,
        modelCount: cached && modelCount ? Number(modelCount) : null,
      };
    });
  }

  /** Writes one provider's verified catalog (refresh-and-verify in server/invalidation/refresh.ts); true when written. */
  async function store(catalog: CachedProviderCatalog): Promise<boolean> {
    const pipeline = redis.pipeline();
    queueProviderWrite(pipeline, catalog);
    await execChecked(pipeline);
    onChange({ reason: 'rebuilt', providers: [catalog.provider] });
    return true;
  }

  return { getProvider, getFull, rebuildPricing, seed, state, peek: readCached, store };
}

function pricingOf(catalog: ProviderCatalog): PricingTable[string] {
  const table: PricingTable[string] = {};
  for (const m of catalog.models) if (m.pricing) table[m.id] = m.pricing;
  return table;
}

function providerListOf(providers: CachedProviderCatalog[]) {
  return providers.map((p) => ({ name: p.provider, displayName: p.displayName, modelCount: p.models.length }));
}
