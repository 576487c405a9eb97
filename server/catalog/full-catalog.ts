/**
 * The full catalog (every provider in one value) and the provider list, cache-aside under the
 * global generation and lease. A miss reads every provider in one round trip, rebuilds the missing
 * ones through the single-flight reads, and stores the whole through the global fence.
 *
 * The invariant that keeps a completed job's full catalog fresh, on one Redis, on a cluster and
 * beside an instance that has not heard of the job yet:
 * 1. A job deletes every provider copy (or marks it stale) and bumps every provider fence, on every
 *    node, before it moves the global fence and deletes the full catalog: on one Redis both are in
 *    the batch's MULTI; on a cluster the global operations are a second phase, sent once every
 *    provider operation has answered, resends included (server/invalidation/engine.ts, `globalsLast`).
 * 2. A full catalog is stored only if it was assembled from provider copies read from Redis (or
 *    fetched and stored through their fence) after its own miss, never from this process's
 *    in-process copies or a read begun before the miss, none of them stale or refused by its fence;
 *    and only if the global generation is still the one read at the miss (the fenced write).
 * So a miss at the new global generation can only see provider copies written after the job's
 * deletions. An instance that lags may still serve its own stale copy (within the in-process tier's
 * staleness bound) but never writes it to Redis. Cost: one round trip more for a cascade job on a
 * cluster; none on one Redis, none for a reader.
 */
import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from '~/server/lib/map-limit';
import { newToken, type CacheContext, type CacheRead, type FullCatalog } from './cache-context';
import { providerListOf } from './derived-values';
import { readString, writeStrings } from './fence';
import { readMany } from './provider-store';
import type { CachedProviderCatalog } from './schema';

/** What the assembly asks of the single-flight provider reads (read-through.ts). */
export interface ProviderReads {
  mark(): number;
  /** A provider read from Redis (or rebuilt) by a read begun after `since`: never an in-process copy. */
  fromRedis(name: string, since: number): Promise<CacheRead<CachedProviderCatalog>>;
}

/** The full catalog, with the global generation it was read at (the process tier keeps it by that). */
export async function getFullCatalog(ctx: CacheContext, reads: ProviderReads): Promise<CacheRead<FullCatalog> & { gen: string }> {
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
  const since = reads.mark();
  const names = ctx.registry.names();
  const copies = await readMany(ctx, names);
  const parts = await mapLimit(names, 8, async (name, i): Promise<CacheRead<CachedProviderCatalog>> => {
    const copy = copies[i];
    return copy?.catalog && copy.state === 'hit' ? { catalog: copy.catalog, cache: 'HIT' as const, ...(copy.held ? { held: true } : {}) } : reads.fromRedis(name, since);
  });
  // Which providers the guard holds rides in the value (and so in the process tier): no read of its own.
  const held = names.filter((_, i) => parts[i]?.held);
  const catalog: FullCatalog = { builtAt: ctx.now(), providers: parts.map((p) => p.catalog), ...(held.length ? { held } : {}) };
  if (parts.some((p) => p.cache === 'STALE')) return { catalog, cache: 'STALE', gen: full.gen };
  // A part fetched while an invalidation ran (its own write refused) is served, not stored.
  if (parts.some((p) => p.fenced)) return { catalog, cache: 'MISS', gen: full.gen, fenced: true };
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
