/**
 * Rebuilds global pricing from the sources after an invalidation of `cacheType: "all"`, fenced by
 * the global generation the invalidation's own batch set (`gen`): a newer invalidation's rebuild is
 * never overwritten by this one. With the catalog guard wired, each answer is judged against the
 * provider's last published copy first, and one the guard would hold contributes the published
 * prices instead (the global table never quotes a held price). Cost: one source fetch per provider
 * (8 at a time), one round trip, and one more for the published copies when the guard is on.
 */
import 'server-only';
import { mapLimit } from '~/server/lib/map-limit';
import type { CacheContext } from './cache-context';
import { pricingOf } from './derived-values';
import { writeStrings } from './fence';
import { readMany } from './provider-store';
import type { PricingTable } from './schema';

export async function rebuildPricing(ctx: CacheContext, gen: string): Promise<boolean> {
  const { keys, judge } = ctx;
  const names = ctx.registry.names();
  const [providers, bases] = await Promise.all([mapLimit(names, 8, ctx.loadFromSource), judge ? readMany(ctx, names, 2) : null]);
  const priced = await mapLimit(providers, 8, async (p, i) => {
    const basis = bases?.[i]?.basis ?? null;
    // Judged as the source answered; priced as readers get it (the overrides applied).
    if (!judge || !(await judge(p.provider, basis, p)).hold.length) return pricingOf(await ctx.serve(p));
    return basis ? pricingOf(await ctx.serve(basis)) : null;
  });
  const table: PricingTable = {};
  providers.forEach((p, i) => {
    const prices = priced[i];
    if (prices) table[p.provider] = prices;
  });
  return writeStrings(ctx.redis, { genKey: keys.globalGeneration, leaseKey: keys.globalLease, gen, token: '' }, [[keys.pricing, JSON.stringify(table)]], ctx.ttlMs());
}
