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
import { claimRefresh, peekCached, publishProvider, reserveCached, snapshotCached, storeProvider, type WriteCause } from './provider-store';
import { decodeChanges, readChanges } from './history/log';
import { CHANGE_KINDS, type ChangesPage, type changesInputSchema } from './history/schema';
import { unknownProviders } from '~/server/lib/errors';
import type { z } from 'zod';

import { createProcessTier, FULL, type ProcessTier } from './process-tier';
import { createReadThrough } from './read-through';
import type { CachedProviderCatalog } from './schema';
import { seedCatalog } from './seed';
import { approveHeld, readHeld, rejectHeld, servedFields } from './held';
import { pricingOf } from './derived-values';
import type { Announcement } from '~/clients/node/instance-protocol';
import type { CacheRead, FullCatalog } from './cache-context';

export type { CacheRead, CacheStatus, CatalogCacheDeps, FullCatalog, Judge, Overlay, Verdict } from './cache-context';
export type { WriteCause, WriteOutcome } from './provider-store';

type ChangesQuery = z.output<typeof changesInputSchema>;

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
    publish: (catalog: CachedProviderCatalog, gen: string, token: string, basis: CachedProviderCatalog | null, cause?: WriteCause) => publishProvider(ctx, catalog, gen, token, basis, cause),
    settled: reads.settled,
    peek: (names: readonly string[]) => peekCached(ctx, names),
    snapshot: (names: readonly string[]) => snapshotCached(ctx, names),
    /** Each provider's held candidate and last published copy (held.ts), in one round trip. */
    held: (names: readonly string[] = ctx.registry.names()) => readHeld(ctx.redis, ctx.providerKeys, names),
    /** Publishes the held candidate named (held.ts), its changes recorded as approved `by`; live views and webhooks hear of it. */
    async approveHeld(provider: string, id: string, by = '') {
      // Readers get the candidate with the overrides applied: read it first (an approval is rare; one more round trip).
      const [read] = await readHeld(ctx.redis, ctx.providerKeys, [provider]);
      const candidate = read?.held?.id === id ? read.held.candidate : null;
      const served = candidate ? await ctx.serve(candidate) : null;
      const fields = { ...servedFields(candidate, served), servedPricing: served && served !== candidate ? JSON.stringify(pricingOf(served)) : '' };
      const at = ctx.changes.now();
      const { result, changes } = await approveHeld(ctx.redis, ctx.providerKeys(provider), id, ctx.ttlMs(), { by, at, retentionMs: ctx.changes.retentionMs }, fields);
      if (result !== 'ok') return result;
      dropCopy(provider);
      ctx.onChange({ reason: 'reviewed', providers: [provider] });
      const decoded = decodeChanges(changes);
      if (decoded.changes.length) ctx.onCatalogEvent({ type: 'catalog.changed', provider, publication: id, via: 'approval', job: decoded.job, approvedBy: by || null, at, changes: decoded.changes });
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
    /**
     * One page of the catalog's history (history/log.ts), newest first, within its retention: one
     * provider's or every configured one's, one kind or all. `catalog.changes` answers it.
     */
    async changes({ provider, kind, cursor, limit }: ChangesQuery): Promise<ChangesPage> {
      if (provider && !ctx.registry.has(provider)) throw unknownProviders([provider]);
      const page = await readChanges(ctx.redis, ctx.keys.providerChanges, {
        providers: provider ? [provider] : ctx.registry.names(),
        kinds: kind ? [kind] : CHANGE_KINDS,
        ...(cursor ? { cursor } : {}),
        limit,
        sinceMs: ctx.changes.now() - ctx.changes.retentionMs,
      });
      return { ...page, retentionDays: Math.round(ctx.changes.retentionMs / 86_400_000) };
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
