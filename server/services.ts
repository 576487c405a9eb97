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
import { createScheduleService } from './schedule/service';
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
    | 'COALESCE_WINDOW_MS'
    | 'REBUILD_LEASE_MS'
    | 'REBUILD_WAIT_MS'
  > &
    SecurityEnv &
    Partial<Pick<Env, 'REFRESH_TIMEOUT_MS' | 'SCHEDULE_TICK_MS' | 'SCHEDULE_MIN_INTERVAL_SECONDS' | 'SCHEDULE_CLAIM_MS'>>;
  /** The catalog lives in the jobs' Redis (same server): a job's `started` write rides in its batch. */
  sharedRedis: boolean;
  /** Waits between attempts to record a failed job while Redis is down (tests shorten them). */
  retryDelaysMs?: number[];
  instanceId?: string;
  /** How long a schedule's claim holds before another instance may fire it (tests shorten it). */
  scheduleLeaseMs?: number;
  /** The clock of jobs and leases (tests pin it). */
  now?: () => number;
}

/** Joins the domain pieces over given connections: the app and the tests wire them the same way. */
export function wireServices({ adminRedis, catalogRedis, registry, env, sharedRedis, retryDelaysMs, instanceId, scheduleLeaseMs, now }: WiringOptions) {
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
      coalesceWindowMs: env.COALESCE_WINDOW_MS,
      refreshTimeoutMs: env.REFRESH_TIMEOUT_MS,
    },
    retryDelaysMs,
  });
  const security = wireSecurity(adminRedis, keys.admin, env, invalidation);
  const schedules = createScheduleService({
    redis: adminRedis,
    keys: keys.admin,
    registry,
    startJob: (request, actor) => invalidation.start(request, actor, 'schedule'),
    now,
    config: { minIntervalSeconds: env.SCHEDULE_MIN_INTERVAL_SECONDS ?? 60, tickMs: env.SCHEDULE_TICK_MS ?? 5000, leaseMs: scheduleLeaseMs ?? env.SCHEDULE_CLAIM_MS },
    onChange: () => activity.publish({ kind: 'schedules', at: Date.now() }),
  });

  /**
   * Graceful stop: no new jobs (503), live streams end so their clients resume elsewhere, queued jobs'
   * leases are released at once, running ones get `graceMs` to finish before theirs are released.
   */
  async function shutdown(graceMs: number): Promise<void> {
    closing.abort();
    await Promise.all([invalidation.worker.shutdown(graceMs), cache.settled(), schedules.scheduler.stop()]);
  }

  return { adminRedis, catalogRedis, keys, registry, cache, runner, invalidation, activity, schedules, shutdown, ...security };
}

export function createServices(env: Env) {
  const adminRedis = connect(env.REDIS_URL, 'catalog-admin');
  // Deletions get their own connection: a batch never queues behind event writes.
  const catalogRedis = connect(env.CATALOG_REDIS_URL ?? env.REDIS_URL, 'catalog-invalidator', { commandTimeout: 15_000 });
  const registry = registryFromConfig(env.PROVIDER_SOURCES);
  const sharedRedis = !env.CATALOG_REDIS_URL || env.CATALOG_REDIS_URL === env.REDIS_URL;
  const services = wireServices({ adminRedis, catalogRedis, registry, env, sharedRedis });
  return { env, ...services };
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
  // Every instance ticks; the claim in Redis makes exactly one of them fire each period.
  services.schedules.scheduler.start();
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
