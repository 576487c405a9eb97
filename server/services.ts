/**
 * The app's services, built once per process on first use (never at import: `next build` imports
 * modules) and cached on globalThis so dev reloads do not leak Redis connections.
 */
import type { Redis } from 'ioredis';
import { createActivityFeed } from './activity/feed';
import { createCatalogCache } from './catalog/cache';
import { registryFromConfig, type ProviderRegistry } from './catalog/registry';
import { getEnv, type Env } from './env';
import { wireSecurity, type SecurityEnv } from './auth/wiring';
import { createInvalidationService } from './invalidation/service';
import { JobRunner } from './invalidation/runner';
import { connect } from './redis/connection';
import { adminKeys, catalogKeys } from './redis/keys';

export interface WiringOptions {
  adminRedis: Redis;
  catalogRedis: Redis;
  registry: ProviderRegistry;
  env: Pick<Env, 'CATALOG_PREFIX' | 'ADMIN_PREFIX' | 'CATALOG_TTL_SECONDS' | 'SESSION_TTL_SECONDS' | 'JOB_CONCURRENCY' | 'JOB_QUEUE_LIMIT' | 'INVALIDATION_BATCH_KEYS' | 'EVENTS_MAXLEN' | 'HISTORY_RETENTION_DAYS'> &
    SecurityEnv;
  /** Waits between attempts to record a failed job while Redis is down (tests shorten them). */
  retryDelaysMs?: number[];
}

/** Joins the domain pieces over given connections: the app and the tests wire them the same way. */
export function wireServices({ adminRedis, catalogRedis, registry, env, retryDelaysMs }: WiringOptions) {
  const keys = { catalog: catalogKeys(env.CATALOG_PREFIX), admin: adminKeys(env.ADMIN_PREFIX) };
  const activity = createActivityFeed(adminRedis, keys.admin.activity);
  const cache = createCatalogCache({
    redis: catalogRedis,
    keys: keys.catalog,
    registry,
    ttlSeconds: env.CATALOG_TTL_SECONDS,
    onChange: (change) => activity.publish({ kind: 'catalog', at: Date.now(), ...change }),
  });
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
    retryDelaysMs,
  });
  const security = wireSecurity(adminRedis, keys.admin, env, invalidation);
  return { adminRedis, catalogRedis, keys, registry, cache, runner, invalidation, activity, ...security };
}

export function createServices(env: Env) {
  const adminRedis = connect(env.REDIS_URL, 'catalog-admin');
  // Deletions get their own connection: a batch never queues behind event writes.
  const catalogRedis = connect(env.CATALOG_REDIS_URL ?? env.REDIS_URL, 'catalog-invalidator', { commandTimeout: 15_000 });
  const registry = registryFromConfig(env.PROVIDER_SOURCES);
  const services = wireServices({ adminRedis, catalogRedis, registry, env });
  return { env, ...services };
}

export type Services = ReturnType<typeof createServices>;

const holder = globalThis as unknown as { __catalogAdminServices?: Services };

export function getServices(): Services {
  holder.__catalogAdminServices ??= createServices(getEnv());
  return holder.__catalogAdminServices;
}
