/**
 * The catalog's own history, as the panel and scripts see it (shared with the browser): every
 * published change of a provider's catalog, one row per model, with its fields before → after.
 */
import { z } from 'zod';
import { providerNameSchema } from '~/server/catalog/schema';

/** One field of one model, before → after, in words ('' on the side where the model is absent). */
export const fieldChangeSchema = z.object({ field: z.string(), before: z.string(), after: z.string() });
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** One model of a candidate against the last published catalog (the review's and the history's unit). */
export const modelChangeSchema = z.object({
  id: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  /** `changed`: each field that differs; `added`/`removed`: the model's fields on its side. */
  fields: z.array(fieldChangeSchema),
});
export type ModelChange = z.infer<typeof modelChangeSchema>;

/** What the Changes page filters by: a changed model is `price` when a price moved (whatever else did), else `other`. */
export const CHANGE_KINDS = ['added', 'removed', 'price', 'other'] as const;
export const changeKindSchema = z.enum(CHANGE_KINDS);
export type ChangeKind = z.infer<typeof changeKindSchema>;

/** How a change was published: a job's refresh, a reader's rebuild, an admin's approval of a held candidate. */
export const changeViaSchema = z.enum(['refresh', 'rebuild', 'approval']);
export type ChangeVia = z.infer<typeof changeViaSchema>;

/** One row of the history: one model's change in one publication. */
export const catalogChangeSchema = z.object({
  /** Unique across providers and kinds: `<provider>/<kind>/<stream id>`. */
  id: z.string(),
  provider: z.string(),
  model: z.string(),
  kind: changeKindSchema,
  fields: z.array(fieldChangeSchema),
  /** When it was published (ms). */
  at: z.number(),
  /** Names the publication: the rows of one publication share it (and the `catalog.changed` webhook's id). */
  publication: z.string(),
  via: changeViaSchema,
  /** The job whose refresh fetched it (for an approval: the job that fetched the held candidate), if any. */
  job: z.string().nullable(),
  /** Who approved it, for an approval. */
  approvedBy: z.string().nullable(),
});
export type CatalogChange = z.infer<typeof catalogChangeSchema>;

/** Not strict: an infinite query adds its own keys (`direction`), which are dropped. */
export const changesInputSchema = z.object({
  provider: providerNameSchema.optional(),
  kind: changeKindSchema.optional(),
  /** From the previous page's `nextCursor`. */
  cursor: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ChangesInput = z.input<typeof changesInputSchema>;

export const changesPageSchema = z.object({ items: z.array(catalogChangeSchema), nextCursor: z.string().nullable(), retentionDays: z.number() });
export type ChangesPage = z.infer<typeof changesPageSchema>;

/** What the catalog tells whoever listens (the `catalog.changed` and `catalog.held` webhooks) after a publication or a hold. */
export type CatalogEvent =
  | { type: 'catalog.changed'; provider: string; publication: string; via: ChangeVia; job: string | null; approvedBy: string | null; at: number; changes: ModelChange[] }
  | { type: 'catalog.held'; provider: string; id: string; job: string | null; at: number; breaches: string[]; changes: ModelChange[] };
