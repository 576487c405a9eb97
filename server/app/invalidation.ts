/**
 * The invalidation domain over both connections: the runner, the service (start, preview, events,
 * history) with its worker, and the job lifecycle's observers (log, metrics, webhooks).
 */
import 'server-only';
import { JobRunner } from '~/server/invalidation/runner';
import { jobLogObserver, observeAll, type JobObserver } from '~/server/invalidation/observer';
import { createInvalidationService } from '~/server/invalidation/service';
import { jobMetricsObserver } from '~/server/metrics/job-observer';
import { FINISHED_INDEX } from '~/server/webhooks/sweep';
import type { Base, Lifecycle } from './base';
import type { Catalog } from './catalog';
import type { Live } from './live';

export function wireInvalidation(base: Base, { hub }: Live, { cache, presence }: Catalog, observers: JobObserver[]) {
  const { adminRedis, catalogRedis, sharedRedis, env, keys, registry, instanceId, now, retryDelaysMs, closing, metrics } = base;
  const log = base.log.child({ component: 'jobs' });
  const runner = new JobRunner(env.JOB_CONCURRENCY, env.JOB_QUEUE_LIMIT, log);
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
      finishedIndex: FINISHED_INDEX, // what the webhook sweep reads: jobs by when they ended
    },
    hub,
    retryDelaysMs,
    log,
    observer: observeAll([jobLogObserver(log), jobMetricsObserver(metrics), ...observers], (err) => log.error({ err }, 'a job observer threw')),
    confirmer: presence,
  });
  const lifecycle: Lifecycle = {
    // Lease renewal and takeover of crashed instances' jobs, from the start, not the first request.
    start: () => invalidation.worker.start(),
    // No new jobs (503); queued jobs' leases released at once, running ones get the grace.
    shutdown: (graceMs) => invalidation.worker.shutdown(graceMs),
  };
  return { runner, invalidation, lifecycle };
}

export type Invalidation = ReturnType<typeof wireInvalidation>;
