/**
 * The catalog guard's writes, beside the fence (fence.ts) and fenced the same way: a held candidate
 * stored instead of published, and an admin's approval or rejection of it. Every key is the
 * provider's (one hash tag: one slot on a cluster). The guard's decision itself lives above the
 * catalog (server/guard/), which hands the cache a judge; these scripts only store what it decided.
 *
 * Guarantees: a hold never touches the last published copy; when the cached copy is missing (a
 * delete) or stale (a soft invalidation), the last published copy is re-stored fresh with its TTL,
 * so readers get it (flagged held) instead of a miss per read, each fetching the same broken
 * answer. An approval publishes only the candidate it names and only at the generation it was
 * fetched at: an invalidation since then (or a newer candidate) makes it fail. One round trip each.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { callScript, luaScript } from '~/server/redis/scripts';
import { keyedBatch } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import type { ProviderKeySet } from './fence';
import { CHANGE_KEY_NAMES, CHANGES_LUA } from './history/log';
import { CATALOG_FIELDS, decodeModelsHash, encodeModelsHash, MODELS_HASH_LUA, WRITTEN_FIELDS, zipFields } from './models-hash';
import type { CachedProviderCatalog, ModelDiff } from './schema';

/**
 * The codec of a held candidate (`catalog:provider:{<name>}:held`, keys.ts `providerHeld`): a
 * catalog the guard (server/guard/) did not publish, with why. Field names, encoding, decoding and
 * the Lua that writes it and reads the candidate back, in one module (tests/server/catalog/
 * held-hash.test.ts writes with one side and reads with the other).
 *
 * Fields: `id` (names this candidate: an approval or rejection names the one it saw), `gen` (the
 * provider's generation when it was fetched: an invalidation since then makes approval fail),
 * `heldAt` (ms), the candidate in the models hash's WRITTEN_FIELDS, its `pricing` table (JSON),
 * `breaches` (JSON: the broken rules in words), `diff` (JSON: ids added, removed, changed
 * against the last published catalog), `job` (the job that fetched it, '' for a reader's rebuild)
 * and `changes` (its model changes as the catalog's history records them, history/log.ts
 * `encodeChanges`: an approval appends them in its script). No TTL: a held candidate stays until a newer fetch replaces
 * it, an admin approves or rejects it.
 */
export const HELD_FIELDS = ['id', 'gen', 'heldAt', ...WRITTEN_FIELDS, 'pricing', 'breaches', 'diff', 'job', 'changes'] as const;
export type HeldField = (typeof HELD_FIELDS)[number];

export interface HeldCandidate {
  id: string;
  gen: string;
  heldAt: number;
  candidate: CachedProviderCatalog;
  /** The candidate's pricing table, JSON (what the pricing key gets when it is approved). */
  pricing: string;
  breaches: string[];
  diff: ModelDiff;
  /** The job that fetched it; '' for a reader's rebuild. */
  job?: string;
  /** Its changes for the history (history/log.ts `encodeChanges`), appended when it is approved. */
  changes?: string;
}

export function encodeHeld(h: HeldCandidate): Record<HeldField, string> {
  return {
    id: h.id,
    gen: h.gen,
    heldAt: String(h.heldAt),
    ...encodeModelsHash(h.candidate),
    pricing: h.pricing,
    breaches: JSON.stringify(h.breaches),
    diff: JSON.stringify(h.diff),
    job: h.job ?? '',
    changes: h.changes ?? '[]',
  };
}

/** Values of an HMGET of HELD_FIELDS; null when nothing is held (or what is there is not a candidate). */
export function decodeHeld(values: readonly (string | null | undefined)[]): HeldCandidate | null {
  const f = Object.fromEntries(HELD_FIELDS.map((name, i) => [name, values[i] || null])) as Record<HeldField, string | null>;
  if (!f.id || !f.gen) return null;
  const { catalog } = decodeModelsHash(f);
  if (!catalog) return null;
  return {
    id: f.id,
    gen: f.gen,
    heldAt: Number(f.heldAt ?? 0),
    candidate: catalog,
    pricing: f.pricing ?? '{}',
    breaches: JSON.parse(f.breaches ?? '[]') as string[],
    diff: JSON.parse(f.diff ?? '{"added":[],"removed":[],"changed":[]}') as ModelDiff,
    job: f.job ?? '',
    changes: f.changes ?? '[]',
  };
}

