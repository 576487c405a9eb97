/**
 * The composition root's wiring: one builder per domain over connections it is given, with parsed
 * configuration (every default lives in `server/env.ts`). Each builder returns its services and a
 * lifecycle (`start`, `shutdown`); this file only orders them. The app, the tests and the bench wire
 * the services the same way; nothing below `server/app/` builds another domain's objects.
 */
import 'server-only';
import { readinessOf } from '~/server/redis/readiness';
import { wireBase, type Lifecycle, type WiringOptions } from './base';
import { wireCatalog } from './catalog';
import { createCatalogGuard } from '~/server/guard/guard';
import { wireInvalidation } from './invalidation';
import { wireLive } from './live';
import { wireSchedules } from './schedules';
import { wireSecurity } from './security';
import { wireWebhooks } from './webhooks';

export type { WiringOptions } from './base';

/** Joins the domain pieces over given connections: the app and the tests wire them the same way. */
export function wireServices(options: WiringOptions) {
  const base = wireBase(options);
  const live = wireLive(base);
  const guard = createCatalogGuard({ redis: base.adminRedis, keys: base.keys.admin, log: base.log, enabled: base.env.CATALOG_GUARD === 'on', onBreach: base.metrics.ruleBreached });
  // The sweep reads the finished-jobs index once started, after `jobs` below exists.
  const hooks = wireWebhooks(base, (range, cursor, count) => jobs.invalidation.finished(range, cursor, count));
  const catalog = wireCatalog(base, live, guard, hooks.catalogEvents);
  const jobs = wireInvalidation(base, live, catalog, [hooks.jobObserver]);
  const security = wireSecurity(base, live, jobs.invalidation);
  const scheduling = wireSchedules(base, live, jobs.invalidation, security.audit);
  const { adminRedis, catalogRedis, keys, registry, log, metrics, instanceId } = base;

  /** Starts the instance's background work: job leases, schedule ticks, webhook delivery and sweep, the invalidation channel. */
  function start(): void {
    for (const part of [jobs, scheduling, hooks, catalog]) part.lifecycle.start();
  }

  /**
   * Graceful stop: live streams end so their clients resume elsewhere, no new jobs (503), queued jobs'
   * leases are released at once, running ones get `graceMs`; then what finished jobs left (webhook
   * enqueues, rebuilds in flight) settles and the instance leaves the confirmation protocol.
   */
  async function shutdown(graceMs: number): Promise<void> {
    await live.lifecycle.shutdown(graceMs);
    await Promise.all([jobs.lifecycle.shutdown(graceMs), scheduling.lifecycle.shutdown(graceMs)]);
    await Promise.all([hooks.lifecycle.shutdown(graceMs), catalog.lifecycle.shutdown(graceMs)]);
  }

  return {
    adminRedis,
    catalogRedis,
    keys,
    registry,
    log,
    metrics,
    instanceId,
    ...servicesOf(live),
    ...servicesOf(catalog),
    ...servicesOf(jobs),
    ...servicesOf(hooks),
    ...servicesOf(scheduling),
    ...security,
    ...guard.services(catalog.cache, registry, security.audit),
    /** GET /api/ready: both Redis connections answer and this instance accepts jobs. */
    readiness: () => readinessOf(adminRedis, catalogRedis, jobs.invalidation.worker.accepting()),
    start,
    shutdown,
  };
}

/** A builder's services without its lifecycle (the instance has one: `start`, `shutdown`). */
function servicesOf<T extends { lifecycle: Lifecycle }>({ lifecycle: _lifecycle, ...services }: T): Omit<T, 'lifecycle'> {
  return services;
}

export type WiredServices = ReturnType<typeof wireServices>;
