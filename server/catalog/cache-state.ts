/** The cache state admins see per provider (cached, stale, keys, TTL, cached-at, model count), in one round trip. */
import 'server-only';
import { execChecked } from '~/server/redis/exec';
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
  const replies = await execChecked(pipeline);
  return names.map((name, i) => {
    const hash = decodeModelsHash(zipFields(STATE_FIELDS, replies[i * 3] as (string | null)[]));
    const ttl = replies[i * 3 + 1] as number;
    const present = replies[i * 3 + 2] as number;
    const source = registry.get(name);
    const cached = ttl !== -2;
    return {
      name,
      displayName: source?.displayName ?? name,
      source: source?.description ?? '',
      cached,
      stale: cached && hash.stale,
      keys: present,
      keysTotal: keys.providerKeys(name).length,
      ttlMs: cached && ttl >= 0 ? ttl : null,
      cachedAt: cached ? hash.cachedAt : null,
      modelCount: cached ? hash.modelCount : null,
    };
  });
}
