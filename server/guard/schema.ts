/**
 * The catalog guard's policy and what it reports (shared with the panel): the rules a candidate
 * catalog is checked against before it is published, global defaults and per-provider rules, each
 * rule's action `hold` (not published until an admin approves) or `alert` (published, reported).
 */
import { z } from 'zod';
import { modelChangeSchema } from '~/server/catalog/history/schema';
import { providerNameSchema } from '~/server/catalog/schema';

export const ruleActionSchema = z.enum(['hold', 'alert']);
export type RuleAction = z.infer<typeof ruleActionSchema>;

const percent = z.number().min(0, 'a percentage is at least 0').max(100, 'a percentage is at most 100');

export const guardRulesSchema = z.strictObject({
  /** At most this share of the last published models may disappear in one candidate. */
  maxRemovedPercent: z.strictObject({ limit: percent, action: ruleActionSchema }),
  /** A price (input or output) may move at most ×limit either way. */
  priceFactor: z.strictObject({ limit: z.number().min(1, 'a price factor is at least 1'), action: ruleActionSchema }),
  /** A priced model losing its price, or a price going to 0. */
  priceLost: z.strictObject({ action: ruleActionSchema }),
  /** A model's context length may shrink by at most this percentage. */
  contextShrinkPercent: z.strictObject({ limit: percent, action: ruleActionSchema }),
  /** A candidate must list at least this many models. */
  minModels: z.strictObject({ limit: z.number().int().min(1, 'the minimum model count is at least 1'), action: ruleActionSchema }),
});
export type GuardRules = z.infer<typeof guardRulesSchema>;
export type RuleName = keyof GuardRules;

export const policySchema = z.strictObject({
  defaults: guardRulesSchema,
  /** Per provider, the rules that differ from the defaults (each rule whole). */
  providers: z.record(providerNameSchema, guardRulesSchema.partial()).default({}),
});
export type GuardPolicy = z.infer<typeof policySchema>;
export type GuardPolicyInput = z.input<typeof policySchema>;

/**
 * The defaults, after LiteLLM's catalog sync (its PR #39845 holds a price moving more than 10×,
 * prices crossing zero and shrinking limits): a real provider rarely withdraws a fifth of its
 * models or halves a context window in one day, and a ×10 move is a unit slip (per token vs per
 * million) far more often than a price change. One model is the floor (verify.ts already refuses
 * an empty list).
 */
export const DEFAULT_POLICY: GuardPolicy = {
  defaults: {
    maxRemovedPercent: { limit: 20, action: 'hold' },
    priceFactor: { limit: 10, action: 'hold' },
    priceLost: { action: 'hold' },
    contextShrinkPercent: { limit: 50, action: 'hold' },
    minModels: { limit: 1, action: 'hold' },
  },
  providers: {},
};

/** One rule broken by a candidate, in words a person reads. */
export const breachSchema = z.object({
  rule: z.enum(['maxRemovedPercent', 'priceFactor', 'priceLost', 'contextShrinkPercent', 'minModels']),
  action: ruleActionSchema,
  /** The model it is about, when it is about one. */
  model: z.string().optional(),
  message: z.string(),
});
export type Breach = z.infer<typeof breachSchema>;

/** One model of a held candidate against the last published catalog, field by field (the history's rows too). */
export { fieldChangeSchema, modelChangeSchema, type ModelChange } from '~/server/catalog/history/schema';

/** A held candidate as `catalog.held` answers it. */
export const heldViewSchema = z.object({
  provider: z.string(),
  /** Names this candidate: approve and reject name the one the admin saw. */
  id: z.string(),
  heldAt: z.number(),
  breaches: z.array(z.string()),
  candidateModels: z.number().int(),
  /** Models in the last published catalog (what readers get meanwhile); null if none. */
  publishedModels: z.number().int().nullable(),
  publishedAt: z.number().nullable(),
  changes: z.array(modelChangeSchema),
});
export type HeldView = z.infer<typeof heldViewSchema>;

export const reviewInputSchema = z.strictObject({ provider: providerNameSchema, id: z.string().min(1).max(64) });
export type ReviewInput = z.infer<typeof reviewInputSchema>;
