/**
 * Cache-aside reads of the catalog: serve from Redis, rebuild from the provider's source on a miss
 * and store with a jittered TTL. Rebuilds are single-flight (in process: one promise per provider;
 * across instances: the rebuild lease) and fenced (fence.ts), so an invalidation always wins. Also
 * the seed used by the embedded start, and the cache state admins see.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { CatalogActivity } from '~/server/activity/schema';
import { execChecked } from '~/server/redis/exec';
import type { CatalogKeys } from '~/server/redis/keys';
import type { Logger } from '~/server/log/logger';
import type { ProviderKeySet, ProviderReadReply } from './fence';
import { parseProviderRead, prepareCatalogConnection, queueProviderRead, readProvider, readString, writeProvider, writeStrings } from './fence';
import { mapLimit } from '~/server/lib/map-limit';
import { DomainError } from '~/server/lib/errors';
import type { ProviderRegistry } from './registry';
import type { CachedProviderCatalog, PricingTable, ProviderCacheState, ProviderCatalog } from './schema';
import { providerCatalogSchema } from './schema';
import { rejectReason } from './verify';

export interface CatalogCacheDeps {
  redis: Redis;
  keys: CatalogKeys;
  registry: ProviderRegistry;
  ttlSeconds: number;
  /** How long a rebuild lease lasts: a crashed holder blocks the others at most this long. */
  leaseMs: number;
  /** How long a reader waits for another's rebuild before fetching itself (its write is fenced too). */
  waitMs: number;
  now?: () => number;
  random?: () => number;
  /** Told after the cache wrote providers (a rebuild on a miss, a seed): live views refresh. */
  onChange?: (change: Omit<CatalogActivity, 'kind' | 'at'>) => void;
  /** Told when the fence refused a rebuilt value (metrics). */
  onFenced?: (kind: 'provider' | 'full') => void;
  log?: Logger;
}

export interface FullCatalog {
  builtAt: number;
  providers: CachedProviderCatalog[];
}

/** HIT: fresh from Redis. STALE: soft-invalidated, served while one rebuild runs. MISS: fetched from the source. */
export type CacheStatus = 'HIT' | 'STALE' | 'MISS';

export interface CacheRead<T> {
  catalog: T;
  cache: CacheStatus;
  /** A MISS whose write the fence refused: an invalidation ran while it was fetched. */
  fenced?: boolean;
}

export type CatalogCache = ReturnType<typeof createCatalogCache>;