/**
 * In Lua, a local table `heldHash` (scripts include it after MODELS_HASH_LUA):
 * - `write(key, values)`: replaces the hash with the HELD_FIELDS of `values` (as `encodeHeld` names them).
 * - `candidate(key)`: the candidate's WRITTEN_FIELDS and `pricing`, as a table `modelsHash.write` takes.
 */
export const HELD_HASH_LUA = `local heldHash = {}
function heldHash.write(key, values)
  redis.call('DEL', key)
  redis.call('HSET', key, ${HELD_FIELDS.map((f) => `'${f}', values.${f}`).join(', ')})
end
function heldHash.candidate(key)
  local v = redis.call('HMGET', key, ${[...WRITTEN_FIELDS, 'pricing'].map((f) => `'${f}'`).join(', ')})
  return {${[...WRITTEN_FIELDS, 'pricing'].map((f, i) => `${f} = v[${i + 1}]`).join(', ')}}
end`;

/**
 * 0: fenced (an invalidation ran since the miss; nothing stored). 1: held, the cached copy stays
 * (fresh already, or a stale one with nothing published, made fresh). 2: held, the last published
 * copy re-stored. 3: held, and nothing to serve (no copy, nothing published).
 */
const holdScript = luaScript({
  name: 'catalogProviderHold',
  keys: ['models', 'pricing', 'gen', 'lease', 'published', 'held'],
  args: ['token', 'ttlMs', 'basisPricing', 'servedCatalog', 'servedModelCount', 'servedUnpriced', ...HELD_FIELDS],
  lua: `${MODELS_HASH_LUA}
${HELD_HASH_LUA}
if A.token ~= '' and redis.call('GET', K.lease) == A.token then redis.call('DEL', K.lease) end
if (redis.call('GET', K.gen) or '0') ~= A.gen then return 0 end
heldHash.write(K.held, A)
local state = modelsHash.state(modelsHash.read(K.models))
if state == 'hit' then return 1 end
if redis.call('EXISTS', K.published) == 1 then
  modelsHash.copy(K.published, K.models, A.ttlMs)
  -- Readers get the published copy with the overrides applied ('' when they change nothing).
  if A.servedCatalog ~= '' then redis.call('HSET', K.models, 'catalog', A.servedCatalog, 'modelCount', A.servedModelCount, 'unpriced', A.servedUnpriced) end
  redis.call('SET', K.pricing, A.basisPricing, 'PX', A.ttlMs)
  return 2
end
if state == 'stale' then
  redis.call('HDEL', K.models, 'stale')
  redis.call('PEXPIRE', K.models, A.ttlMs)
  return 1
end
return 3`,
});

/**
 * {'ok', changes}: published, its changes appended to the history (approved by `by`). {'gone'}: no
 * candidate with this id (rejected, approved, or replaced). {'overtaken'}: an invalidation since its
 * fetch. The published copy cannot have moved while the candidate was held (every publication
 * deletes the held hash), so the changes computed at the hold are still the publication's.
 */
const approveScript = luaScript({
  name: 'catalogHeldApprove',
  keys: ['models', 'pricing', 'gen', 'lease', 'published', 'held', ...CHANGE_KEY_NAMES],
  args: ['id', 'ttlMs', 'servedCatalog', 'servedModelCount', 'servedUnpriced', 'servedPricing', 'by', 'at', 'retentionMs'],
  lua: `${MODELS_HASH_LUA}
${HELD_HASH_LUA}
${CHANGES_LUA}
if redis.call('HGET', K.held, 'id') ~= A.id then return {'gone'} end
if (redis.call('GET', K.gen) or '0') ~= redis.call('HGET', K.held, 'gen') then return {'overtaken'} end
local changes = redis.call('HGET', K.held, 'changes') or '[]'
changesLog.append(K, changes, A.at, A.retentionMs, {by = A.by})
local c = heldHash.candidate(K.held)
modelsHash.persist(K.published, c)
-- Readers get the candidate with the overrides applied ('' when they change nothing).
if A.servedCatalog ~= '' then
  c.catalog = A.servedCatalog
  c.modelCount = A.servedModelCount
  c.unpriced = A.servedUnpriced
  c.pricing = A.servedPricing
end
modelsHash.write(K.models, c, A.ttlMs)
redis.call('SET', K.pricing, c.pricing, 'PX', A.ttlMs)
redis.call('DEL', K.held)
return {'ok', changes}`,
});

