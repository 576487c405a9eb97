/**
 * What stands between a caller and `invalidation.start`: the per-actor and global rate limits,
 * and the audit entry of every request (with its job id and whether it joined another job).
 *
 * Limits count jobs, not requests: a request coalesced into a job that has not sent its deletions
 * yet costs nothing, so a burst of identical requests (every gateway instance asking at once) is
 * never refused. Only the service knows whether a request joins a job, so the limits are checked
 * before (`peek`) and charged after, for the requests that created a job. The price: distinct
 * requests racing each other may all pass the check and overshoot the limit by those in flight;
 * each is still charged, and the debt holds the next requests back for longer.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { AuditTrail } from '~/server/audit/trail';
import type { RequestInfo } from '~/server/auth/request-info';
import { actorOf, type Principal } from '~/server/identity/schema';
import type { Limit, RateLimiter } from '~/server/ratelimit/limiter';
import { retryAfterSeconds } from '~/server/ratelimit/limiter';
import type { AdminKeys } from '~/server/redis/keys';
import { DomainError } from '~/server/lib/errors';
import type { Actor, InvalidationRequest, Via } from '~/server/invalidation/schema';
import type { ScheduleInput } from '~/server/schedule/schema';
import type { ScheduleService } from '~/server/schedule/service';

export interface AdmissionDeps {
  start(request: InvalidationRequest, actor: Actor, via?: Via): Promise<{ jobId: string; coalesced?: boolean }>;
  limiter: RateLimiter;
  audit: AuditTrail;
  keys: AdminKeys;
  limits: { perActorPerMinute: number; perMinute: number };
}

/** The identity a limit is kept for: the account, the token, or the bootstrap admin. */
const identity = (p: Principal) => p.accountId ?? p.tokenId ?? (p.bootstrap ? 'bootstrap' : p.label);

export function createAdmission(deps: AdmissionDeps) {
  const cells = (p: Principal): Limit[] => [
    { key: deps.keys.rateLimit('invalidate-actor', createHash('sha256').update(identity(p)).digest('hex').slice(0, 32)), limit: deps.limits.perActorPerMinute, windowMs: 60_000 },
    { key: deps.keys.rateLimit('invalidate-all', 'global'), limit: deps.limits.perMinute, windowMs: 60_000 },
  ];

  return async function admit(request: InvalidationRequest, principal: Principal, via: Via, info: Pick<RequestInfo, 'address' | 'userAgent'>) {
    const base = { action: 'invalidation.start' as const, actor: actorOf(principal), actorName: principal.name, address: info.address, userAgent: info.userAgent };
    const scope = { providers: request.providers === 'all' ? 'all' : request.providers.slice(0, 50), cacheType: request.cacheType, cascade: request.cascade, mode: request.mode, via };
    const limits = cells(principal);
    const decision = await deps.limiter.peek(limits);
    if (!decision.allowed) {
      const seconds = retryAfterSeconds(decision.retryAfterMs);
      await deps.audit.record({ ...base, outcome: 'refused', details: { ...scope, reason: 'rate limited', retryAfterSeconds: seconds } });
      throw new DomainError('RATE_LIMITED', `Too many invalidations; try again in ${seconds} seconds`, { retryAfterSeconds: seconds });
    }
    // A request the service refuses (unknown provider, full queue) throws here: no job, no charge.
    const result = await deps.start(request, actorOf(principal), via);
    // `coalesced` may be absent (a service that never coalesces): then every request made a job.
    const coalesced = result.coalesced === true;
    if (!coalesced) await deps.limiter.charge(limits);
    await deps.audit.record({ ...base, outcome: 'success', target: result.jobId, details: { ...scope, jobId: result.jobId, coalesced } });
    return { jobId: result.jobId, coalesced };
  };
}

export type Admission = ReturnType<typeof createAdmission>;

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
