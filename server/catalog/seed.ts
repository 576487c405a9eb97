/**
 * Fills every key of the catalog namespace from the sources: the embedded start (only when no
 * provider is cached) and the tests begin from here. Not fenced (nothing is being invalidated when
 * it runs); one pipelined round trip after the fetches.
 */
import 'server-only';
import { execChecked } from '~/server/redis/exec';
import { mapLimit } from '~/server/lib/map-limit';
import type { CacheContext } from './cache-context';
import { pricingOf, providerListOf } from './derived-values';
import { encodeModelsHash } from './models-hash';
import type { PricingTable } from './schema';

export async function seedCatalog(ctx: CacheContext, names: readonly string[] = ctx.registry.names()): Promise<void> {
  const { keys } = ctx;
  const providers = await mapLimit(names, 8, ctx.loadFromSource);
  const pipeline = ctx.redis.pipeline();
  for (const p of providers) {
    const k = ctx.providerKeys(p.provider);
    const ttl = ctx.ttlMs();
    pipeline.del(k.models);
    pipeline.hset(k.models, encodeModelsHash(p));
    pipeline.pexpire(k.models, ttl);
    pipeline.set(k.pricing, JSON.stringify(pricingOf(p)), 'PX', ttl);
  }
  const table: PricingTable = Object.fromEntries(providers.map((p) => [p.provider, pricingOf(p)]));
  pipeline.set(keys.fullCatalog, JSON.stringify({ builtAt: ctx.now(), providers }), 'PX', ctx.ttlMs());
  pipeline.set(keys.providerList, JSON.stringify(providerListOf(providers)), 'PX', ctx.ttlMs());
  pipeline.set(keys.pricing, JSON.stringify(table), 'PX', ctx.ttlMs());
  await execChecked(pipeline);
  ctx.onChange({ reason: 'seeded', providers: names === ctx.registry.names() ? 'all' : [...names] });
}
