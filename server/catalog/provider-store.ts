/**
 * A provider's copy in Redis: the fenced write every rebuild goes through, and the lease-free read
 * of many providers at once (one pipelined round trip).
 */
import 'server-only';
import { keyedBatch } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import type { CacheContext } from './cache-context';
import { pricingOf } from './derived-values';
import { parseProviderRead, prepareCatalogConnection, queueProviderRead, writeProvider, type ProviderReadReply } from './fence';
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

/** Every provider's cached value in one round trip (one per node, in parallel, on a cluster), taking no lease. */
export async function readMany(ctx: CacheContext, names: readonly string[]): Promise<ProviderReadReply[]> {
  return (await execChecked(queueReads(ctx, names, () => ''))).map(parseProviderRead);
}

/** One read script per provider (its keys share the models key's slot), `token(i)` for the lease if wanted. */
export function queueReads(ctx: CacheContext, names: readonly string[], token: (i: number) => string, wantLease = false) {
  const batch = keyedBatch(ctx.redis);
  names.forEach((name, i) => {
    const keys = ctx.providerKeys(name);
    batch.add(keys.models, (t) => queueProviderRead(t, keys, token(i), ctx.leaseMs, wantLease), prepareCatalogConnection);
  });
  return batch;
}
