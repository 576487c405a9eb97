/** Scheduled refreshes: the service and its tick loop (every instance ticks; a claim in Redis fires each period once), audited changes. */
import 'server-only';
import type { AuditTrail } from '~/server/audit/trail';
import type { InvalidationService } from '~/server/invalidation/service';
import { createScheduleAdmission } from '~/server/schedule/admission';
import { createScheduleService } from '~/server/schedule/service';
import type { Base, Lifecycle } from './base';
import type { Live } from './live';

export function wireSchedules({ adminRedis, keys, registry, env, now, scheduleLeaseMs, log }: Base, { activity }: Live, invalidation: Pick<InvalidationService, 'start'>, audit: AuditTrail) {
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
  const lifecycle: Lifecycle = {
    start: () => schedules.scheduler.start(),
    shutdown: () => schedules.scheduler.stop(),
  };
  return { schedules, manageSchedules: createScheduleAdmission({ schedules, audit }), lifecycle };
}
