/**
 * The full catalog (every provider in one value) and the provider list, cache-aside under the
 * global generation and lease. A miss reads every provider in one round trip, rebuilds the missing
 * ones through the single-flight reads, and stores the whole through the global fence. A catalog
 * assembled from stale providers is served, not stored: it would outlive their refresh.
 */
import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from '~/server/lib/map-limit';
import { newToken, type CacheContext, type CacheRead, type FullCatalog } from './cache-context';
import { providerListOf } from './derived-values';
import { readString, writeStrings } from './fence';
import { readMany } from './provider-store';
import type { CachedProviderCatalog } from './schema';

/** The full catalog, with the global generation it was read at (the process tier keeps it by that). */
export async function getFullCatalog(ctx: CacheContext, getProvider: (name: string) => Promise<CacheRead<CachedProviderCatalog>>): Promise<CacheRead<FullCatalog> & { gen: string }> {
  const { redis, keys } = ctx;
  const token = newToken();
  const read = () => readString(redis, keys.fullCatalog, keys.globalGeneration, keys.globalLease, token, ctx.leaseMs);
  let full = await read();
  const deadline = ctx.now() + ctx.waitMs;
  for (let delay = 10; full.state === 'miss' && !full.leased && ctx.now() < deadline; delay = Math.min(delay * 2, 100)) {
    await sleep(delay);
    full = await read();
  }
  if (full.state === 'hit') return { catalog: JSON.parse(full.value) as FullCatalog, cache: 'HIT', gen: full.gen };
  const names = ctx.registry.names();
  const reads = await readMany(ctx, names);
  const parts = await mapLimit(names, 8, async (name, i) => {
    const cached = reads[i]?.catalog;
    return cached && reads[i]?.state === 'hit' ? { catalog: cached, cache: 'HIT' as const } : getProvider(name);
  });
  const catalog: FullCatalog = { builtAt: ctx.now(), providers: parts.map((p) => p.catalog) };
  if (parts.some((p) => p.cache === 'STALE')) return { catalog, cache: 'STALE', gen: full.gen };
  const stored = await writeStrings(
    redis,
    { genKey: keys.globalGeneration, leaseKey: keys.globalLease, gen: full.gen, token: full.leased ? token : '' },
    [
      [keys.fullCatalog, JSON.stringify(catalog)],
      [keys.providerList, JSON.stringify(providerListOf(catalog.providers))],
    ],
    ctx.ttlMs(),
  );
  if (!stored) ctx.onFenced('full');
  return { catalog, cache: 'MISS', gen: full.gen, ...(stored ? {} : { fenced: true }) };
}
