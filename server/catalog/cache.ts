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
import { claimRefresh, peekCached, publishProvider, reserveCached, snapshotCached, storeProvider } from './provider-store';
import { createProcessTier, FULL, type ProcessTier } from './process-tier';
import { createReadThrough } from './read-through';
import type { CachedProviderCatalog } from './schema';
import { seedCatalog } from './seed';
import { approveHeld, readHeld, rejectHeld, servedFields } from './held';
import { pricingOf } from './derived-values';
import type { Announcement } from '~/clients/node/instance-protocol';
import type { CacheRead, FullCatalog } from './cache-context';

export type { CacheRead, CacheStatus, CatalogCacheDeps, FullCatalog, Judge, Overlay, Verdict } from './cache-context';
export type { WriteOutcome } from './provider-store';

export type CatalogCache = ReturnType<typeof createCatalogCache>;

export function createCatalogCache(deps: CatalogCacheDeps) {
  prepareCatalogConnection(deps.redis);
  const ctx = createCacheContext(deps);
  // No channel attached yet: the tier serves nothing until the composition root attaches one.
  const tier: ProcessTier | null = deps.tier && deps.tier.maxEntries > 0 ? createProcessTier(deps.tier) : null;
  const reads = createReadThrough(ctx, tier);

  async function getFull(): Promise<CacheRead<FullCatalog>> {
    const held = tier?.get<FullCatalog>(FULL);
    if (held) return { catalog: held, cache: 'HIT', tier: 'process' };
    const ticket = tier?.begin(FULL);
    const { gen, ...read } = await getFullCatalog(ctx, reads);
    if (ticket && (read.cache === 'HIT' || (read.cache === 'MISS' && !read.fenced))) tier?.put(ticket, read.catalog, gen, null);
    return read;
  }

  /** A copy changed without an invalidation (an approval, overrides): this process's copy and the reads in flight for it go. */
  function dropCopy(provider: string): void {
    tier?.drop(provider);
    reads.forget(provider);
  }

  /** Drops this process's copies an announcement names, and the reads in flight for them (before the ack). */
  function applyAnnouncement(a: Announcement): void {
    tier?.apply(a);
    for (const name of Object.keys(a.providers)) reads.forget(name);
  }

  return {
    getProvider: async (name: string): Promise<CacheRead<CachedProviderCatalog>> => {
      const { gen: _gen, ...read } = await reads.getProvider(name);
      return read;
    },
    getFull,
    tier,
    applyAnnouncement,
    /** The channel was lost: drop every copy. */
    flushTier: () => tier?.flush(),
    holdings: () => tier?.holdings() ?? { entries: 0, bytes: 0 },
    rebuildPricing: (gen: string) => rebuildPricing(ctx, gen),
    seed: (names?: readonly string[]) => seedCatalog(ctx, names),
    state: () => readCacheState(ctx),
    loadFromSource: ctx.loadFromSource,
    /** An unjudged fenced write (tests that stage a race); writes from a source use `publish`. */
    store: (catalog: CachedProviderCatalog, gen: string, token = '') => storeProvider(ctx, catalog, gen, token),
    /** A job's write from a source: judged by the guard against `basis`, then published or held (provider-store.ts). */
    publish: (catalog: CachedProviderCatalog, gen: string, token: string, basis: CachedProviderCatalog | null) => publishProvider(ctx, catalog, gen, token, basis),
    settled: reads.settled,
    peek: (names: readonly string[]) => peekCached(ctx, names),
    snapshot: (names: readonly string[]) => snapshotCached(ctx, names),
    /** Each provider's held candidate and last published copy (held.ts), in one round trip. */
    held: (names: readonly string[] = ctx.registry.names()) => readHeld(ctx.redis, ctx.providerKeys, names),
    /** Publishes the held candidate named (held.ts); live views hear of it. */
    async approveHeld(provider: string, id: string) {
      // Readers get the candidate with the overrides applied: read it first (an approval is rare; one more round trip).
      const [read] = await readHeld(ctx.redis, ctx.providerKeys, [provider]);
      const candidate = read?.held?.id === id ? read.held.candidate : null;
      const served = candidate ? await ctx.serve(candidate) : null;
      const fields = { ...servedFields(candidate, served), servedPricing: served && served !== candidate ? JSON.stringify(pricingOf(served)) : '' };
      const result = await approveHeld(ctx.redis, ctx.providerKeys(provider), id, ctx.ttlMs(), fields);
      if (result === 'ok') {
        dropCopy(provider);
        ctx.onChange({ reason: 'reviewed', providers: [provider] });
      }
      return result;
    },
    /**
     * The overrides of `provider` changed: its fresh cached copy gets them now (provider-store.ts
     * `reserveCached`), and this process's copy is dropped. True if the cached copy was rewritten.
     */
    async reapplyOverrides(provider: string) {
      const rewritten = await reserveCached(ctx, provider);
      dropCopy(provider);
      return rewritten;
    },
    /** Discards the held candidate named; live views hear of it. */
    async rejectHeld(provider: string, id: string) {
      const discarded = await rejectHeld(ctx.redis, ctx.providerKeys(provider), id);
      if (discarded) ctx.onChange({ reason: 'reviewed', providers: [provider] });
      return discarded;
    },
    claimRefresh: (names: readonly string[]) => claimRefresh(ctx, names),
  };
}
