/**
 * The composition root's wiring: joins the domain pieces over connections it is given, with parsed
 * configuration (every default lives in `server/env.ts`). The app, the tests and the bench wire the
 * services the same way; nothing below `server/app/` builds another domain's objects.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { hostname } from 'node:os';
import { createActivityFeed } from '~/server/activity/feed';
import { createStreamGate } from '~/server/activity/gate';
import { createActivityHub } from '~/server/activity/hub';
import { createCatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/registry';
import type { Env } from '~/server/env';
import { announceAccessChanges, createAuthCache } from './auth-cache';
import { createScheduleAdmission } from './admission';
import { wireSecurity, type SecurityEnv } from './security';
import { createInvalidationService } from '~/server/invalidation/service';
import { JobRunner } from '~/server/invalidation/runner';
import { createScheduleService } from '~/server/schedule/service';
import { adminKeys, catalogKeys } from '~/server/redis/keys';
import { actorLabel, createLogger, type Logger } from '~/server/log/logger';
import { createMetrics, type Metrics } from '~/server/metrics/metrics';
import { observeAll, type JobObserver } from '~/server/invalidation/observer';
import { createWebhookOutbox, jobPayload } from '~/server/webhooks/outbox';
import { createWebhookSweep } from './webhook-sweep';
import { instrumentRegistry } from './instrument';
import { createPresence } from '~/server/instances/presence';

export type WiringEnv = Pick<
  Env,
  | 'CATALOG_PREFIX'
  | 'catalogTemplates'
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
  | 'STREAMS_PER_PRINCIPAL'
  | 'AUTH_CACHE_MS'
  | 'STREAM_QUEUE_LIMIT'
  | 'LOG_LEVEL'
  | 'LOG_PRETTY'
  | 'WEBHOOK_URLS'
  | 'WEBHOOK_SECRET'
  | 'WEBHOOK_TIMEOUT_MS'
  | 'WEBHOOK_MAX_ATTEMPTS'
  | 'WEBHOOK_RETRY_BASE_MS'
  | 'WEBHOOK_TICK_MS'
  | 'WEBHOOK_SWEEP_MS'
  | 'SCHEDULES_MAX'
  | 'INSTANCE_HEARTBEAT_MS'
  | 'INSTANCE_TTL_MS'
  | 'INSTANCE_CONFIRM_TIMEOUT_MS'
  | 'PROCESS_TIER_MAX_AGE_MS'
  | 'PROCESS_TIER_MAX_ENTRIES'
  | 'PROCESS_TIER_MAX_BYTES'
  | 'APP_VERSION'
  | 'npm_package_version'
> &
  SecurityEnv;

export interface WiringOptions {
  adminRedis: RedisClient;
  catalogRedis: RedisClient;
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
  /** The instance's log (default: JSON on stdout at LOG_LEVEL); tests pass one that captures. */
  log?: Logger;
  /** The instance's metrics (default: a registry of its own, without process metrics). */
  metrics?: Metrics;
  /** When this process started (the participant id's third part; tests pin it). */
  startedAt?: number;
}

