/**
 * The judge the catalog cache asks before every write from a source (catalog/cache-context.ts
 * `Judge`): the provider's rules from the policy (this instance's copy, policy-store.ts), then the
 * pure evaluate(). Wired by the composition root; the cache never imports the guard.
 */
import 'server-only';
import type { Judge } from '~/server/catalog/cache';
import { evaluate, rulesFor } from './evaluate';
import type { PolicyStore } from './policy-store';
import type { Breach } from './schema';

/** Told once per candidate and broken rule (metrics: bounded by providers × rules × actions). */
export type OnBreach = (provider: string, rule: Breach['rule'], action: Breach['action']) => void;

/** `onBreach` counts the rules a candidate broke; the judge of a cached copy (cache-state.ts) passes none. */
export function createJudge(policies: Pick<PolicyStore, 'current'>, onBreach?: OnBreach): Judge {
  const judge: Judge = async (provider, basis, candidate) => {
    const breaches = evaluate(basis, candidate, rulesFor(await policies.current(), provider));
    if (onBreach) for (const key of new Set(breaches.map((b) => `${b.rule} ${b.action}`))) {
      const [rule, action] = key.split(' ') as [Breach['rule'], Breach['action']];
      onBreach(provider, rule, action);
    }
    return {
      hold: breaches.filter((b) => b.action === 'hold').map((b) => b.message),
      alerts: breaches.filter((b) => b.action === 'alert').map((b) => b.message),
    };
  };
  // A failed read costs nothing here: the judgement reads again, and fails in words if it must.
  judge.warm = () => void policies.current().catch(() => {});
  return judge;
}
