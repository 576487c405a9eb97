import { createCatalogCache } from '~/server/catalog/cache';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import type { Env } from '~/server/env';
import { connectCatalog } from '~/server/app/services';
import { catalogKeys } from '~/server/redis/keys';

/**
 * Seeds the catalog only when no provider is cached: pointed at a live gateway's Redis, the start
 * must never overwrite its catalog. Returns how many providers were seeded (0 when none).
 */
export async function seedIfEmpty(env: Env, force = false): Promise<number> {
  // The catalog's own Redis as the app connects to it: a cluster too (the seed groups its writes by node).
  const redis = connectCatalog(env, 'catalog-seed');
  try {
    const registry = registryFromConfig(env.PROVIDER_SOURCES);
    const cache = createCatalogCache({ redis, keys: catalogKeys(env.CATALOG_PREFIX), registry, ttlSeconds: env.CATALOG_TTL_SECONDS, leaseMs: env.REBUILD_LEASE_MS, waitMs: env.REBUILD_WAIT_MS });
    if (!force && (await cache.state()).some((p) => p.cached)) return 0;
    await cache.seed();
    return registry.names().length;
  } finally {
    redis.disconnect();
  }
}
