/**
 * What stands between a caller and `invalidation.start`: the per-actor and global rate limits, and
 * the audit entry of every request (with its job id and whether it joined another job), all decided
 * in the one script that joins or creates the job (server/invalidation/store/job-scripts.ts): one round
 * trip from the request to its job id.
 *
 * Limits count jobs, not requests: a request that joins a job which has not sent its deletions yet
 * costs nothing and is never refused, so a burst of identical requests (every gateway instance
 * asking at once) always gets through. Because the check, the charge and the job are one script,
 * requests racing each other cannot overshoot a limit.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { AuditTrail, PreparedAudit } from '~/server/audit/trail';
import type { RequestInfo } from '~/server/auth/request-info';
import { actorOf, principalKey, type Principal } from '~/server/identity/schema';
import { DomainError } from '~/server/lib/errors';
import type { Limit } from '~/server/ratelimit/limiter';
import type { AdminKeys } from '~/server/redis/keys';
import type { Actor, InvalidationRequest, Via } from './schema';

export interface AdmissionDeps {
  start(request: InvalidationRequest, actor: Actor, via: Via, admission: { limits: Limit[]; audit?: PreparedAudit }): Promise<{ jobId: string; coalesced?: boolean }>;
  audit: AuditTrail;
  /**
   * The trail may be appended inside the jobs' create script: true on one Redis. On a cluster the
   * trail lives in another slot than `{jobs}`, so the entry is written right after (one more round trip).
   */
  auditInScript: boolean;
  keys: AdminKeys;
  limits: { perActorPerMinute: number; perMinute: number };
}

export function createAdmission(deps: AdmissionDeps) {
  // In the jobs' slot (keys.jobRateLimit): the create script decides them with the job itself.
  const cells = (p: Principal): Limit[] => [
    { key: deps.keys.jobRateLimit('invalidate-actor', createHash('sha256').update(principalKey(p)).digest('hex').slice(0, 32)), limit: deps.limits.perActorPerMinute, windowMs: 60_000 },
    { key: deps.keys.jobRateLimit('invalidate-all', 'global'), limit: deps.limits.perMinute, windowMs: 60_000 },
  ];

  return async function admit(request: InvalidationRequest, principal: Principal, via: Via, info: Pick<RequestInfo, 'address' | 'userAgent'>) {
    const scope = { providers: request.providers === 'all' ? 'all' : request.providers.slice(0, 50), cacheType: request.cacheType, cascade: request.cascade, mode: request.mode, via };
    // The script fills in the outcome: success with the job (created or joined), or refused with the wait.
    const entry = { action: 'invalidation.start' as const, outcome: 'success' as const, actor: actorOf(principal), actorName: principal.name, address: info.address, userAgent: info.userAgent, details: scope };
    // Refused by a limit: RATE_LIMITED (with retryAfterSeconds), its audit entry already written. A
    // request the service refuses before the script (unknown provider, full queue) writes nothing.
    if (deps.auditInScript) {
      const result = await deps.start(request, actorOf(principal), via, { limits: cells(principal), audit: deps.audit.prepare(entry) });
      return { jobId: result.jobId, coalesced: result.coalesced === true };
    }
    const result = await deps.start(request, actorOf(principal), via, { limits: cells(principal) }).catch(async (err: unknown) => {
      if (DomainError.is(err) && err.code === 'RATE_LIMITED') await deps.audit.record({ ...entry, outcome: 'refused', details: { ...scope, reason: 'rate limited', retryAfterSeconds: err.details?.retryAfterSeconds } });
      throw err;
    });
    const coalesced = result.coalesced === true;
    await deps.audit.record({ ...entry, target: result.jobId, details: { ...scope, jobId: result.jobId, coalesced } });
    return { jobId: result.jobId, coalesced };
  };
}

export type Admission = ReturnType<typeof createAdmission>;
