/**
 * The app's services, built once per process on first use (never at import: `next build` imports
 * modules) and cached on globalThis so dev reloads do not leak Redis connections. This is what the
 * transports (`server/trpc`, `server/http`, `app/`) import; the domains never do.
 */
import 'server-only';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import { getEnv, type Env } from '~/server/env';
import { connectCluster } from '~/server/redis/cluster';
import type { EventEmitter } from 'node:events';
import type { RedisOptions } from 'ioredis';
import { connect, type RedisClient } from '~/server/redis/connection';
import { wireServices } from './wiring';

/** Where the catalog lives: its own cluster or URL, else REDIS_CLUSTER_NODES, else REDIS_URL (the seed script connects the same way). */
export function catalogCluster(env: Env): string | undefined {
  return env.CATALOG_REDIS_CLUSTER_NODES ?? (env.CATALOG_REDIS_URL ? undefined : env.REDIS_CLUSTER_NODES);
}

export function connectCatalog(env: Env, name: string, overrides: RedisOptions = {}): RedisClient {
  const cluster = catalogCluster(env);
  return cluster ? connectCluster(cluster, name, overrides) : connect(env.CATALOG_REDIS_URL ?? env.REDIS_URL, name, overrides);
}

export function createServices(env: Env) {
  // REDIS_CLUSTER_NODES replaces REDIS_URL (and the catalog's, unless it has a cluster or URL of its own).
  const adminCluster = env.REDIS_CLUSTER_NODES;
  const adminRedis = adminCluster ? connectCluster(adminCluster, 'catalog-admin') : connect(env.REDIS_URL, 'catalog-admin');
  // Deletions get their own connection: a batch never queues behind event writes.
  const catalogRedis = connectCatalog(env, 'catalog-invalidator', { commandTimeout: 15_000 });
  const registry = registryFromConfig(env.PROVIDER_SOURCES);
  const sharedRedis = adminCluster || catalogCluster(env) ? catalogCluster(env) === adminCluster : !env.CATALOG_REDIS_URL || env.CATALOG_REDIS_URL === env.REDIS_URL;
  // The process metrics (CPU, memory, event loop, GC) once per process: this is the one real instance.
  const services = wireServices({ adminRedis, catalogRedis, registry, env, sharedRedis, processMetrics: true });
  const redisLog = services.log.child({ component: 'redis' });
  for (const [connection, redis] of [['admin', adminRedis], ['catalog', catalogRedis]] as const) {
    // Each reconnect attempt of a Redis that is down reports an error: counted, logged at debug only.
    (redis as EventEmitter).on('error', (err: Error) => {
      services.metrics.redisError(connection);
      redisLog.debug({ connection, err }, 'Redis connection error');
    });
  }
  return { env, ...services };
}

export type Services = ReturnType<typeof createServices>;

const holder = globalThis as unknown as { __catalogAdminServices?: Services };

export function getServices(): Services {
  holder.__catalogAdminServices ??= createServices(getEnv());
  return holder.__catalogAdminServices;
}

