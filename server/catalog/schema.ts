import { z } from 'zod';
import { PROVIDER_NAME } from '~/server/lib/names';

export const providerNameSchema = z
  .string()
  .min(1, 'provider name is empty')
  .max(64, 'provider name is longer than 64 characters')
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
    message: 'provider name contains a control character',
    abort: true,
  })
  .refine((name) => !/[*?[\]\\{}^]/.test(name), { message: 'provider name contains a glob character (* ? [ ] { } ^ \\)', abort: true })
  .regex(PROVIDER_NAME, 'provider name must be lowercase letters, digits, ".", "_" or "-"');

export const pricingSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
});

export const modelSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  contextLength: z.number().int().positive().nullable(),
  /** USD per million tokens; null when the source does not publish prices. */
  pricing: pricingSchema.nullable(),
  modalities: z.array(z.enum(['text', 'image', 'audio'])),
});

/** A bundled catalog file, data/catalog/<provider>.json. */
export const bundledCatalogSchema = z.strictObject({
  provider: providerNameSchema,
  displayName: z.string().min(1),
  baseUrl: z.url(),
  models: z.array(modelSchema.extend({ contextLength: z.number().int().positive(), pricing: pricingSchema })),
});

/** What a source returns and what the cache stores. */
export const providerCatalogSchema = z.object({
  provider: providerNameSchema,
  displayName: z.string(),
  models: z.array(modelSchema),
});

export type Model = z.infer<typeof modelSchema>;
export type ProviderCatalog = z.infer<typeof providerCatalogSchema>;

export interface CachedProviderCatalog extends ProviderCatalog {
  cachedAt: number;
  source: string;
}

export interface ProviderCacheState {
  name: string;
  displayName: string;
  source: string;
  cached: boolean;
  /** Soft-invalidated: still served (flagged STALE) until its one rebuild lands. */
  stale: boolean;
  /** The catalog guard holds a newer candidate (server/guard/): what is cached is the last published catalog. */
  held: boolean;
  /** How many of the provider's catalog keys exist right now. */
  keys: number;
  keysTotal: number;
  /** Milliseconds until the models key expires; null when it is not cached. */
  ttlMs: number | null;
  cachedAt: number | null;
  modelCount: number | null;
  /** Models of the cached copy without a price or at $0 (derived-values.ts `isUnpriced`); null when not cached or not ours. */
  unpriced: number | null;
  /**
   * The rules of the catalog guard the cached copy breaks against the last published catalog, in
   * words: a copy this app did not publish (a gateway's own write, past the guard). Empty when the
   * copy is the published one, nothing was published yet, or the guard is off.
   */
  unguarded: string[];
  /**
   * `ours`: a models hash of this project; `theirs`: a gateway's own value (CATALOG_KEYS), shown by
   * existence, count, TTL and size only; null when nothing is cached.
   */
  format?: 'ours' | 'theirs' | null;
  /** Bytes the models key takes in Redis (MEMORY USAGE); custom layouts only. */
  sizeBytes?: number | null;
  /** Per-model keys counted from the layout's model index set (SCARD); custom layouts with one only. */
  modelKeys?: number | null;
}

export type PricingTable = Record<string, Record<string, z.infer<typeof pricingSchema>>>;

/** What changed between two model lists, by id: pure, shared by a job's refresh report and the catalog guard. */
export interface ModelDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Pure: ids added, removed, and kept with different fields, each sorted. `before` null = nothing was cached. */
export function diffModels(before: readonly Model[] | null, after: readonly Model[]): ModelDiff {
  const old = new Map((before ?? []).map((m) => [m.id, m]));
  const now = new Map(after.map((m) => [m.id, m]));
  const added = [...now.keys()].filter((id) => !old.has(id)).sort();
  const removed = [...old.keys()].filter((id) => !now.has(id)).sort();
  const changed = [...now.entries()]
    .filter(([id, m]) => {
      const was = old.get(id);
      return was !== undefined && fingerprint(was) !== fingerprint(m);
    })
    .map(([id]) => id)
    .sort();
  return { added, removed, changed };
}

/** What an admin would call a change of a model, independent of key order. */
const fingerprint = (m: Model) =>
  JSON.stringify([m.name, m.contextLength, m.pricing?.inputPerMTok ?? null, m.pricing?.outputPerMTok ?? null, [...m.modalities].sort()]);
