/**
 * The catalog cache, assembled: cache-aside reads of one provider (read-through.ts) and of the full
 * catalog (full-catalog.ts), the pricing rebuild, the seed, the admins' cache state and the hooks
 * refresh-and-verify uses. Every rebuild goes through the one verified fetch and the fence, so an
 * invalidation always wins. Each part is its own module; they share one context (cache-context.ts).
 */
import 'server-only';
import { createCacheContext, type CatalogCacheDeps } from './cache-context';
import { readCacheState } from './cache-state';
import { prepareCatalogConnection } from './fence';
import { getFullCatalog } from './full-catalog';
import { rebuildPricing } from './pricing-rebuild';
import { storeProvider } from './provider-store';
import { createReadThrough } from './read-through';
import { claimRefresh, peekCached } from './refresh-hooks';
import type { CachedProviderCatalog } from './schema';
import { seedCatalog } from './seed';

export type { CacheRead, CacheStatus, CatalogCacheDeps, FullCatalog } from './cache-context';

export type CatalogCache = ReturnType<typeof createCatalogCache>;

export function createCatalogCache(deps: CatalogCacheDeps) {
  prepareCatalogConnection(deps.redis);
  const ctx = createCacheContext(deps);
  const reads = createReadThrough(ctx);
  return {
    getProvider: reads.getProvider,
    getFull: () => getFullCatalog(ctx, reads.getProvider),
    rebuildPricing: (gen: string) => rebuildPricing(ctx, gen),
    seed: (names?: readonly string[]) => seedCatalog(ctx, names),
    state: () => readCacheState(ctx),
    loadFromSource: ctx.loadFromSource,
    store: (catalog: CachedProviderCatalog, gen: string, token = '') => storeProvider(ctx, catalog, gen, token),
    settled: reads.settled,
    peek: (names: readonly string[]) => peekCached(ctx, names),
    claimRefresh: (names: readonly string[]) => claimRefresh(ctx, names),
  };
}
