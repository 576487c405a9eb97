/**
 * What stands between a caller and `invalidation.start`: the per-actor and global rate limits,
 * and the audit entry of every request (with its job id and whether it joined another job).
 *
 * Limits count jobs, not requests: a request coalesced into a job that has not sent its deletions
 * yet costs nothing. The charge is taken atomically before starting (so concurrent requests cannot
 * all slip under the limit) and given back when the service says the request was coalesced, or
 * when it failed before creating a job.
 */
import { createHash } from 'node:crypto';
import type { AuditTrail } from '~/server/audit/trail';
import type { RequestInfo } from '~/server/auth/request-info';
import { actorOf, type Principal } from '~/server/auth/schema';
import type { Limit, RateLimiter } from '~/server/ratelimit/limiter';
import { retryAfterSeconds } from '~/server/ratelimit/limiter';
import type { AdminKeys } from '~/server/redis/keys';
import { DomainError } from './errors';
import type { Actor, InvalidationRequest } from './schema';

export type Via = 'trpc' | 'rest';

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
    const scope = { providers: request.providers === 'all' ? 'all' : request.providers.slice(0, 50), cacheType: request.cacheType, cascade: request.cascade, via };
    const limits = cells(principal);
    const decision = await deps.limiter.take(limits);
    if (!decision.allowed) {
      const seconds = retryAfterSeconds(decision.retryAfterMs);
      await deps.audit.record({ ...base, outcome: 'refused', details: { ...scope, reason: 'rate limited', retryAfterSeconds: seconds } });
      throw new DomainError('RATE_LIMITED', `Too many invalidations; try again in ${seconds} seconds`, { retryAfterSeconds: seconds });
    }
    let result: { jobId: string; coalesced?: boolean };
    try {
      result = await deps.start(request, actorOf(principal), via);
    } catch (err) {
      await deps.limiter.refund(limits); // no job was created: nothing to charge
      throw err;
    }
    const coalesced = result.coalesced === true;
    if (coalesced) await deps.limiter.refund(limits);
    await deps.audit.record({ ...base, outcome: 'success', target: result.jobId, details: { ...scope, jobId: result.jobId, coalesced } });
    return result;
  };
}

export type Admission = ReturnType<typeof createAdmission>;