export function createCatalogCache({ redis, keys, registry, ttlSeconds, leaseMs, waitMs, now = Date.now, random = Math.random, onChange = () => {}, onFenced = () => {}, log }: CatalogCacheDeps) {
  prepareCatalogConnection(redis);
  /** ±10 %, so providers cached together do not expire together. */
  const ttlMs = () => Math.round(ttlSeconds * 1000 * (0.9 + 0.2 * random()));
  const flights = new Map<string, Promise<CacheRead<CachedProviderCatalog>>>();
  const background = new Set<Promise<unknown>>();
  const providerKeys = (name: string): ProviderKeySet => ({
    models: keys.providerModels(name),
    pricing: keys.providerPricing(name),
    gen: keys.providerGeneration(name),
    lease: keys.providerLease(name),
  });

  /**
   * A provider's catalog from its source, checked like a refresh checks it (verify.ts): an empty or
   * malformed answer is refused, so no rebuild ever replaces a catalog with nothing. A failing source
   * is a 503 in words for the reader, and a stale copy stays served.
   */
  async function loadFromSource(name: string): Promise<CachedProviderCatalog> {
    const source = registry.get(name);
    if (!source) throw new Error(`unknown provider ${name}`);
    const catalog = await source.load().catch((err: unknown) => {
      throw new DomainError('UNAVAILABLE', `The source of ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    const reason = rejectReason(catalog);
    if (reason) throw new DomainError('UNAVAILABLE', `The source of ${name} answered badly: ${reason}`);
    return { ...catalog, cachedAt: now(), source: source.description };
  }

  /** Stores a catalog only if the provider's generation is still `gen`; releases the lease if `token` holds it. */
  async function store(catalog: CachedProviderCatalog, gen: string, token = ''): Promise<boolean> {
    const stored = await writeProvider(redis, providerKeys(catalog.provider), {
      gen,
      token,
      ttlMs: ttlMs(),
      catalog: JSON.stringify({ provider: catalog.provider, displayName: catalog.displayName, models: catalog.models }),
      modelCount: catalog.models.length,
      cachedAt: catalog.cachedAt,
      source: catalog.source,
      pricing: JSON.stringify(pricingOf(catalog)),
    });
    if (stored) onChange({ reason: 'rebuilt', providers: [catalog.provider] });
    else onFenced('provider');
    return stored;
  }

  function toCatalog(read: ProviderReadReply): CachedProviderCatalog | null {
    if (read.state === 'miss') return null;
    const parsed = providerCatalogSchema.safeParse(JSON.parse(read.catalog));
    return parsed.success ? { ...parsed.data, cachedAt: Number(read.cachedAt), source: read.source } : null;
  }

  /** One reader per process per provider; concurrent callers share its answer. */
  function getProvider(name: string): Promise<CacheRead<CachedProviderCatalog>> {
    const inFlight = flights.get(name);
    if (inFlight) return inFlight;
    const flight = readThrough(name).finally(() => flights.delete(name));
    flights.set(name, flight);
    return flight;
  }

  async function readThrough(name: string): Promise<CacheRead<CachedProviderCatalog>> {
    const token = newToken();
    let read = await readProvider(redis, providerKeys(name), token, leaseMs);
    const deadline = now() + waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
      const cached = toCatalog(read);
      if (cached && read.state === 'hit') return { catalog: cached, cache: 'HIT' };
      if (cached) {
        // Soft-invalidated: serve the old copy at cache speed; the lease holder refreshes it.
        if (read.leased) track(refresh(name, read.gen, token));
        return { catalog: cached, cache: 'STALE' };
      }
      if (read.leased || now() >= deadline) break;
      // Another reader (here or on another instance) holds the lease: wait for its write.
      await sleep(delay);
      read = await readProvider(redis, providerKeys(name), token, leaseMs);
    }
    const catalog = await loadFromSource(name);
    const stored = await store(catalog, read.gen, read.leased ? token : '');
    return { catalog, cache: 'MISS', ...(stored ? {} : { fenced: true }) };
  }

  /**
   * A stale provider's one refresh. On a source error the lease is kept until it expires, so a
   * provider whose API is down is asked at most once per lease period, and the stale copy stays.
   */
  async function refresh(name: string, gen: string, token: string): Promise<void> {
    try {
      await store(await loadFromSource(name), gen, token);
    } catch (err) {
      log?.warn({ provider: name, err }, 'refreshing a stale provider failed; serving the stale copy');
    }
  }

  function track(work: Promise<unknown>): void {
    background.add(work);
    void work.finally(() => background.delete(work));
  }

  async function getFull(): Promise<CacheRead<FullCatalog>> {
    const token = newToken();
    const read = () => readString(redis, keys.fullCatalog, keys.globalGeneration, keys.globalLease, token, leaseMs);
    let full = await read();
    const deadline = now() + waitMs;
    for (let delay = 10; full.state === 'miss' && !full.leased && now() < deadline; delay = Math.min(delay * 2, 100)) {
      await sleep(delay);
      full = await read();
    }
    if (full.state === 'hit') return { catalog: JSON.parse(full.value) as FullCatalog, cache: 'HIT' };
    const names = registry.names();
    const reads = await readMany(names);
    const parts = await mapLimit(names, 8, async (name, i) => {
      const cached = toCatalog(reads[i] as ProviderReadReply);
      return cached && reads[i]?.state === 'hit' ? { catalog: cached, cache: 'HIT' as const } : getProvider(name);
    });
    const catalog: FullCatalog = { builtAt: now(), providers: parts.map((p) => p.catalog) };
    // A catalog assembled from stale providers is served but not stored: it would outlive their refresh.
    if (parts.some((p) => p.cache === 'STALE')) return { catalog, cache: 'STALE' };
    const stored = await writeStrings(
      redis,
      { genKey: keys.globalGeneration, leaseKey: keys.globalLease, gen: full.gen, token: full.leased ? token : '' },
      [
        [keys.fullCatalog, JSON.stringify(catalog)],
        [keys.providerList, JSON.stringify(providerListOf(catalog.providers))],
      ],
      ttlMs(),
    );
    if (!stored) onFenced('full');
    return { catalog, cache: 'MISS', ...(stored ? {} : { fenced: true }) };
  }

  /** Every provider's cached value in one round trip, taking no lease. */
  async function readMany(names: readonly string[]): Promise<ProviderReadReply[]> {
    const pipeline = redis.pipeline();
    for (const name of names) queueProviderRead(pipeline, providerKeys(name), '', leaseMs, false);
    return (await execChecked(pipeline)).map(parseProviderRead);
  }

  /**
   * Rebuilds global pricing from the sources, fenced by the global generation the invalidation's
   * own batch set (`gen`): a newer invalidation's rebuild is never overwritten by this one.
   */
  async function rebuildPricing(gen: string): Promise<boolean> {
    const providers = await mapLimit(registry.names(), 8, loadFromSource);
    const table: PricingTable = {};
    for (const p of providers) table[p.provider] = pricingOf(p);
    return writeStrings(redis, { genKey: keys.globalGeneration, leaseKey: keys.globalLease, gen, token: '' }, [[keys.pricing, JSON.stringify(table)]], ttlMs());
  }

  /** Fills every key of the catalog namespace: the embedded start and the tests begin from here. */
  async function seed(names: readonly string[] = registry.names()): Promise<void> {
    const providers = await mapLimit(names, 8, loadFromSource);
    const pipeline = redis.pipeline();
    for (const p of providers) {
      const k = providerKeys(p.provider);
      const ttl = ttlMs();
      pipeline.del(k.models);
      pipeline.hset(k.models, {
        catalog: JSON.stringify({ provider: p.provider, displayName: p.displayName, models: p.models }),
        modelCount: String(p.models.length),
        cachedAt: String(p.cachedAt),
        source: p.source,
      });
      pipeline.pexpire(k.models, ttl);
      pipeline.set(k.pricing, JSON.stringify(pricingOf(p)), 'PX', ttl);
    }
    const table: PricingTable = Object.fromEntries(providers.map((p) => [p.provider, pricingOf(p)]));
    pipeline.set(keys.fullCatalog, JSON.stringify({ builtAt: now(), providers }), 'PX', ttlMs());
    pipeline.set(keys.providerList, JSON.stringify(providerListOf(providers)), 'PX', ttlMs());
    pipeline.set(keys.pricing, JSON.stringify(table), 'PX', ttlMs());
    await execChecked(pipeline);
    onChange({ reason: 'seeded', providers: names === registry.names() ? 'all' : [...names] });
  }

  /** Every provider's cache state in one round trip. */
  async function state(): Promise<ProviderCacheState[]> {
    const names = registry.names();
    const pipeline = redis.pipeline();
    for (const name of names) {
      pipeline.hmget(keys.providerModels(name), 'cachedAt', 'modelCount', 'stale');
      pipeline.pttl(keys.providerModels(name));
      pipeline.exists(...keys.providerKeys(name));
    }
    const replies = await execChecked(pipeline);
    return names.map((name, i) => {
      const [cachedAt, modelCount, stale] = replies[i * 3] as (string | null)[];
      const ttl = replies[i * 3 + 1] as number;
      const present = replies[i * 3 + 2] as number;
      const source = registry.get(name);
      const cached = ttl !== -2;
      return {
        name,
        displayName: source?.displayName ?? name,
        source: source?.description ?? '',
        cached,
        stale: cached && stale === '1',
        keys: present,
        keysTotal: keys.providerKeys(name).length,
        ttlMs: cached && ttl >= 0 ? ttl : null,
        cachedAt: cached && cachedAt ? Number(cachedAt) : null,
        modelCount: cached && modelCount ? Number(modelCount) : null,
      };
    });
  }

  /** Resolves when every background refresh started so far has settled (shutdown, tests). */
  const settled = async () => {
    while (background.size) await Promise.allSettled([...background]);
  };

  /** Refresh-and-verify (server/invalidation/refresh.ts): the cached copies now, stale or not, taking no lease. */
  const peek = async (names: readonly string[]) => (await readMany(names)).map(toCatalog);

  /**
   * Refresh-and-verify, after the job's batch: each provider's generation (the fence of its write)
   * and, where free, its rebuild lease, so readers of a stale or missing provider wait for the job's
   * fetch instead of starting their own. One round trip for all of them.
   */
  async function claimRefresh(names: readonly string[]): Promise<{ gen: string; token: string }[]> {
    const pipeline = redis.pipeline();
    const tokens = names.map(() => newToken());
    names.forEach((name, i) => queueProviderRead(pipeline, providerKeys(name), tokens[i] ?? '', leaseMs, true));
    return (await execChecked(pipeline)).map((reply, i) => {
      const read = parseProviderRead(reply);
      return { gen: read.gen, token: read.leased ? (tokens[i] ?? '') : '' };
    });
  }

  return { getProvider, getFull, rebuildPricing, seed, state, loadFromSource, store, settled, peek, claimRefresh };
}

const newToken = () => randomBytes(9).toString('base64url');

function pricingOf(catalog: ProviderCatalog): PricingTable[string] {
  const table: PricingTable[string] = {};
  for (const m of catalog.models) if (m.pricing) table[m.id] = m.pricing;
  return table;
}

function providerListOf(providers: CachedProviderCatalog[]) {
  return providers.map((p) => ({ name: p.provider, displayName: p.displayName, modelCount: p.models.length }));
}
