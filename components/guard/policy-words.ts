/**
 * The catalog guard's policy in words, and the Policy page's editable copy of it. Pure and free of
 * zod (the schema stays on the server: `server/guard/schema.ts` validates what `policy.save` gets);
 * only its types are imported here.
 */
import type { GuardPolicy, GuardRules, RuleAction, RuleName } from '~/server/guard/schema';
import { plural } from '~/components/common/format';

/** The rules in the order the page lists them, each with a short name. */
export const RULES: readonly { name: RuleName; label: string; hasLimit: boolean; unit: string }[] = [
  { name: 'maxRemovedPercent', label: 'Models removed', hasLimit: true, unit: '%' },
  { name: 'priceFactor', label: 'Price factor', hasLimit: true, unit: '×' },
  { name: 'priceLost', label: 'Price lost', hasLimit: false, unit: '' },
  { name: 'contextShrinkPercent', label: 'Context shrink', hasLimit: true, unit: '%' },
  { name: 'minModels', label: 'Minimum models', hasLimit: true, unit: 'models' },
];

export const ACTION_WORDS: Record<RuleAction, string> = { hold: 'hold for review', alert: 'publish and alert' };

/** A rule's threshold in words: "a price moving more than ×10 either way". */
export function ruleWords(name: RuleName, limit: number | undefined): string {
  const n = limit ?? 0;
  switch (name) {
    case 'maxRemovedPercent':
      return `at most ${n} % of models removed`;
    case 'priceFactor':
      return `a price moving more than ×${n} either way`;
    case 'priceLost':
      return 'a priced model losing its price or going to 0';
    case 'contextShrinkPercent':
      return `context length shrinking by more than ${n} %`;
    case 'minModels':
      return `fewer than ${plural(n, 'model')}`;
  }
}

/** One rule as the form holds it: the limit as typed. */
export interface DraftRule {
  limit: string;
  action: RuleAction;
}
export type DraftRules = Record<RuleName, DraftRule>;
export interface Draft {
  defaults: DraftRules;
  /** Per provider, only the rules it overrides. */
  providers: Record<string, Partial<DraftRules>>;
}

type AnyRule = { limit?: number; action: RuleAction };
const draftRule = (rule: AnyRule): DraftRule => ({ limit: rule.limit === undefined ? '' : String(rule.limit), action: rule.action });

/** The form's copy of a stored policy. */
export function toDraft(policy: GuardPolicy): Draft {
  const rules = (r: Partial<GuardRules>): Partial<DraftRules> =>
    Object.fromEntries(RULES.flatMap(({ name }) => (r[name] ? [[name, draftRule(r[name])]] : []))) as Partial<DraftRules>;
  return {
    defaults: rules(policy.defaults) as DraftRules,
    providers: Object.fromEntries(Object.entries(policy.providers).map(([p, r]) => [p, rules(r)])),
  };
}

/**
 * The policy to send, or the first limit that is not a number, in words. Ranges (a percentage
 * within 0–100, a factor ≥ 1…) are the server's to check: it answers in words too.
 */
export function fromDraft(draft: Draft): { policy: GuardPolicy } | { error: string } {
  let error: string | null = null;
  const rules = (r: Partial<DraftRules>, scope: string) =>
    Object.fromEntries(
      RULES.flatMap(({ name, label, hasLimit }) => {
        const rule = r[name];
        if (!rule) return [];
        if (!hasLimit) return [[name, { action: rule.action }]];
        const limit = rule.limit.trim() === '' ? Number.NaN : Number(rule.limit);
        if (!Number.isFinite(limit)) error ??= `${label} (${scope}) needs a number`;
        return [[name, { limit, action: rule.action }]];
      }),
    );
  const policy = {
    defaults: rules(draft.defaults, 'global defaults') as GuardRules,
    providers: Object.fromEntries(Object.entries(draft.providers).map(([p, r]) => [p, rules(r, p) as Partial<GuardRules>])),
  };
  return error ? { error } : { policy };
}
