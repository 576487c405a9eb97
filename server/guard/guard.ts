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
import { createJudge, type OnBreach } from './judge';
import { createPolicyStore, type PolicyStoreDeps } from './policy-store';
import { createReview } from './review';

export function createCatalogGuard({ enabled, onBreach, ...deps }: PolicyStoreDeps & { enabled: boolean; onBreach?: OnBreach }) {
  const policies = createPolicyStore(deps);
  return {
    policies,
    /** Judges every write from a source (counted through `onBreach`). */
    judge: enabled ? createJudge(policies, onBreach) : undefined,
    /** Judges a cached copy this app did not publish (a gateway's own write), for the cache state; counts nothing. */
    inspect: enabled ? createJudge(policies) : undefined,
    /** `policies`, `review` (`catalog.held`) and `manageGuard` (the admins' audited changes). */
    services(cache: CatalogCache, registry: ProviderRegistry, audit: AuditTrail) {
      const review = createReview({ cache, registry });
      return { policies, review, manageGuard: createGuardAdmission({ policies, review, audit }) };
    },
  };
}