/** 1 if the candidate named was held and is discarded, 0 if it was not there any more. */
const rejectScript = luaScript({
  name: 'catalogHeldReject',
  keys: ['held'],
  args: ['id'],
  lua: `if redis.call('HGET', K.held, 'id') ~= A.id then return 0 end
redis.call('DEL', K.held)
return 1`,
});

export const HELD_SCRIPTS = [holdScript, approveScript, rejectScript];

export type HoldResult = 'fenced' | 'kept' | 'restored' | 'nothing';

/**
 * A catalog with the overrides applied, as the scripts take it: '' throughout when the overrides
 * change nothing. Its counts are of what readers get (a hidden model is not counted as unpriced).
 */
export interface ServedFields {
  servedCatalog: string;
  servedModelCount: string;
  servedUnpriced: string;
}

/** `served` as the hold and approve scripts take it ('' when it is `raw` itself: nothing overridden). */
export function servedFields(raw: CachedProviderCatalog | null, served: CachedProviderCatalog | null): ServedFields {
  if (!served || served === raw) return { servedCatalog: '', servedModelCount: '', servedUnpriced: '' };
  const { catalog, modelCount, unpriced } = encodeModelsHash(served);
  return { servedCatalog: catalog, servedModelCount: modelCount, servedUnpriced: unpriced };
}

/** `w.served`: the last published copy with the overrides applied, for a re-store (servedFields). */
export async function holdProvider(redis: RedisClient, keys: ProviderKeySet, h: HeldCandidate, w: { token: string; ttlMs: number; basisPricing: string; served: ServedFields }): Promise<HoldResult> {
  const reply = Number(await callScript(redis, holdScript, keys, { token: w.token, ttlMs: w.ttlMs, basisPricing: w.basisPricing, ...w.served, ...encodeHeld(h) }));
  return (['fenced', 'kept', 'restored', 'nothing'] as const)[reply] ?? 'fenced';
}

export type ApproveResult = 'ok' | 'gone' | 'overtaken';

/**
 * `served`: the candidate with the overrides applied (servedFields) and its pricing JSON ('' when
 * nothing is overridden). `changes`: what the approval appended to the history (history/log.ts
 * `encodeChanges`, the candidate against the last published copy, both as the source answered).
 */
export async function approveHeld(
  redis: RedisClient,
  keys: ProviderKeySet,
  id: string,
  ttlMs: number,
  history: { by: string; at: number; retentionMs: number },
  served: ServedFields & { servedPricing: string } = { servedCatalog: '', servedModelCount: '', servedUnpriced: '', servedPricing: '' },
): Promise<{ result: ApproveResult; changes: string }> {
  const [result, changes] = (await callScript(redis, approveScript, keys, { id, ttlMs, ...served, ...history })) as [ApproveResult, string?];
  return { result, changes: changes ?? '[]' };
}

export async function rejectHeld(redis: RedisClient, keys: ProviderKeySet, id: string): Promise<boolean> {
  return Number(await callScript(redis, rejectScript, { held: keys.held }, { id })) === 1;
}

export interface HeldRead {
  provider: string;
  held: HeldCandidate | null;
  /** The last published copy (the basis of the review's before → after); null if none. */
  published: CachedProviderCatalog | null;
}

/** Each provider's held candidate and last published copy, in one round trip (one per node on a cluster). */
export async function readHeld(redis: RedisClient, keysOf: (name: string) => ProviderKeySet, names: readonly string[]): Promise<HeldRead[]> {
  const batch = keyedBatch(redis);
  for (const name of names) {
    const k = keysOf(name);
    batch.add(k.held, (t) => t.hmget(k.held, ...HELD_FIELDS));
    batch.add(k.published, (t) => t.hmget(k.published, ...CATALOG_FIELDS));
  }
  const replies = await execChecked(batch);
  return names.map((provider, i) => ({
    provider,
    held: decodeHeld(replies[2 * i] as (string | null)[]),
    published: decodeModelsHash(zipFields(CATALOG_FIELDS, replies[2 * i + 1] as (string | null)[])).catalog,
  }));
}