/** Joins the domain pieces over given connections: the app and the tests wire them the same way. */
export function wireServices(options: WiringOptions) {
  const { adminRedis, catalogRedis, env, sharedRedis, retryDelaysMs, scheduleLeaseMs, now } = options;
  // A custom layout is checked against the configured names here: one key for two purposes stops the start.
  const keys = { catalog: catalogKeys(env.CATALOG_PREFIX, { templates: env.catalogTemplates, providers: options.registry.names() }), admin: adminKeys(env.ADMIN_PREFIX) };
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? createLogger({ level: env.LOG_LEVEL, instance: instanceId, pretty: env.LOG_PRETTY });
  const metrics = options.metrics ?? createMetrics();
  // Every source fetch (readers, refreshes, pricing) is timed here, once, whoever asks.
  const registry = instrumentRegistry(options.registry, metrics.sourceFetched);
  /** Aborted by `shutdown`: live streams end with an error their clients resume from on another instance. */
  const closing = new AbortController();
  // One subscriber per instance: every live stream here fans out from it.
  const hub = createActivityHub(adminRedis, keys.admin.activity);
  closing.signal.addEventListener('abort', () => hub.close(), { once: true });
  const activity = createActivityFeed({ redis: adminRedis, hub, queueLimit: env.STREAM_QUEUE_LIMIT, closing: closing.signal, log: log.child({ component: 'activity' }) });
  const gate = createStreamGate(env.STREAMS_PER_PRINCIPAL);
  // Open subscriptions, counted where every stream takes and frees its slot.
  const streams = {
    ...gate,
    acquire(who: string, name: string) {
      const release = gate.acquire(who, name);
      metrics.subscriptionOpened();
      let open = true;
      return () => {
        if (open) metrics.subscriptionClosed();
        open = false;
        release();
      };
    },
  };
  const cache = createCatalogCache({
    redis: catalogRedis,
    keys: keys.catalog,
    registry,
    ttlSeconds: env.CATALOG_TTL_SECONDS,
    leaseMs: env.REBUILD_LEASE_MS,
    waitMs: env.REBUILD_WAIT_MS,
    onChange: (change) => activity.publish({ kind: 'catalog', at: Date.now(), ...change }),
    onFenced: metrics.writeFenced,
    log: log.child({ component: 'catalog' }),
    tier: { maxEntries: env.PROCESS_TIER_MAX_ENTRIES, maxBytes: env.PROCESS_TIER_MAX_BYTES, maxAgeMs: env.PROCESS_TIER_MAX_AGE_MS, onGap: () => metrics.tierFlushed('sequence_gap') },
  });
  // This instance in the confirmation protocol: registered, heartbeating, one invalidation subscriber.
  const startedAt = options.startedAt ?? Date.now();
  const presence = createPresence({
    redis: adminRedis,
    keys: keys.admin.instances,
    // host:pid (the id leases and logs use) and the start time: unique across restarts of one pid.
    identity: { id: `${instanceId}:${startedAt.toString(36)}`, kind: 'app', version: env.APP_VERSION ?? env.npm_package_version ?? 'unknown', since: startedAt },
    config: {
      heartbeatMs: env.INSTANCE_HEARTBEAT_MS,
      ttlMs: env.INSTANCE_TTL_MS,
      confirmTimeoutMs: env.INSTANCE_CONFIRM_TIMEOUT_MS,
      ackTtlMs: env.HISTORY_RETENTION_DAYS * 86_400_000,
    },
    onInvalidate: cache.applyAnnouncement,
    onLost: () => {
      cache.flushTier();
      metrics.tierFlushed('channel_lost');
    },
    holdings: () => {
      const held = cache.holdings();
      metrics.tierHoldings(held);
      return held;
    },
    log: log.child({ component: 'instances' }),
  });
  cache.tier?.attach(presence.channel);
  const webhooks = createWebhookOutbox({
    redis: adminRedis,
    keys: keys.admin,
    log: log.child({ component: 'webhooks' }),
    now,
    onAttempt: metrics.webhookAttempt,
    config: {
      urls: env.WEBHOOK_URLS,
      secret: env.WEBHOOK_SECRET,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      tickMs: env.WEBHOOK_TICK_MS,
      retentionSeconds: env.HISTORY_RETENTION_DAYS * 86400,
    },
  });
  const jobLog = log.child({ component: 'jobs' });
  /** Enqueues in flight: a graceful stop waits for them, so a job finished in the grace keeps its webhooks. */
  const enqueues = new Set<Promise<unknown>>();
  // The job lifecycle's one hook: metrics count, the log tells, webhooks go out for finished jobs.
  const observer: JobObserver = observeAll(
    [
      {
        created: (e) => {
          metrics.jobCreated(e.coalesced);
          jobLog.info({ jobId: e.jobId, actor: actorLabel(e.actor), via: e.via, coalesced: e.coalesced }, e.coalesced ? 'request joined a pending job' : 'job created');
        },
        takenOver: () => metrics.jobTakenOver(),
        finished: (e) => {
          metrics.jobFinished({ status: e.status, durationMs: e.result.durationMs, keysDeleted: e.result.keysDeleted, keysMarkedStale: e.result.keysMarkedStale, roundTrips: e.roundTrips });
          if (e.result.instances) metrics.jobInstances(e.result.instances.confirmed, e.result.instances.missing.length);
        },
      },
      {
        finished: (e) => {
          if (!webhooks.enabled) return;
          // After the terminal write (its subscribers are already told): read the record, enqueue.
          const work = invalidation
            .get(e.jobId)
            .then((record) => {
              const payload = jobPayload(record, (now ?? Date.now)());
              return payload ? webhooks.enqueue(payload) : 0;
            })
            .catch((err: unknown) => jobLog.error({ jobId: e.jobId, err }, 'could not enqueue the webhooks of a finished job'))
            .finally(() => enqueues.delete(work));
          enqueues.add(work);
        },
      },
    ],
    (err) => jobLog.error({ err }, 'a job observer threw'),
  );
  const runner = new JobRunner(env.JOB_CONCURRENCY, env.JOB_QUEUE_LIMIT, jobLog);
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
      streamQueueLimit: env.STREAM_QUEUE_LIMIT,
    },
    hub,
    retryDelaysMs,
    log: jobLog,
    observer,
    confirmer: presence,
  });
  const webhookSweep = createWebhookSweep({
    recentJobs: async (limit) => (await invalidation.history({ limit })).items,
    outbox: webhooks,
    everyMs: env.WEBHOOK_SWEEP_MS,
    now: now ?? Date.now,
    log: log.child({ component: 'webhooks' }),
  });
  const wired = wireSecurity(adminRedis, keys.admin, env, invalidation);
  // Callers are remembered briefly so a click waits for no lookup; anything that ends a credential empties every instance's memory.
  const authCache = createAuthCache({ authenticate: wired.authenticate, hub, ttlMs: env.AUTH_CACHE_MS });
  const security = {
    ...wired,
    access: announceAccessChanges(wired.access, () => {
      authCache.clear();
      activity.publish({ kind: 'access', at: Date.now() });
    }),
    authenticate: authCache.authenticate,
    authCache,
  };
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
    log: log.child({ component: 'schedules' }),
  });
  const manageSchedules = createScheduleAdmission({ schedules, audit: security.audit });

  /**
   * Readiness (GET /api/ready): both Redis connections answer and this instance accepts jobs. The
   * reasons say what is missing, in words.
   */
  async function readiness(): Promise<{ ready: boolean; reasons: string[]; redis: { admin: 'up' | 'down'; catalog: 'up' | 'down' }; accepting: boolean }> {
    const ping = (redis: RedisClient) => redis.ping().then(() => 'up' as const, () => 'down' as const);
    const [admin, catalog] = await Promise.all([ping(adminRedis), ping(catalogRedis)]);
    const accepting = invalidation.worker.accepting();
    const reasons = [
      ...(accepting ? [] : ['shutting down: this instance accepts no new jobs']),
      ...(admin === 'up' ? [] : ['the admin Redis (REDIS_URL) does not answer']),
      ...(catalog === 'up' ? [] : ['the catalog Redis does not answer']),
    ];
    return { ready: reasons.length === 0, reasons, redis: { admin, catalog }, accepting };
  }

  /**
   * Graceful stop: no new jobs (503), live streams end so their clients resume elsewhere, queued jobs'
   * leases are released at once, running ones get `graceMs` to finish before theirs are released.
   */
  async function shutdown(graceMs: number): Promise<void> {
    closing.abort();
    await Promise.all([invalidation.worker.shutdown(graceMs), cache.settled(), schedules.scheduler.stop()]);
    // Last: the jobs that finished during the grace enqueued theirs; what is unsent stays due for any instance.
    await Promise.all([...enqueues]);
    await Promise.all([webhooks.stop(), webhookSweep.stop()]);
    await presence.stop();
  }

  return { adminRedis, catalogRedis, keys, registry, cache, runner, invalidation, activity, hub, streams, schedules, manageSchedules, webhooks, webhookSweep, presence, log, metrics, instanceId, readiness, shutdown, ...security };
}

export type WiredServices = ReturnType<typeof wireServices>;
