import 'server-only';
import { successBy, type AuditCaller } from '~/server/audit/caller';
import type { AuditTrail } from '~/server/audit/trail';
import { actorOf } from '~/server/identity/schema';
import type { ScheduleInput } from './schema';
import type { ScheduleService } from './service';

/**
 * Schedule changes, audited like every other change (who, from where, which schedule). A schedule's
 * runs are not charged to the invalidation limits: they are bounded by SCHEDULES_MAX and the
 * minimum interval instead, and a scheduled refresh must not be starved by API traffic.
 */
export function createScheduleAdmission(deps: { schedules: Pick<ScheduleService, 'save' | 'remove'>; audit: AuditTrail }) {
  return {
    async save(caller: AuditCaller, input: ScheduleInput) {
      const saved = await deps.schedules.save(input, actorOf(caller.principal));
      await deps.audit.record({
        ...successBy(caller),
        action: 'schedule.save',
        target: saved.id,
        details: { created: !input.id, providers: saved.providers === 'all' ? 'all' : saved.providers.slice(0, 50), timing: saved.timing, enabled: saved.enabled },
      });
      return saved;
    },
    async remove(caller: AuditCaller, id: string) {
      await deps.schedules.remove(id);
      await deps.audit.record({ ...successBy(caller), action: 'schedule.remove', target: id });
    },
  };
}
