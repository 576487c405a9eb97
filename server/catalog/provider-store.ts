/**
 * A provider's copy in Redis: the fenced write every rebuild goes through, and the lease-free read
 * of many providers at once (one pipelined round trip).
 */
import 'server-only';
import { execChecked } from '~/server/redis/exec';
import type { CacheContext } from './cache-context';
import { pricingOf } from './derived-values';
import { parseProviderRead, queueProviderRead, writeProvider, type ProviderReadReply } from './fence';
import type { CachedProviderCatalog } from './schema';

/** Stores a catalog only if the provider's generation is still `gen`; releases the lease if `token` holds it. */
export async function storeProvider(ctx: CacheContext, catalog: CachedProviderCatalog, gen: string, token = ''): Promise<boolean> {
  const stored = await writeProvider(ctx.redis, ctx.providerKeys(catalog.provider), {
    gen,
    token,
    ttlMs: ctx.ttlMs(),
    catalog,
    pricing: JSON.stringify(pricingOf(catalog)),
  });
  if (stored) ctx.onChange({ reason: 'rebuilt', providers: [catalog.provider] });
  else ctx.onFenced('provider');
  return stored;
}

/** Every provider's cached value in one round trip, taking no lease. */
export async function readMany(ctx: CacheContext, names: readonly string[]): Promise<ProviderReadReply[]> {
  const pipeline = ctx.redis.pipeline();
  for (const name of names) queueProviderRead(pipeline, ctx.providerKeys(name), '', ctx.leaseMs, false);
  return (await execChecked(pipeline)).map(parseProviderRead);
}
