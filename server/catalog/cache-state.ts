/** The cache state admins see per provider (cached, stale, keys, TTL, cached-at, model count), in one round trip. */
import 'server-only';
import type { CacheContext } from './cache-context';
import { decodeModelsHash, STATE_FIELDS, zipFields } from './models-hash';
import type { ProviderCacheState } from './schema';

export async function readCacheState(ctx: CacheContext): Promise<ProviderCacheState[]> {
  const { keys, registry } = ctx;
  const names = registry.names();
  const pipeline = ctx.redis.pipeline();
  for (const name of names) {
    pipeline.hmget(keys.providerModels(name), ...STATE_FIELDS);
    pipeline.pttl(keys.providerModels(name));
    pipeline.exists(...keys.providerKeys(name));
  }
  // A gateway's own layout (CATALOG_KEYS): its values may be in any format; size and index count too.
  const custom = keys.layout === 'custom';
  if (custom) {
    for (const name of names) {
      pipeline.memory('USAGE', keys.providerModels(name));
      if (keys.modelIndex) pipeline.scard(keys.modelIndex(name));
    }
  }
  // HMGET of a value that is not a hash (a JSON string) answers WRONGTYPE: not ours, nothing wrong.
  const raw = (await pipeline.exec()) ?? [];
  const replies = raw.map(([err, reply], i) => {
    if (err && !(i < names.length * 3 && i % 3 === 0 && /WRONGTYPE/.test(err.message))) throw err;
    return err ? null : reply;
  });
  const extra = custom ? (keys.modelIndex ? 2 : 1) : 0;
  return names.map((name, i) => {
    const fields = replies[i * 3] as (string | null)[] | null;
    const hash = decodeModelsHash(zipFields(STATE_FIELDS, fields ?? []));
    const ttl = replies[i * 3 + 1] as number;
    const present = replies[i * 3 + 2] as number;
    const source = registry.get(name);
    const cached = ttl !== -2;
    const ours = cached && fields !== null && hash.cachedAt !== null;
    const at = names.length * 3 + i * extra;
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
      keys: present,
      keysTotal: keys.providerKeys(name).length,
      ttlMs: cached && ttl >= 0 ? ttl : null,
      cachedAt: cached ? hash.cachedAt : null,
      modelCount: cached ? (ours ? hash.modelCount : custom && keys.modelIndex ? (replies[at + 1] as number) : null) : null,
    };
  });
}
