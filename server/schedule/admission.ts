import 'server-only';
import type { AuditTrail } from '~/server/audit/trail';
import type { RequestInfo } from '~/server/auth/request-info';
import { actorOf, type Principal } from '~/server/identity/schema';
import type { ScheduleInput } from './schema';
import type { ScheduleService } from './service';

/**
 * Schedule changes, audited like every other change (who, from where, which schedule). A schedule's
 * runs are not charged to the invalidation limits: they are bounded by SCHEDULES_MAX and the
 * minimum interval instead, and a scheduled refresh must not be starved by API traffic.
 */
export function createScheduleAdmission(deps: { schedules: Pick<ScheduleService, 'save' | 'remove'>; audit: AuditTrail }) {
  type Caller = { principal: Principal; info?: Pick<RequestInfo, 'address' | 'userAgent'> };
  const base = ({ principal, info }: Caller) => ({
    actor: actorOf(principal),
    actorName: principal.name,
    address: info?.address ?? 'in-process',
    userAgent: info?.userAgent ?? '',
    outcome: 'success' as const,
  });
  return {
    async save(caller: Caller, input: ScheduleInput) {
      const saved = await deps.schedules.save(input, actorOf(caller.principal));
      await deps.audit.record({
        ...base(caller),
        action: 'schedule.save',
        target: saved.id,
        details: { created: !input.id, providers: saved.providers === 'all' ? 'all' : saved.providers.slice(0, 50), timing: saved.timing, enabled: saved.enabled },
      });
      return saved;
    },
    async remove(caller: Caller, id: string) {
      await deps.schedules.remove(id);
      await deps.audit.record({ ...base(caller), action: 'schedule.remove', target: id });
    },
  };
}
