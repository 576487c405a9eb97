/**
 * Fills every key of the catalog namespace from the sources: the embedded start (only when no
 * provider is cached) and the tests begin from here. Not fenced (nothing is being invalidated when
 * it runs); one pipelined round trip after the fetches.
 */
import 'server-only';
import { keyedBatch } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import { mapLimit } from '~/server/lib/map-limit';
import type { CacheContext } from './cache-context';
import { pricingOf, providerListOf } from './derived-values';
import { encodeModelsHash } from './models-hash';
import type { PricingTable } from './schema';

export async function seedCatalog(ctx: CacheContext, names: readonly string[] = ctx.registry.names()): Promise<void> {
  const { keys } = ctx;
  const answers = await mapLimit(names, 8, ctx.loadFromSource);
  // Readers get the answers with the overrides applied; the guard's baseline is the answers themselves.
  const providers = await mapLimit(answers, 8, ctx.serve);
  // One pipeline on one server; on a cluster one per node (the keys span slots).
  const batch = keyedBatch(ctx.redis);
  providers.forEach((p, i) => {
    const k = ctx.providerKeys(p.provider);
    const ttl = ctx.ttlMs();
    const hash = encodeModelsHash(p);
    const published = encodeModelsHash(answers[i] ?? p);
    batch.add(k.models, (t) => t.del(k.models));
    batch.add(k.models, (t) => t.hset(k.models, hash));
    batch.add(k.models, (t) => t.pexpire(k.models, ttl));
    // The seed publishes: the guard's baseline is what was seeded, and nothing stays held.
    batch.add(k.published, (t) => t.del(k.published));
    batch.add(k.published, (t) => t.hset(k.published, published));
    batch.add(k.held, (t) => t.del(k.held));
    batch.add(k.pricing, (t) => t.set(k.pricing, JSON.stringify(pricingOf(p)), 'PX', ttl));
  });
  const table: PricingTable = Object.fromEntries(providers.map((p) => [p.provider, pricingOf(p)]));
  const globals: [string, string][] = [
    [keys.fullCatalog, JSON.stringify({ builtAt: ctx.now(), providers })],
    [keys.providerList, JSON.stringify(providerListOf(providers))],
    [keys.pricing, JSON.stringify(table)],
  ];
  for (const [key, value] of globals) batch.add(key, (t) => t.set(key, value, 'PX', ctx.ttlMs()));
  await execChecked(batch);
  ctx.onChange({ reason: 'seeded', providers: names === ctx.registry.names() ? 'all' : [...names] });
}
