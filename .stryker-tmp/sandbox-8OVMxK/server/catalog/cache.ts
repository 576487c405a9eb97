/**
 * Cache-aside reads of the catalog: serve from Redis, rebuild from the provider's source on a miss
 * and store with a jittered TTL. Rebuilds are single-flight (in process: one promise per provider;
 * across instances: the rebuild lease) and fenced (fence.ts), so an invalidation always wins. Also
 * the seed used by the embedded start, and the cache state admins see.
 */
// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { CatalogActivity } from '~/server/activity/schema';
import { execChecked } from '~/server/redis/exec';
import type { CatalogKeys } from '~/server/redis/keys';
import type { ProviderKeySet, ProviderReadReply } from './fence';
import { parseProviderRead, prepareCatalogConnection, queueProviderRead, readProvider, readString, writeProvider, writeStrings } from './fence';
import { mapLimit } from './map-limit';
import type { ProviderRegistry } from './registry';
import type { CachedProviderCatalog, PricingTable, ProviderCacheState, ProviderCatalog } from './schema';
import { providerCatalogSchema } from './schema';
export interface CatalogCacheDeps {
  redis: Redis;
  keys: CatalogKeys;
  registry: ProviderRegistry;
  ttlSeconds: number;
  /** How long a rebuild lease lasts: a crashed holder blocks the others at most this long. */
  leaseMs?: number;
  /** How long a reader waits for another's rebuild before fetching itself (its write is fenced too). */
  waitMs?: number;
  now?: () => number;
  random?: () => number;
  /** Told after the cache wrote providers (a rebuild on a miss, a seed): live views refresh. */
  onChange?: (change: Omit<CatalogActivity, 'kind' | 'at'>) => void;
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
export function createCatalogCache({
  redis,
  keys,
  registry,
  ttlSeconds,
  leaseMs = 5000,
  waitMs = 5000,
  now = Date.now,
  random = Math.random,
  onChange = () => {}
}: CatalogCacheDeps) {
  if (stryMutAct_9fa48("92")) {
    {}
  } else {
    stryCov_9fa48("92");
    prepareCatalogConnection(redis);
    /** ±10 %, so providers cached together do not expire together. */
    const ttlMs = stryMutAct_9fa48("93") ? () => undefined : (stryCov_9fa48("93"), (() => {
      const ttlMs = () => Math.round(stryMutAct_9fa48("94") ? ttlSeconds * 1000 / (0.9 + 0.2 * random()) : (stryCov_9fa48("94"), (stryMutAct_9fa48("95") ? ttlSeconds / 1000 : (stryCov_9fa48("95"), ttlSeconds * 1000)) * (stryMutAct_9fa48("96") ? 0.9 - 0.2 * random() : (stryCov_9fa48("96"), 0.9 + (stryMutAct_9fa48("97") ? 0.2 / random() : (stryCov_9fa48("97"), 0.2 * random()))))));
      return ttlMs;
    })());
    const flights = new Map<string, Promise<CacheRead<CachedProviderCatalog>>>();
    const background = new Set<Promise<unknown>>();
    const providerKeys = stryMutAct_9fa48("98") ? () => undefined : (stryCov_9fa48("98"), (() => {
      const providerKeys = (name: string): ProviderKeySet => stryMutAct_9fa48("99") ? {} : (stryCov_9fa48("99"), {
        models: keys.providerModels(name),
        pricing: keys.providerPricing(name),
        gen: keys.providerGeneration(name),
        lease: keys.providerLease(name)
      });
      return providerKeys;
    })());
    async function loadFromSource(name: string): Promise<CachedProviderCatalog> {
      if (stryMutAct_9fa48("100")) {
        {}
      } else {
        stryCov_9fa48("100");
        const source = registry.get(name);
        if (stryMutAct_9fa48("103") ? false : stryMutAct_9fa48("102") ? true : stryMutAct_9fa48("101") ? source : (stryCov_9fa48("101", "102", "103"), !source)) throw new Error(stryMutAct_9fa48("104") ? `` : (stryCov_9fa48("104"), `unknown provider ${name}`));
        const catalog = await source.load();
        return stryMutAct_9fa48("105") ? {} : (stryCov_9fa48("105"), {
          ...catalog,
          cachedAt: now(),
          source: source.description
        });
      }
    }

    /** Stores a catalog only if the provider's generation is still `gen`; releases the lease if `token` holds it. */
    async function store(catalog: CachedProviderCatalog, gen: string, token = stryMutAct_9fa48("106") ? "Stryker was here!" : (stryCov_9fa48("106"), '')): Promise<boolean> {
      if (stryMutAct_9fa48("107")) {
        {}
      } else {
        stryCov_9fa48("107");
        const stored = await writeProvider(redis, providerKeys(catalog.provider), stryMutAct_9fa48("108") ? {} : (stryCov_9fa48("108"), {
          gen,
          token,
          ttlMs: ttlMs(),
          catalog: JSON.stringify(stryMutAct_9fa48("109") ? {} : (stryCov_9fa48("109"), {
            provider: catalog.provider,
            displayName: catalog.displayName,
            models: catalog.models
          })),
          modelCount: catalog.models.length,
          cachedAt: catalog.cachedAt,
          source: catalog.source,
          pricing: JSON.stringify(pricingOf(catalog))
        }));
        if (stryMutAct_9fa48("111") ? false : stryMutAct_9fa48("110") ? true : (stryCov_9fa48("110", "111"), stored)) onChange(stryMutAct_9fa48("112") ? {} : (stryCov_9fa48("112"), {
          reason: stryMutAct_9fa48("113") ? "" : (stryCov_9fa48("113"), 'rebuilt'),
          providers: stryMutAct_9fa48("114") ? [] : (stryCov_9fa48("114"), [catalog.provider])
        }));
        return stored;
      }
    }
    function toCatalog(read: ProviderReadReply): CachedProviderCatalog | null {
      if (stryMutAct_9fa48("115")) {
        {}
      } else {
        stryCov_9fa48("115");
        if (stryMutAct_9fa48("118") ? read.state !== 'miss' : stryMutAct_9fa48("117") ? false : stryMutAct_9fa48("116") ? true : (stryCov_9fa48("116", "117", "118"), read.state === (stryMutAct_9fa48("119") ? "" : (stryCov_9fa48("119"), 'miss')))) return null;
        const parsed = providerCatalogSchema.safeParse(JSON.parse(read.catalog));
        return parsed.success ? stryMutAct_9fa48("120") ? {} : (stryCov_9fa48("120"), {
          ...parsed.data,
          cachedAt: Number(read.cachedAt),
          source: read.source
        }) : null;
      }
    }

    /** One reader per process per provider; concurrent callers share its answer. */
    function getProvider(name: string): Promise<CacheRead<CachedProviderCatalog>> {
      if (stryMutAct_9fa48("121")) {
        {}
      } else {
        stryCov_9fa48("121");
        const inFlight = flights.get(name);
        if (stryMutAct_9fa48("123") ? false : stryMutAct_9fa48("122") ? true : (stryCov_9fa48("122", "123"), inFlight)) return inFlight;
        const flight = readThrough(name).finally(stryMutAct_9fa48("124") ? () => undefined : (stryCov_9fa48("124"), () => flights.delete(name)));
        flights.set(name, flight);
        return flight;
      }
    }
    async function readThrough(name: string): Promise<CacheRead<CachedProviderCatalog>> {
      if (stryMutAct_9fa48("125")) {
        {}
      } else {
        stryCov_9fa48("125");
        const token = newToken();
        let read = await readProvider(redis, providerKeys(name), token, leaseMs);
        const deadline = stryMutAct_9fa48("126") ? now() - waitMs : (stryCov_9fa48("126"), now() + waitMs);
        if (stryMutAct_9fa48("127")) {
          for (let delay = 10; false; delay = Math.min(delay * 2, 100)) {
            const cached = toCatalog(read);
            if (cached && read.state === 'hit') return {
              catalog: cached,
              cache: 'HIT'
            };
            if (cached) {
              // Soft-invalidated: serve the old copy at cache speed; the lease holder refreshes it.
              if (read.leased) track(refresh(name, read.gen, token));
              return {
                catalog: cached,
                cache: 'STALE'
              };
            }
            if (read.leased || now() >= deadline) break;
            // Another reader (here or on another instance) holds the lease: wait for its write.
            await sleep(delay);
            read = await readProvider(redis, providerKeys(name), token, leaseMs);
          }
        } else {
          stryCov_9fa48("127");
          for (let delay = 10;; delay = stryMutAct_9fa48("128") ? Math.max(delay * 2, 100) : (stryCov_9fa48("128"), Math.min(stryMutAct_9fa48("129") ? delay / 2 : (stryCov_9fa48("129"), delay * 2), 100))) {
            if (stryMutAct_9fa48("130")) {
              {}
            } else {
              stryCov_9fa48("130");
              const cached = toCatalog(read);
              if (stryMutAct_9fa48("133") ? cached || read.state === 'hit' : stryMutAct_9fa48("132") ? false : stryMutAct_9fa48("131") ? true : (stryCov_9fa48("131", "132", "133"), cached && (stryMutAct_9fa48("135") ? read.state !== 'hit' : stryMutAct_9fa48("134") ? true : (stryCov_9fa48("134", "135"), read.state === (stryMutAct_9fa48("136") ? "" : (stryCov_9fa48("136"), 'hit')))))) return stryMutAct_9fa48("137") ? {} : (stryCov_9fa48("137"), {
                catalog: cached,
                cache: stryMutAct_9fa48("138") ? "" : (stryCov_9fa48("138"), 'HIT')
              });
              if (stryMutAct_9fa48("140") ? false : stryMutAct_9fa48("139") ? true : (stryCov_9fa48("139", "140"), cached)) {
                if (stryMutAct_9fa48("141")) {
                  {}
                } else {
                  stryCov_9fa48("141");
                  // Soft-invalidated: serve the old copy at cache speed; the lease holder refreshes it.
                  if (stryMutAct_9fa48("143") ? false : stryMutAct_9fa48("142") ? true : (stryCov_9fa48("142", "143"), read.leased)) track(refresh(name, read.gen, token));
                  return stryMutAct_9fa48("144") ? {} : (stryCov_9fa48("144"), {
                    catalog: cached,
                    cache: stryMutAct_9fa48("145") ? "" : (stryCov_9fa48("145"), 'STALE')
                  });
                }
              }
              if (stryMutAct_9fa48("148") ? read.leased && now() >= deadline : stryMutAct_9fa48("147") ? false : stryMutAct_9fa48("146") ? true : (stryCov_9fa48("146", "147", "148"), read.leased || (stryMutAct_9fa48("151") ? now() < deadline : stryMutAct_9fa48("150") ? now() > deadline : stryMutAct_9fa48("149") ? false : (stryCov_9fa48("149", "150", "151"), now() >= deadline)))) break;
              // Another reader (here or on another instance) holds the lease: wait for its write.
              await sleep(delay);
              read = await readProvider(redis, providerKeys(name), token, leaseMs);
            }
          }
        }
        const catalog = await loadFromSource(name);
        const stored = await store(catalog, read.gen, read.leased ? token : stryMutAct_9fa48("152") ? "Stryker was here!" : (stryCov_9fa48("152"), ''));
        return stryMutAct_9fa48("153") ? {} : (stryCov_9fa48("153"), {
          catalog,
          cache: stryMutAct_9fa48("154") ? "" : (stryCov_9fa48("154"), 'MISS'),
          ...(stored ? {} : stryMutAct_9fa48("155") ? {} : (stryCov_9fa48("155"), {
            fenced: stryMutAct_9fa48("156") ? false : (stryCov_9fa48("156"), true)
          }))
        });
      }
    }

    /**
     * A stale provider's one refresh. On a source error the lease is kept until it expires, so a
     * provider whose API is down is asked at most once per lease period, and the stale copy stays.
     */
    async function refresh(name: string, gen: string, token: string): Promise<void> {
      if (stryMutAct_9fa48("157")) {
        {}
      } else {
        stryCov_9fa48("157");
        try {
          if (stryMutAct_9fa48("158")) {
            {}
          } else {
            stryCov_9fa48("158");
            await store(await loadFromSource(name), gen, token);
          }
        } catch (err) {
          if (stryMutAct_9fa48("159")) {
            {}
          } else {
            stryCov_9fa48("159");
            console.warn(stryMutAct_9fa48("160") ? `` : (stryCov_9fa48("160"), `[catalog] refreshing ${name} failed; serving the stale copy: ${err instanceof Error ? err.message : String(err)}`));
          }
        }
      }
    }
    function track(work: Promise<unknown>): void {
      if (stryMutAct_9fa48("161")) {
        {}
      } else {
        stryCov_9fa48("161");
        background.add(work);
        void work.finally(stryMutAct_9fa48("162") ? () => undefined : (stryCov_9fa48("162"), () => background.delete(work)));
      }
    }
    async function getFull(): Promise<CacheRead<FullCatalog>> {
      if (stryMutAct_9fa48("163")) {
        {}
      } else {
        stryCov_9fa48("163");
        const token = newToken();
        const read = stryMutAct_9fa48("164") ? () => undefined : (stryCov_9fa48("164"), (() => {
          const read = () => readString(redis, keys.fullCatalog, keys.globalGeneration, keys.globalLease, token, leaseMs);
          return read;
        })());
        let full = await read();
        const deadline = stryMutAct_9fa48("165") ? now() - waitMs : (stryCov_9fa48("165"), now() + waitMs);
        for (let delay = 10; stryMutAct_9fa48("167") ? full.state === 'miss' && !full.leased || now() < deadline : stryMutAct_9fa48("166") ? false : (stryCov_9fa48("166", "167"), (stryMutAct_9fa48("169") ? full.state === 'miss' || !full.leased : stryMutAct_9fa48("168") ? true : (stryCov_9fa48("168", "169"), (stryMutAct_9fa48("171") ? full.state !== 'miss' : stryMutAct_9fa48("170") ? true : (stryCov_9fa48("170", "171"), full.state === (stryMutAct_9fa48("172") ? "" : (stryCov_9fa48("172"), 'miss')))) && (stryMutAct_9fa48("173") ? full.leased : (stryCov_9fa48("173"), !full.leased)))) && (stryMutAct_9fa48("176") ? now() >= deadline : stryMutAct_9fa48("175") ? now() <= deadline : stryMutAct_9fa48("174") ? true : (stryCov_9fa48("174", "175", "176"), now() < deadline))); delay = stryMutAct_9fa48("177") ? Math.max(delay * 2, 100) : (stryCov_9fa48("177"), Math.min(stryMutAct_9fa48("178") ? delay / 2 : (stryCov_9fa48("178"), delay * 2), 100))) {
          if (stryMutAct_9fa48("179")) {
            {}
          } else {
            stryCov_9fa48("179");
            await sleep(delay);
            full = await read();
          }
        }
        if (stryMutAct_9fa48("182") ? full.state !== 'hit' : stryMutAct_9fa48("181") ? false : stryMutAct_9fa48("180") ? true : (stryCov_9fa48("180", "181", "182"), full.state === (stryMutAct_9fa48("183") ? "" : (stryCov_9fa48("183"), 'hit')))) return stryMutAct_9fa48("184") ? {} : (stryCov_9fa48("184"), {
          catalog: JSON.parse(full.value) as FullCatalog,
          cache: stryMutAct_9fa48("185") ? "" : (stryCov_9fa48("185"), 'HIT')
        });
        const names = registry.names();
        const reads = await readMany(names);
        const parts = await mapLimit(names, 8, async (name, i) => {
          if (stryMutAct_9fa48("186")) {
            {}
          } else {
            stryCov_9fa48("186");
            const cached = toCatalog(reads[i] as ProviderReadReply);
            return (stryMutAct_9fa48("189") ? cached || reads[i]?.state === 'hit' : stryMutAct_9fa48("188") ? false : stryMutAct_9fa48("187") ? true : (stryCov_9fa48("187", "188", "189"), cached && (stryMutAct_9fa48("191") ? reads[i]?.state !== 'hit' : stryMutAct_9fa48("190") ? true : (stryCov_9fa48("190", "191"), (stryMutAct_9fa48("192") ? reads[i].state : (stryCov_9fa48("192"), reads[i]?.state)) === (stryMutAct_9fa48("193") ? "" : (stryCov_9fa48("193"), 'hit')))))) ? stryMutAct_9fa48("194") ? {} : (stryCov_9fa48("194"), {
              catalog: cached,
              cache: 'HIT' as const
            }) : getProvider(name);
          }
        });
        const catalog: FullCatalog = stryMutAct_9fa48("195") ? {} : (stryCov_9fa48("195"), {
          builtAt: now(),
          providers: parts.map(stryMutAct_9fa48("196") ? () => undefined : (stryCov_9fa48("196"), p => p.catalog))
        });
        // A catalog assembled from stale providers is served but not stored: it would outlive their refresh.
        if (stryMutAct_9fa48("199") ? parts.every(p => p.cache === 'STALE') : stryMutAct_9fa48("198") ? false : stryMutAct_9fa48("197") ? true : (stryCov_9fa48("197", "198", "199"), parts.some(stryMutAct_9fa48("200") ? () => undefined : (stryCov_9fa48("200"), p => stryMutAct_9fa48("203") ? p.cache !== 'STALE' : stryMutAct_9fa48("202") ? false : stryMutAct_9fa48("201") ? true : (stryCov_9fa48("201", "202", "203"), p.cache === (stryMutAct_9fa48("204") ? "" : (stryCov_9fa48("204"), 'STALE'))))))) return stryMutAct_9fa48("205") ? {} : (stryCov_9fa48("205"), {
          catalog,
          cache: stryMutAct_9fa48("206") ? "" : (stryCov_9fa48("206"), 'STALE')
        });
        const stored = await writeStrings(redis, stryMutAct_9fa48("207") ? {} : (stryCov_9fa48("207"), {
          genKey: keys.globalGeneration,
          leaseKey: keys.globalLease,
          gen: full.gen,
          token: full.leased ? token : stryMutAct_9fa48("208") ? "Stryker was here!" : (stryCov_9fa48("208"), '')
        }), stryMutAct_9fa48("209") ? [] : (stryCov_9fa48("209"), [stryMutAct_9fa48("210") ? [] : (stryCov_9fa48("210"), [keys.fullCatalog, JSON.stringify(catalog)]), stryMutAct_9fa48("211") ? [] : (stryCov_9fa48("211"), [keys.providerList, JSON.stringify(providerListOf(catalog.providers))])]), ttlMs());
        return stryMutAct_9fa48("212") ? {} : (stryCov_9fa48("212"), {
          catalog,
          cache: stryMutAct_9fa48("213") ? "" : (stryCov_9fa48("213"), 'MISS'),
          ...(stored ? {} : stryMutAct_9fa48("214") ? {} : (stryCov_9fa48("214"), {
            fenced: stryMutAct_9fa48("215") ? false : (stryCov_9fa48("215"), true)
          }))
        });
      }
    }

    /** Every provider's cached value in one round trip, taking no lease. */
    async function readMany(names: readonly string[]): Promise<ProviderReadReply[]> {
      if (stryMutAct_9fa48("216")) {
        {}
      } else {
        stryCov_9fa48("216");
        const pipeline = redis.pipeline();
        for (const name of names) queueProviderRead(pipeline, providerKeys(name), stryMutAct_9fa48("217") ? "Stryker was here!" : (stryCov_9fa48("217"), ''), leaseMs, stryMutAct_9fa48("218") ? true : (stryCov_9fa48("218"), false));
        return (await execChecked(pipeline)).map(parseProviderRead);
      }
    }

    /**
     * Rebuilds global pricing from the sources, fenced by the global generation the invalidation's
     * own batch set (`gen`): a newer invalidation's rebuild is never overwritten by this one.
     */
    async function rebuildPricing(gen: string): Promise<boolean> {
      if (stryMutAct_9fa48("219")) {
        {}
      } else {
        stryCov_9fa48("219");
        const providers = await mapLimit(registry.names(), 8, loadFromSource);
        const table: PricingTable = {};
        for (const p of providers) table[p.provider] = pricingOf(p);
        return writeStrings(redis, stryMutAct_9fa48("220") ? {} : (stryCov_9fa48("220"), {
          genKey: keys.globalGeneration,
          leaseKey: keys.globalLease,
          gen,
          token: stryMutAct_9fa48("221") ? "Stryker was here!" : (stryCov_9fa48("221"), '')
        }), stryMutAct_9fa48("222") ? [] : (stryCov_9fa48("222"), [stryMutAct_9fa48("223") ? [] : (stryCov_9fa48("223"), [keys.pricing, JSON.stringify(table)])]), ttlMs());
      }
    }

    /** Fills every key of the catalog namespace: the embedded start and the tests begin from here. */
    async function seed(names: readonly string[] = registry.names()): Promise<void> {
      if (stryMutAct_9fa48("224")) {
        {}
      } else {
        stryCov_9fa48("224");
        const providers = await mapLimit(names, 8, loadFromSource);
        const pipeline = redis.pipeline();
        for (const p of providers) {
          if (stryMutAct_9fa48("225")) {
            {}
          } else {
            stryCov_9fa48("225");
            const k = providerKeys(p.provider);
            const ttl = ttlMs();
            pipeline.del(k.models);
            pipeline.hset(k.models, stryMutAct_9fa48("226") ? {} : (stryCov_9fa48("226"), {
              catalog: JSON.stringify(stryMutAct_9fa48("227") ? {} : (stryCov_9fa48("227"), {
                provider: p.provider,
                displayName: p.displayName,
                models: p.models
              })),
              modelCount: String(p.models.length),
              cachedAt: String(p.cachedAt),
              source: p.source
            }));
            pipeline.pexpire(k.models, ttl);
            pipeline.set(k.pricing, JSON.stringify(pricingOf(p)), stryMutAct_9fa48("228") ? "" : (stryCov_9fa48("228"), 'PX'), ttl);
          }
        }
        const table: PricingTable = Object.fromEntries(providers.map(stryMutAct_9fa48("229") ? () => undefined : (stryCov_9fa48("229"), p => stryMutAct_9fa48("230") ? [] : (stryCov_9fa48("230"), [p.provider, pricingOf(p)]))));
        pipeline.set(keys.fullCatalog, JSON.stringify(stryMutAct_9fa48("231") ? {} : (stryCov_9fa48("231"), {
          builtAt: now(),
          providers
        })), stryMutAct_9fa48("232") ? "" : (stryCov_9fa48("232"), 'PX'), ttlMs());
        pipeline.set(keys.providerList, JSON.stringify(providerListOf(providers)), stryMutAct_9fa48("233") ? "" : (stryCov_9fa48("233"), 'PX'), ttlMs());
        pipeline.set(keys.pricing, JSON.stringify(table), stryMutAct_9fa48("234") ? "" : (stryCov_9fa48("234"), 'PX'), ttlMs());
        await execChecked(pipeline);
        onChange(stryMutAct_9fa48("235") ? {} : (stryCov_9fa48("235"), {
          reason: stryMutAct_9fa48("236") ? "" : (stryCov_9fa48("236"), 'seeded'),
          providers: (stryMutAct_9fa48("239") ? names !== registry.names() : stryMutAct_9fa48("238") ? false : stryMutAct_9fa48("237") ? true : (stryCov_9fa48("237", "238", "239"), names === registry.names())) ? stryMutAct_9fa48("240") ? "" : (stryCov_9fa48("240"), 'all') : stryMutAct_9fa48("241") ? [] : (stryCov_9fa48("241"), [...names])
        }));
      }
    }

    /** Every provider's cache state in one round trip. */
    async function state(): Promise<ProviderCacheState[]> {
      if (stryMutAct_9fa48("242")) {
        {}
      } else {
        stryCov_9fa48("242");
        const names = registry.names();
        const pipeline = redis.pipeline();
        for (const name of names) {
          if (stryMutAct_9fa48("243")) {
            {}
          } else {
            stryCov_9fa48("243");
            pipeline.hmget(keys.providerModels(name), stryMutAct_9fa48("244") ? "" : (stryCov_9fa48("244"), 'cachedAt'), stryMutAct_9fa48("245") ? "" : (stryCov_9fa48("245"), 'modelCount'), stryMutAct_9fa48("246") ? "" : (stryCov_9fa48("246"), 'stale'));
            pipeline.pttl(keys.providerModels(name));
            pipeline.exists(...keys.providerKeys(name));
          }
        }
        const replies = await execChecked(pipeline);
        return names.map((name, i) => {
          if (stryMutAct_9fa48("247")) {
            {}
          } else {
            stryCov_9fa48("247");
            const [cachedAt, modelCount, stale] = replies[i * 3] as (string | null)[];
            const ttl = replies[i * 3 + 1] as number;
            const present = replies[i * 3 + 2] as number;
            const source = registry.get(name);
            const cached = stryMutAct_9fa48("250") ? ttl === -2 : stryMutAct_9fa48("249") ? false : stryMutAct_9fa48("248") ? true : (stryCov_9fa48("248", "249", "250"), ttl !== (stryMutAct_9fa48("251") ? +2 : (stryCov_9fa48("251"), -2)));
            return stryMutAct_9fa48("252") ? {} : (stryCov_9fa48("252"), {
              name,
              displayName: stryMutAct_9fa48("253") ? source?.displayName && name : (stryCov_9fa48("253"), (stryMutAct_9fa48("254") ? source.displayName : (stryCov_9fa48("254"), source?.displayName)) ?? name),
              source: stryMutAct_9fa48("255") ? source?.description && '' : (stryCov_9fa48("255"), (stryMutAct_9fa48("256") ? source.description : (stryCov_9fa48("256"), source?.description)) ?? (stryMutAct_9fa48("257") ? "Stryker was here!" : (stryCov_9fa48("257"), ''))),
              cached,
              stale: stryMutAct_9fa48("260") ? cached || stale === '1' : stryMutAct_9fa48("259") ? false : stryMutAct_9fa48("258") ? true : (stryCov_9fa48("258", "259", "260"), cached && (stryMutAct_9fa48("262") ? stale !== '1' : stryMutAct_9fa48("261") ? true : (stryCov_9fa48("261", "262"), stale === (stryMutAct_9fa48("263") ? "" : (stryCov_9fa48("263"), '1'))))),
              keys: present,
              keysTotal: keys.providerKeys(name).length,
              ttlMs: (stryMutAct_9fa48("266") ? cached || ttl >= 0 : stryMutAct_9fa48("265") ? false : stryMutAct_9fa48("264") ? true : (stryCov_9fa48("264", "265", "266"), cached && (stryMutAct_9fa48("269") ? ttl < 0 : stryMutAct_9fa48("268") ? ttl > 0 : stryMutAct_9fa48("267") ? true : (stryCov_9fa48("267", "268", "269"), ttl >= 0)))) ? ttl : null,
              cachedAt: (stryMutAct_9fa48("272") ? cached || cachedAt : stryMutAct_9fa48("271") ? false : stryMutAct_9fa48("270") ? true : (stryCov_9fa48("270", "271", "272"), cached && cachedAt)) ? Number(cachedAt) : null,
              modelCount: (stryMutAct_9fa48("275") ? cached || modelCount : stryMutAct_9fa48("274") ? false : stryMutAct_9fa48("273") ? true : (stryCov_9fa48("273", "274", "275"), cached && modelCount)) ? Number(modelCount) : null
            });
          }
        });
      }
    }

    /** Resolves when every background refresh started so far has settled (shutdown, tests). */
    const settled = async () => {
      if (stryMutAct_9fa48("276")) {
        {}
      } else {
        stryCov_9fa48("276");
        while (stryMutAct_9fa48("277") ? false : (stryCov_9fa48("277"), background.size)) await Promise.allSettled(stryMutAct_9fa48("278") ? [] : (stryCov_9fa48("278"), [...background]));
      }
    };
    return stryMutAct_9fa48("279") ? {} : (stryCov_9fa48("279"), {
      getProvider,
      getFull,
      rebuildPricing,
      seed,
      state,
      loadFromSource,
      store,
      settled
    });
  }
}
const newToken = stryMutAct_9fa48("280") ? () => undefined : (stryCov_9fa48("280"), (() => {
  const newToken = () => randomBytes(9).toString(stryMutAct_9fa48("281") ? "" : (stryCov_9fa48("281"), 'base64url'));
  return newToken;
})());
function pricingOf(catalog: ProviderCatalog): PricingTable[string] {
  if (stryMutAct_9fa48("282")) {
    {}
  } else {
    stryCov_9fa48("282");
    const table: PricingTable[string] = {};
    for (const m of catalog.models) if (stryMutAct_9fa48("284") ? false : stryMutAct_9fa48("283") ? true : (stryCov_9fa48("283", "284"), m.pricing)) table[m.id] = m.pricing;
    return table;
  }
}
function providerListOf(providers: CachedProviderCatalog[]) {
  if (stryMutAct_9fa48("285")) {
    {}
  } else {
    stryCov_9fa48("285");
    return providers.map(stryMutAct_9fa48("286") ? () => undefined : (stryCov_9fa48("286"), p => stryMutAct_9fa48("287") ? {} : (stryCov_9fa48("287"), {
      name: p.provider,
      displayName: p.displayName,
      modelCount: p.models.length
    })));
  }
}