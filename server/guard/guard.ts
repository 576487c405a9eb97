/**
 * The catalog guard, assembled for the composition root: the policy store and the judge, built
 * before the catalog cache (which takes the judge; `enabled` false wires none, and every verified
 * answer is published), then the review and the audited admin changes once the cache and the audit
 * trail exist.
 */
import 'server-only';
import type { AuditTrail } from '~/server/audit/trail';
import type { CatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import { createGuardAdmission } from './admission';
import { createJudge } from './judge';
import { createPolicyStore, type PolicyStoreDeps } from './policy-store';
import { createReview } from './review';

export function createCatalogGuard({ enabled, ...deps }: PolicyStoreDeps & { enabled: boolean }) {
  const policies = createPolicyStore(deps);
  return {
    policies,
    judge: enabled ? createJudge(policies) : undefined,
    /** `policies`, `review` (`catalog.held`) and `manageGuard` (the admins' audited changes). */
    services(cache: CatalogCache, registry: ProviderRegistry, audit: AuditTrail) {
      const review = createReview({ cache, registry });
      return { policies, review, manageGuard: createGuardAdmission({ policies, review, audit }) };
    },
  };
}
