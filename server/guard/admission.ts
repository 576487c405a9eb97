/** The guard's changes by admins, each audited like every other change (who, from where, what). */
import 'server-only';
import type { AuditTrail } from '~/server/audit/trail';
import type { RequestInfo } from '~/server/auth/request-info';
import { actorOf, type Principal } from '~/server/identity/schema';
import type { PolicyStore } from './policy-store';
import type { Review } from './review';
import type { GuardPolicyInput, ReviewInput } from './schema';

export function createGuardAdmission(deps: { policies: Pick<PolicyStore, 'save'>; review: Pick<Review, 'approve' | 'reject'>; audit: AuditTrail }) {
  type Caller = { principal: Principal; info?: Pick<RequestInfo, 'address' | 'userAgent'> };
  const base = ({ principal, info }: Caller) => ({
    actor: actorOf(principal),
    actorName: principal.name,
    address: info?.address ?? 'in-process',
    userAgent: info?.userAgent ?? '',
    outcome: 'success' as const,
  });
  return {
    async savePolicy(caller: Caller, input: GuardPolicyInput) {
      const saved = await deps.policies.save(input);
      await deps.audit.record({ ...base(caller), action: 'policy.save', target: 'catalog guard', details: { providers: Object.keys(saved.providers).slice(0, 50) } });
      return saved;
    },
    async approve(caller: Caller, input: ReviewInput) {
      await deps.review.approve(input);
      await deps.audit.record({ ...base(caller), action: 'catalog.approve', target: input.provider, details: { candidate: input.id } });
    },
    async reject(caller: Caller, input: ReviewInput) {
      await deps.review.reject(input);
      await deps.audit.record({ ...base(caller), action: 'catalog.reject', target: input.provider, details: { candidate: input.id } });
    },
  };
}
