/**
 * Per-model overrides (issue 23, item 3), shared with the panel and the CLI: what an admin pins on
 * one model of one provider (its price, context length, display name, or hidden), the one codec of
 * a stored override, the pure overlay that applies them to a catalog, and the policy file
 * (`cli policy export` / `apply`): the guard's policy and every override in one JSON document.
 */
import { z } from 'zod';
import { providerNameSchema, type ProviderCatalog } from '~/server/catalog/schema';
import { policySchema } from './schema';

const price = z.number().finite('a price must be a finite number').min(0, 'a price is at least 0 $/MTok').max(1_000_000, 'a price is at most 1,000,000 $/MTok');

export const modelIdSchema = z
  .string()
  .min(1, 'model id is empty')
  .max(256, 'model id is longer than 256 characters')
  .refine((id) => ![...id].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), { message: 'model id contains a control character' });

/** What an override pins: each field optional, at least one of them. */
const overrideFieldsShape = {
  /** USD per million tokens, as the catalog stores prices. */
  pricing: z.strictObject({ inputPerMTok: price, outputPerMTok: price }).optional(),
  contextLength: z.number().int('a context length is a whole number of tokens').positive('a context length is at least 1 token').max(100_000_000, 'a context length is at most 100,000,000 tokens').optional(),
  /** The display name readers get. */
  name: z.string().trim().min(1, 'a display name is not empty').max(200, 'a display name is at most 200 characters').optional(),
  /** Left out of the catalog readers get (and of its pricing). */
  hidden: z.boolean().optional(),
};

const pinsSomething = (o: { pricing?: unknown; contextLength?: unknown; name?: unknown; hidden?: boolean }) =>
  o.pricing !== undefined || o.contextLength !== undefined || o.name !== undefined || o.hidden === true;
const nothingPinned = 'an override pins at least one of: pricing, contextLength, name, hidden: true (to drop one, remove it)';

/** `catalog.saveOverride`'s input: the override of one model, replaced whole. */
export const overrideInputSchema = z.strictObject({ provider: providerNameSchema, model: modelIdSchema, ...overrideFieldsShape }).refine(pinsSomething, { message: nothingPinned });
export type OverrideInput = z.infer<typeof overrideInputSchema>;

/** `catalog.removeOverride`'s input. */
export const overrideRefSchema = z.strictObject({ provider: providerNameSchema, model: modelIdSchema });
export type OverrideRef = z.infer<typeof overrideRefSchema>;

/** An override as stored and listed: what it pins, when and by whom. */
export const modelOverrideSchema = z.strictObject({
  provider: providerNameSchema,
  model: modelIdSchema,
  ...overrideFieldsShape,
  updatedAt: z.number().int(),
  updatedBy: z.string(),
});
export type ModelOverride = z.infer<typeof modelOverrideSchema>;

/**
 * The codec of the overrides hash (`keys.guardOverrides`): field `<provider>/<model>` (a provider
 * name never contains "/", a model id may), value the override as JSON. Decoding returns null for a
 * value that does not parse (an edit by hand), which readers skip.
 */
export const overrideCodec = {
  field: (provider: string, model: string) => `${provider}/${model}`,
  encode: (o: ModelOverride) => JSON.stringify(o),
  decode(raw: string): ModelOverride | null {
    try {
      const parsed = modelOverrideSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  },
};

/**
 * Pure: the catalog readers get from a source's catalog and the provider's overrides (by model id).
 * An override never adds a model: one naming a model the source does not list waits for it.
 */
export function applyOverrides<C extends ProviderCatalog>(catalog: C, overrides: ReadonlyMap<string, ModelOverride> | undefined): C {
  if (!overrides?.size) return catalog;
  const models = catalog.models.flatMap((m) => {
    const o = overrides.get(m.id);
    if (!o) return [m];
    if (o.hidden) return [];
    return [{ ...m, ...(o.pricing ? { pricing: { ...o.pricing } } : {}), ...(o.contextLength !== undefined ? { contextLength: o.contextLength } : {}), ...(o.name !== undefined ? { name: o.name } : {}) }];
  });
  return { ...catalog, models };
}

/** The one JSON document of `cli policy export` / `cli policy apply`: the policy and every override. */
export const policyFileSchema = z.strictObject({
  policy: policySchema,
  overrides: z.array(z.strictObject({ provider: providerNameSchema, model: modelIdSchema, ...overrideFieldsShape }).refine(pinsSomething, { message: nothingPinned })).default([]),
});
export type PolicyFile = z.infer<typeof policyFileSchema>;
