/**
 * The app's services, built once per process on first use (never at import: `next build` imports
 * modules) and cached on globalThis so dev reloads do not leak Redis connections.
 */
// @ts-nocheck

import type { Redis } from 'ioredis';
import { createActivityFeed } from './activity/feed';
import { createCatalogCache } from './catalog/cache';
import { registryFromConfig, type ProviderRegistry } from './catalog/registry';
import { getEnv, type Env } from './env';
import { authenticate } from './auth/authenticate';
import { createSessionStore } from './auth/sessions';
import { createInvalidationService } from './invalidation/service';
import { JobRunner } from './invalidation/runner';
import { connect } from './redis/connection';
import { adminKeys, catalogKeys } from './redis/keys';

export interface WiringOptions {
  adminRedis: Redis;
  catalogRedis: Redis;
  registry: ProviderRegistry;
  env: Pick<
    Env,
    | 'CATALOG_PREFIX'
    | 'ADMIN_PREFIX'
    | 'CATALOG_TTL_SECONDS'
    | 'SESSION_TTL_SECONDS'
    | 'JOB_CONCURRENCY'
    | 'JOB_QUEUE_LIMIT'
    | 'INVALIDATION_BATCH_KEYS'
    | 'EVENTS_MAXLEN'
    | 'HISTORY_RETENTION_DAYS'
    | 'JOB_LEASE_MS'
    | 'REBUILD_LEASE_MS'
    | 'REBUILD_WAIT_MS'
  >;
  /** The catalog lives in the jobs' Redis (same server): a job's `started` write rides in its batch. */
  sharedRedis: boolean;
  /** Waits between attempts to record a failed job while Redis is down (tests shorten them). */
  retryDelaysMs?: number[];
  instanceId?: string;
  /** The clock of jobs and leases (tests pin it). */
  now?: () => number;
}

/** Joins the domain pieces over given connections: the app and the tests wire them the same way. */
export function wireServices({ adminRedis, catalogRedis, registry, env, sharedRedis, retryDelaysMs, instanceId, now }: WiringOptions) {
  const keys = { catalog: catalogKeys(env.CATALOG_PREFIX), admin: adminKeys(env.ADMIN_PREFIX) };
  /** Aborted by `shutdown`: live streams end with an error their clients resume from on another instance. */
  const closing = new AbortController();
  const activity = createActivityFeed(adminRedis, keys.admin.activity, closing.signal);
  const cache = createCatalogCache({
    redis: catalogRedis,
    keys: keys.catalog,
    registry,
    ttlSeconds: env.CATALOG_TTL_SECONDS,
    leaseMs: env.REBUILD_LEASE_MS,
    waitMs: env.REBUILD_WAIT_MS,
    onChange: (change) => activity.publish({ kind: 'catalog', at: Date.now(), ...change }),
  });
  const runner = new JobRunner(env.JOB_CONCURRENCY, env.JOB_QUEUE_LIMIT);
  const invalidation = createInvalidationService({
    adminRedis,
    catalogRedis,
    sharedRedis,
    closing: closing.signal,
    instanceId,
    now,
    adminKeys: keys.admin,
    catalogKeys: keys.catalog,
    registry,
    cache,
    runner,
    config: {
      maxKeysPerBatch: env.INVALIDATION_BATCH_KEYS,
      eventsMaxLen: env.EVENTS_MAXLEN,
      retentionSeconds: env.HISTORY_RETENTION_DAYS * 86400,
      leaseMs: env.JOB_LEASE_MS,
    },
    retryDelaysMs,
  });
  const sessions = createSessionStore(adminRedis, keys.admin, env.SESSION_TTL_SECONDS);

  /**
   * Graceful stop: no new jobs (503), live streams end so their clients resume elsewhere, queued jobs'
   * leases are released at once, running ones get `graceMs` to finish before theirs are released.
   */
  async function shutdown(graceMs: number): Promise<void> {
    closing.abort();
    await Promise.all([invalidation.worker.shutdown(graceMs), cache.settled()]);
  }

  return { adminRedis, catalogRedis, keys, registry, cache, runner, invalidation, sessions, activity, shutdown };
}

export function createServices(env: Env) {
  const adminRedis = connect(env.REDIS_URL, 'catalog-admin');
  // Deletions get their own connection: a batch never queues behind event writes.
  const catalogRedis = connect(env.CATALOG_REDIS_URL ?? env.REDIS_URL, 'catalog-invalidator', { commandTimeout: 15_000 });
  const registry = registryFromConfig(env.PROVIDER_SOURCES);
  const sharedRedis = !env.CATALOG_REDIS_URL || env.CATALOG_REDIS_URL === env.REDIS_URL;
  const services = wireServices({ adminRedis, catalogRedis, registry, env, sharedRedis });
  /** Who is calling (token or session), for the tRPC context and the REST routes alike. */
  const authenticateRequest = (headers: Headers) => authenticate(headers, { adminToken: env.ADMIN_TOKEN, sessions: services.sessions });
  return { env, ...services, authenticate: authenticateRequest };
}

export type Services = ReturnType<typeof createServices>;

const holder = globalThis as unknown as { __catalogAdminServices?: Services };

export function getServices(): Services {
  holder.__catalogAdminServices ??= createServices(getEnv());
  return holder.__catalogAdminServices;
}

/**
 * For `instrumentation.ts`: starts the job worker (lease renewal, takeover of crashed instances'
 * jobs) when the server starts, not on its first request, and stops gracefully on SIGTERM. With
 * NEXT_MANUAL_SIG_HANDLE=true (npm start sets it) Next leaves the signal to us, so the process
 * exits only once leases are released; without it, Next may exit first and the leases expire instead.
 */
export function runInstance(): void {
  const services = getServices();
  services.invalidation.worker.start();
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[server] ${signal}: finishing running jobs (up to ${services.env.SHUTDOWN_GRACE_MS} ms), releasing leases`);
    const exit = () => {
      services.adminRedis.disconnect();
      services.catalogRedis.disconnect();
      process.exit(0);
    };
    services.shutdown(services.env.SHUTDOWN_GRACE_MS).then(exit, exit);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
