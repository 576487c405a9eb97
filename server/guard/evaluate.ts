/**
 * The guard's one decision, pure: which rules a candidate catalog breaks against the last published
 * one. No Redis, no clock, so the table-driven test (tests/server/guard/evaluate.test.ts) checks
 * every rule on both sides of its limit.
 */
import 'server-only';
import { money } from '~/server/catalog/history/changes';
import type { Model, ProviderCatalog } from '~/server/catalog/schema';
import type { Breach, GuardPolicy, GuardRules } from './schema';

/** A provider's rules: its own where it has them, the defaults for the rest. */
export const rulesFor = (policy: GuardPolicy, provider: string): GuardRules => ({ ...policy.defaults, ...policy.providers[provider] });

const group = (n: number, digits: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Dollars per million tokens, as the review and the history say them. */
export { money };
/** A factor as a person says it: ×1,000 up, ÷1,000 down, at most two decimals. */
const factorWords = (ratio: number) => (ratio >= 1 ? `×${trim(ratio)}` : `÷${trim(1 / ratio)}`);
const trim = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

type Priced = 'input' | 'output';
const priceOf = (m: Model, side: Priced) => (m.pricing ? (side === 'input' ? m.pricing.inputPerMTok : m.pricing.outputPerMTok) : null);

/**
 * Every rule `candidate` breaks against `published` (null: nothing published yet, so only the
 * minimum model count applies). Limits are inclusive: a value exactly at a limit passes.
 */
export function evaluate(published: ProviderCatalog | null, candidate: ProviderCatalog, rules: GuardRules): Breach[] {
  const breaches: Breach[] = [];
  const count = candidate.models.length;
  if (count < rules.minModels.limit) {
    breaches.push({ rule: 'minModels', action: rules.minModels.action, message: `${count} model${count === 1 ? '' : 's'}, fewer than the minimum ${rules.minModels.limit}` });
  }
  if (!published) return breaches;

  const now = new Map(candidate.models.map((m) => [m.id, m]));
  const before = published.models.length;
  const removed = published.models.filter((m) => !now.has(m.id)).length;
  const share = before ? (removed / before) * 100 : 0;
  if (share > rules.maxRemovedPercent.limit) {
    breaches.push({
      rule: 'maxRemovedPercent',
      action: rules.maxRemovedPercent.action,
      message: `${removed} of ${before} models removed (${trim(share)} %, limit ${trim(rules.maxRemovedPercent.limit)} %)`,
    });
  }

  for (const was of published.models) {
    const is = now.get(was.id);
    if (!is) continue;
    if (was.pricing && !is.pricing && (was.pricing.inputPerMTok > 0 || was.pricing.outputPerMTok > 0)) {
      breaches.push({
        rule: 'priceLost',
        action: rules.priceLost.action,
        model: was.id,
        message: `${was.id} lost its price (input ${money(was.pricing.inputPerMTok)}, output ${money(was.pricing.outputPerMTok)} $/MTok before)`,
      });
    }
    for (const side of ['input', 'output'] as const) {
      const a = priceOf(was, side);
      const b = priceOf(is, side);
      if (a === null || a <= 0 || b === null) continue;
      if (b === 0) {
        breaches.push({ rule: 'priceLost', action: rules.priceLost.action, model: was.id, message: `${was.id} ${side} price ${money(a)} → 0.00 $/MTok (a priced model going to 0)` });
        continue;
      }
      const ratio = b / a;
      const limit = rules.priceFactor.limit;
      if (ratio > limit || ratio < 1 / limit) {
        breaches.push({
          rule: 'priceFactor',
          action: rules.priceFactor.action,
          model: was.id,
          message: `${was.id} ${side} price ${money(a)} → ${money(b)} $/MTok, ${factorWords(ratio)} (limit ×${trim(limit)})`,
        });
      }
    }
    if (was.contextLength && is.contextLength && is.contextLength < was.contextLength) {
      const shrink = ((was.contextLength - is.contextLength) / was.contextLength) * 100;
      if (shrink > rules.contextShrinkPercent.limit) {
        breaches.push({
          rule: 'contextShrinkPercent',
          action: rules.contextShrinkPercent.action,
          model: was.id,
          message: `${was.id} context length ${group(was.contextLength, 0)} → ${group(is.contextLength, 0)} tokens, −${trim(shrink)} % (limit −${trim(rules.contextShrinkPercent.limit)} %)`,
        });
      }
    }
  }
  return breaches;
}

/** True when a breach's rule says hold: the candidate is not published until an admin approves it. */
export const holds = (breaches: readonly Breach[]) => breaches.some((b) => b.action === 'hold');
