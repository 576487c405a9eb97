/**
 * The composition root's wiring: joins the domain pieces over connections it is given, with parsed
 * configuration (every default lives in `server/env.ts`). The app, the tests and the bench wire the
 * services the same way; nothing below `server/app/` builds another domain's objects.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { createActivityFeed } from '~/server/activity/feed';
import { createCatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/registry';
import type { Env } from '~/server/env';
import { createScheduleAdmission } from './admission';
import { wireSecurity, type SecurityEnv } from './security';
import { createInvalidationService } from '~/server/invalidation/service';
import { JobRunner } from '~/server/invalidation/runner';
import { createScheduleService } from '~/server/schedule/service';
import { adminKeys, catalogKeys } from '~/server/redis/keys';

export type WiringEnv = Pick<
  Env,
  | 'CATALOG_PREFIX'
  | 'ADMIN_PREFIX'
  | 'CATALOG_TTL_SECONDS'
  | 'JOB_CONCURRENCY'
  | 'JOB_QUEUE_LIMIT'
  | 'INVALIDATION_BATCH_KEYS'
  | 'EVENTS_MAXLEN'
  | 'HISTORY_RETENTION_DAYS'
  | 'JOB_LEASE_MS'
  | 'COALESCE_WINDOW_MS'
  | 'REBUILD_LEASE_MS'
  | 'REBUILD_WAIT_MS'
  | 'REFRESH_TIMEOUT_MS'
  | 'SCHEDULE_TICK_MS'
  | 'SCHEDULE_MIN_INTERVAL_SECONDS'
  | 'SCHEDULE_CLAIM_MS'
  | 'SCHEDULES_MAX'
> &
  SecurityEnv;

export interface WiringOptions {
  adminRedis: Redis;
  catalogRedis: Redis;
  registry: ProviderRegistry;
  /** Parsed by `envSchema`: every value present, defaults applied there and nowhere else. */
  env: WiringEnv;
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
    config: {
      minIntervalSeconds: env.SCHEDULE_MIN_INTERVAL_SECONDS,
      tickMs: env.SCHEDULE_TICK_MS,
      leaseMs: scheduleLeaseMs ?? env.SCHEDULE_CLAIM_MS,
      maxSchedules: env.SCHEDULES_MAX,
    },
    onChange: () => activity.publish({ kind: 'schedules', at: Date.now() }),
  });
  const manageSchedules = createScheduleAdmission({ schedules, audit: security.audit });

  /**
   * Graceful stop: no new jobs (503), live streams end so their clients resume elsewhere, queued jobs'
   * leases are released at once, running ones get `graceMs` to finish before theirs are released.
   */
  async function shutdown(graceMs: number): Promise<void> {
    closing.abort();
    await Promise.all([invalidation.worker.shutdown(graceMs), cache.settled(), schedules.scheduler.stop()]);
  }

  return { adminRedis, catalogRedis, keys, registry, cache, runner, invalidation, activity, schedules, manageSchedules, shutdown, ...security };
}

export type WiredServices = ReturnType<typeof wireServices>;
