/**
 * The catalog guard, assembled for the composition root: the policy store and the judge, and the
 * per-model overrides with their overlay, built before the catalog cache (which takes the judge and
 * the overlay; `enabled` false wires no judge, and every verified answer is published, still with
 * the overrides applied), then the review and the audited admin changes once the cache and the
 * audit trail exist.
 */
import 'server-only';
import type { AuditTrail } from '~/server/audit/trail';
import type { CatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import { createGuardAdmission } from './admission';
import { createJudge, type OnBreach } from './judge';
import { createOverrideStore } from './overrides';
import { createPolicyStore, type PolicyStoreDeps } from './policy-store';
import { createReview } from './review';

export function createCatalogGuard({ enabled, onBreach, keys, ...deps }: Omit<PolicyStoreDeps, 'keys'> & { keys: PolicyStoreDeps['keys'] & { guardOverrides: string }; enabled: boolean; onBreach?: OnBreach }) {
  const policies = createPolicyStore({ ...deps, keys });
  const overrides = createOverrideStore({ ...deps, keys });
  return {
    policies,
    /** Judges every write from a source (counted through `onBreach`). */
    judge: enabled ? createJudge(policies, onBreach) : undefined,
    /**
     * Judges a cached copy this app did not publish (a gateway's own write), for the cache state,
     * against what this app would serve (the last published copy through `overlay`); counts nothing.
     */
    inspect: enabled ? createJudge(policies) : undefined,
    /** What readers get of a source's catalog (the overrides applied): the cache's `overlay`. */
    overlay: overrides.overlay,
    /** `policies`, `review` (`catalog.held`), `overrides` (`catalog.overrides`) and `manageGuard` (the admins' audited changes). */
    services(cache: CatalogCache, registry: ProviderRegistry, audit: AuditTrail) {
      const review = createReview({ cache, registry });
      return { policies, review, overrides, manageGuard: createGuardAdmission({ policies, review, overrides, cache, registry, audit }) };
    },
  };
}
