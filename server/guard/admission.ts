/** The guard's changes by admins, each audited like every other change (who, from where, what). */
import 'server-only';
import { successBy, type AuditCaller } from '~/server/audit/caller';
import type { AuditTrail } from '~/server/audit/trail';
import type { CatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import { DomainError, unknownProviders } from '~/server/lib/errors';
import type { OverrideStore } from './overrides';
import type { OverrideInput, OverrideRef } from './overrides-schema';
import type { PolicyStore } from './policy-store';
import type { Review } from './review';
import type { GuardPolicyInput, ReviewInput } from './schema';

export interface GuardAdmissionDeps {
  policies: Pick<PolicyStore, 'save'>;
  review: Pick<Review, 'approve' | 'reject'>;
  overrides: Pick<OverrideStore, 'save' | 'remove'>;
  cache: Pick<CatalogCache, 'reapplyOverrides'>;
  registry: Pick<ProviderRegistry, 'has'>;
  audit: AuditTrail;
}

export function createGuardAdmission(deps: GuardAdmissionDeps) {
  const known = (provider: string) => {
    if (!deps.registry.has(provider)) throw unknownProviders([provider]);
  };
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
    /** Stores one model's override (replacing any before it); the provider's cached copy gets it at once. */
    async saveOverride(caller: AuditCaller, input: OverrideInput) {
      known(input.provider);
      const saved = await deps.overrides.save(input, caller.principal.name);
      await deps.audit.record({ ...successBy(caller), action: 'catalog.saveOverride', target: input.provider, details: { model: input.model, override: without(saved) } });
      await deps.cache.reapplyOverrides(input.provider);
      return saved;
    },
    /** Removes one model's override: readers get the source's value again (at once where cached). */
    async removeOverride(caller: AuditCaller, { provider, model }: OverrideRef) {
      known(provider);
      if (!(await deps.overrides.remove(provider, model))) throw new DomainError('NOT_FOUND', `${provider} has no override for the model ${model}`);
      await deps.audit.record({ ...successBy(caller), action: 'catalog.removeOverride', target: provider, details: { model } });
      await deps.cache.reapplyOverrides(provider);
    },
  };
}

/** What an override pins, for the audit entry (without who and when: the entry says so itself). */
const without = ({ provider: _p, model: _m, updatedAt: _at, updatedBy: _by, ...pins }: { provider: string; model: string; updatedAt: number; updatedBy: string }) => pins;
