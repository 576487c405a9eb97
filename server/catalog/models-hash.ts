/**
 * The codec of a provider's models hash (`catalog:provider:{<name>}:models`): its field names, how
 * a cached catalog is encoded into them and decoded out of them, and the Lua that reads, writes and
 * marks it inside scripts (fence.ts includes `MODELS_HASH_LUA`). Every reader and writer of the
 * hash goes through this module, in TypeScript and in Lua, so a writer and a reader cannot name a
 * field differently (tests/server/catalog/models-hash.test.ts writes with one side, reads with the
 * other).
 *
 * Fields: `catalog` (JSON: provider, displayName, models), `modelCount`, `cachedAt` (ms), `source`,
 * `unpriced` (how many of its models have no price or a $0 one, derived-values.ts `isUnpriced`:
 * counted when written, so the admins' cache state reads a number, not the catalog), and `stale` =
 * "1" once soft-invalidated (kept, served flagged, until one rebuild lands). Values are strings:
 * Lua would print large numbers in exponent form.
 */
import 'server-only';
import { unpricedCount } from './derived-values';
import { providerCatalogSchema, type CachedProviderCatalog } from './schema';

/** What a write sets (all at once, after deleting the hash: a rebuilt copy is never stale). */
export const WRITTEN_FIELDS = ['catalog', 'modelCount', 'cachedAt', 'source', 'unpriced'] as const;
export const STALE_FIELD = 'stale';
/** What a reader of the catalog reads, in this order (HMGET in Lua and in pipelines). */
export const CATALOG_FIELDS = ['catalog', 'cachedAt', 'source', STALE_FIELD] as const;
/** What the admins' cache state reads (not the catalog itself, which may be large). */
export const STATE_FIELDS = ['cachedAt', 'modelCount', STALE_FIELD, 'unpriced'] as const;

export type ModelsHashField = (typeof WRITTEN_FIELDS)[number] | typeof STALE_FIELD;
export type EncodedModelsHash = Record<(typeof WRITTEN_FIELDS)[number], string>;
/** Fields as read: null (TS) or '' (Lua) where absent. */
export type ModelsHashFields = Partial<Record<ModelsHashField, string | null>>;

export function encodeModelsHash(catalog: CachedProviderCatalog): EncodedModelsHash {
  return {
    catalog: JSON.stringify({ provider: catalog.provider, displayName: catalog.displayName, models: catalog.models }),
    modelCount: String(catalog.models.length),
    cachedAt: String(catalog.cachedAt),
    source: catalog.source,
    unpriced: String(unpricedCount(catalog.models)),
  };
}

/** Pairs the values of an HMGET (or a script's reply) with the field names it asked for. */
export function zipFields(names: readonly ModelsHashField[], values: readonly (string | null | undefined)[]): ModelsHashFields {
  return Object.fromEntries(names.map((name, i) => [name, values[i] || null]));
}

export interface DecodedModelsHash {
  /** The cached catalog; null when absent or not a catalog. */
  catalog: CachedProviderCatalog | null;
  cachedAt: number | null;
  source: string | null;
  modelCount: number | null;
  /** Models without a price (or at $0), as counted when written; null where a writer did not count (a gateway's own write). */
  unpriced: number | null;
  stale: boolean;
}

/** Throws only on a `catalog` field that is not JSON (as every reader always has). */
export function decodeModelsHash(fields: ModelsHashFields): DecodedModelsHash {
  const cachedAt = fields.cachedAt ? Number(fields.cachedAt) : null;
  const source = fields.source ?? null;
  const parsed = fields.catalog ? providerCatalogSchema.safeParse(JSON.parse(fields.catalog)) : null;
  return {
    catalog: parsed?.success ? { ...parsed.data, cachedAt: cachedAt ?? 0, source: source ?? '' } : null,
    cachedAt,
    source,
    modelCount: fields.modelCount ? Number(fields.modelCount) : null,
    unpriced: fields.unpriced ? Number(fields.unpriced) : null,
    stale: fields.stale === '1',
  };
}

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

/**
 * The hash in Lua, a local table `modelsHash` for scripts to include:
 * - `read(key)`: the CATALOG_FIELDS as a table, '' where absent; `reply(h)` lists them in that order
 *   (what `zipFields(CATALOG_FIELDS, …)` pairs up in TypeScript).
 * - `state(h)`: 'miss' without a catalog, 'stale' when marked, else 'hit'.
 * - `write(key, values, ttlMs)`: replaces the hash with the WRITTEN_FIELDS of `values` (named as
 *   `encodeModelsHash` names them) and its TTL. A field `values` lacks is left out, not an error: a
 *   copy or candidate stored before a field existed (`unpriced`) is still copied and published.
 *   (`fields(values)`: those fields as HSET arguments.)
 * - `markStale(key)`: marks an existing hash stale; a missing one stays missing (no stray key
 *   without a TTL). 1 if marked.
 * - `persist(key, values)`: as `write`, without a TTL (the last published copy, keys.ts
 *   `providerPublished`, has the same fields and this same codec).
 * - `copy(from, to, ttlMs)`: `to` becomes a fresh (not stale) copy of `from`'s WRITTEN_FIELDS.
 */
export const MODELS_HASH_LUA = `local modelsHash = {}
function modelsHash.read(key)
  local v = redis.call('HMGET', key, ${quoted(CATALOG_FIELDS)})
  return {${CATALOG_FIELDS.map((f, i) => `${f} = v[${i + 1}] or ''`).join(', ')}}
end
function modelsHash.reply(h)
  return {${CATALOG_FIELDS.map((f) => `h.${f}`).join(', ')}}
end
function modelsHash.state(h)
  if h.catalog == '' then return 'miss' end
  if h.${STALE_FIELD} == '1' then return 'stale' end
  return 'hit'
end
function modelsHash.fields(values)
  local args = {}
  for _, f in ipairs({${quoted(WRITTEN_FIELDS)}}) do
    if values[f] then table.insert(args, f); table.insert(args, values[f]) end
  end
  return args
end
function modelsHash.write(key, values, ttlMs)
  redis.call('DEL', key)
  redis.call('HSET', key, unpack(modelsHash.fields(values)))
  redis.call('PEXPIRE', key, ttlMs)
end
function modelsHash.persist(key, values)
  redis.call('DEL', key)
  redis.call('HSET', key, unpack(modelsHash.fields(values)))
end
function modelsHash.copy(from, to, ttlMs)
  local v = redis.call('HMGET', from, ${quoted(WRITTEN_FIELDS)})
  modelsHash.write(to, {${WRITTEN_FIELDS.map((f, i) => `${f} = v[${i + 1}]`).join(', ')}}, ttlMs)
end
function modelsHash.markStale(key)
  if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, '${STALE_FIELD}', '1'); return 1 end
  return 0
end`;
