/**
 * Rebuilds global pricing from the sources after an invalidation of `cacheType: "all"`, fenced by
 * the global generation the invalidation's own batch set (`gen`): a newer invalidation's rebuild is
 * never overwritten by this one. Cost: one source fetch per provider (8 at a time), one round trip.
 */
import 'server-only';
import { mapLimit } from '~/server/lib/map-limit';
import type { CacheContext } from './cache-context';
import { pricingOf } from './derived-values';
import { writeStrings } from './fence';
import type { PricingTable } from './schema';

export async function rebuildPricing(ctx: CacheContext, gen: string): Promise<boolean> {
  const { keys } = ctx;
  const providers = await mapLimit(ctx.registry.names(), 8, ctx.loadFromSource);
  const table: PricingTable = {};
  for (const p of providers) table[p.provider] = pricingOf(p);
  return writeStrings(ctx.redis, { genKey: keys.globalGeneration, leaseKey: keys.globalLease, gen, token: '' }, [[keys.pricing, JSON.stringify(table)]], ctx.ttlMs());
}
