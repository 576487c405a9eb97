/**
 * The judge the catalog cache asks before every write from a source (catalog/cache-context.ts
 * `Judge`): the provider's rules from the policy (this instance's copy, policy-store.ts), then the
 * pure evaluate(). Wired by the composition root; the cache never imports the guard.
 */
import 'server-only';
import type { Judge } from '~/server/catalog/cache';
import { evaluate, rulesFor } from './evaluate';
import type { PolicyStore } from './policy-store';

export function createJudge(policies: Pick<PolicyStore, 'current'>): Judge {
  return async (provider, basis, candidate) => {
    const breaches = evaluate(basis, candidate, rulesFor(await policies.current(), provider));
    return {
      hold: breaches.filter((b) => b.action === 'hold').map((b) => b.message),
      alerts: breaches.filter((b) => b.action === 'alert').map((b) => b.message),
    };
  };
}
