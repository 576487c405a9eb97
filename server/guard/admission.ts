/** The guard's changes by admins, each audited like every other change (who, from where, what). */
import 'server-only';
import { successBy, type AuditCaller } from '~/server/audit/caller';
import type { AuditTrail } from '~/server/audit/trail';
import type { PolicyStore } from './policy-store';
import type { Review } from './review';
import type { GuardPolicyInput, ReviewInput } from './schema';

export function createGuardAdmission(deps: { policies: Pick<PolicyStore, 'save'>; review: Pick<Review, 'approve' | 'reject'>; audit: AuditTrail }) {
  return {
    async savePolicy(caller: AuditCaller, input: GuardPolicyInput) {
      const saved = await deps.policies.save(input);
      await deps.audit.record({ ...successBy(caller), action: 'policy.save', target: 'catalog guard', details: { providers: Object.keys(saved.providers).slice(0, 50) } });
      return saved;
    },
    async approve(caller: AuditCaller, input: ReviewInput) {
      await deps.review.approve(input, caller.principal.name);
      await deps.audit.record({ ...successBy(caller), action: 'catalog.approve', target: input.provider, details: { candidate: input.id } });
    },
    async reject(caller: AuditCaller, input: ReviewInput) {
      await deps.review.reject(input);
      await deps.audit.record({ ...successBy(caller), action: 'catalog.reject', target: input.provider, details: { candidate: input.id } });
    },
  };
}
