/**
 * The app's services, built once per process on first use (never at import: `next build` imports
 * modules) and cached on globalThis so dev reloads do not leak Redis connections.
 */
import { createCatalogCache } from './catalog/cache';
import { registryFromConfig } from './catalog/registry';
import { getEnv, type Env } from './env';
import { createSessionStore } from './auth/sessions';
import { createInvalidationService } from './invalidation/service';
import { JobRunner } from './invalidation/runner';
import { connect } from './redis/connection';
import { adminKeys, catalogKeys } from './redis/keys';

export function createServices(env: Env) {
  const adminRedis = connect(env.REDIS_URL, 'catalog-admin');
  // Deletions get their own connection: a long pipeline never queues behind event writes.
  const catalogRedis = connect(env.CATALOG_REDIS_URL ?? env.REDIS_URL, 'catalog-invalidator', { commandTimeout: 15_000 });
  const keys = { catalog: catalogKeys(env.CATALOG_PREFIX), admin: adminKeys(env.ADMIN_PREFIX) };
  const registry = registryFromConfig(env.PROVIDER_SOURCES);
  const cache = createCatalogCache({ redis: catalogRedis, keys: keys.catalog, registry, ttlSeconds: env.CATALOG_TTL_SECONDS });
  const runner = new JobRunner(env.JOB_CONCURRENCY, env.JOB_QUEUE_LIMIT);
  const invalidation = createInvalidationService({
    adminRedis,
    catalogRedis,
    adminKeys: keys.admin,
    catalogKeys: keys.catalog,
    registry,
    cache,
    runner,
    config: {
      maxKeysPerBatch: env.INVALIDATION_BATCH_KEYS,
      eventsMaxLen: env.EVENTS_MAXLEN,
      retentionSeconds: env.HISTORY_RETENTION_DAYS * 86400,
    },
  });
  const sessions = createSessionStore(adminRedis, keys.admin, env.SESSION_TTL_SECONDS);
  return { env, adminRedis, catalogRedis, keys, registry, cache, runner, invalidation, sessions };
}

export type Services = ReturnType<typeof createServices>;

const holder = globalThis as unknown as { __catalogAdminServices?: Services };

export function getServices(): Services {
  holder.__catalogAdminServices ??= createServices(getEnv());
  return holder.__catalogAdminServices;
}
