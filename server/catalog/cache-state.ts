/** The cache state admins see per provider (cached, stale, held, keys, TTL, cached-at, model count), in one round trip (one per node, in parallel, on a cluster). */
import 'server-only';
import { keyedBatch } from '~/server/redis/cluster';
import type { CacheContext } from './cache-context';
import { decodeModelsHash, STATE_FIELDS, zipFields } from './models-hash';
import type { ProviderCacheState } from './schema';

export async function readCacheState(ctx: CacheContext): Promise<ProviderCacheState[]> {
  const { keys, registry } = ctx;
  const names = registry.names();
  // One pipeline on one server, one per node on a cluster: a provider's keys may span slots in a
  // gateway's own layout, so each is asked on its own (EXISTS of one key).
  const batch = keyedBatch(ctx.redis);
  // Where each provider's replies start, and where its layout extras (size, index count) are.
  const starts: number[] = [];
  const extras: number[] = [];
  for (const name of names) {
    const models = keys.providerModels(name);
    starts.push(batch.length);
    batch.add(models, (t) => t.hmget(models, ...STATE_FIELDS));
    batch.add(models, (t) => t.pttl(models));
    for (const key of keys.providerKeys(name)) batch.add(key, (t) => t.exists(key));
    // The guard holds a candidate: in the models key's slot, so no extra round trip.
    const held = keys.providerHeld(name);
    batch.add(held, (t) => t.exists(held));
  }
  // A gateway's own layout (CATALOG_KEYS): its values may be in any format; size and index count too.
  const custom = keys.layout === 'custom';
  if (custom) {
    for (const name of names) {
      const models = keys.providerModels(name);
      extras.push(batch.length);
      batch.add(models, (t) => t.memory('USAGE', models));
      const index = keys.modelIndex?.(name);
      if (index) batch.add(index, (t) => t.scard(index));
    }
  }
  // HMGET of a value that is not a hash (a JSON string) answers WRONGTYPE: not ours, nothing wrong.
  const hmgets = new Set(starts);
  const replies = (await batch.exec()).map(([err, reply], i) => {
    if (err && !(hmgets.has(i) && /WRONGTYPE/.test(err.message))) throw err;
    return err ? null : reply;
  });
  return names.map((name, i) => {
    const base = starts[i] as number;
    const fields = replies[base] as (string | null)[] | null;
    const hash = decodeModelsHash(zipFields(STATE_FIELDS, fields ?? []));
    const ttl = replies[base + 1] as number;
    const total = keys.providerKeys(name).length;
    const present = replies.slice(base + 2, base + 2 + total).reduce<number>((n, r) => n + Number(r), 0);
    const held = Number(replies[base + 2 + total]) === 1;
    const source = registry.get(name);
    const cached = ttl !== -2;
    const ours = cached && fields !== null && hash.cachedAt !== null;
    const at = extras[i] as number;
    const layoutFields = custom
      ? {
          format: cached ? (ours ? ('ours' as const) : ('theirs' as const)) : null,
          sizeBytes: cached ? ((replies[at] as number | null) ?? null) : null,
          ...(keys.modelIndex ? { modelKeys: replies[at + 1] as number } : {}),
        }
      : {};
    return {
      ...layoutFields,
      name,
      displayName: source?.displayName ?? name,
      source: source?.description ?? '',
      cached,
      stale: cached && hash.stale,
      held,
      keys: present,
      keysTotal: keys.providerKeys(name).length,
      ttlMs: cached && ttl >= 0 ? ttl : null,
      cachedAt: cached ? hash.cachedAt : null,
      modelCount: cached ? (ours ? hash.modelCount : custom && keys.modelIndex ? (replies[at + 1] as number) : null) : null,
    };
  });
}
