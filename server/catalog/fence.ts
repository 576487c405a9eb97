/**
 * Fenced, single-flight rebuilds, after the leases of Facebook's memcache (NSDI 2013).
 *
 * - Every invalidation bumps the generation of what it drops (a provider's `gen`, or the global
 *   `gen`) inside its own batch, at no extra round trip.
 * - A read is one script: the value, the generation, and, on a miss, a try at the rebuild lease (a
 *   random token, SET NX PX). One reader in the cluster wins it; the others wait for its write.
 * - A rebuild writes through a script that checks the generation it read at the miss: if an
 *   invalidation ran in between, the write is dropped (the reader still gets its answer). So an
 *   invalidation always wins over a rebuild that began before it.
 *
 * Guarantees: no value fetched before an invalidation is stored after it; at most one source fetch
 * per provider per lease period while the lease holder lives. Not guaranteed: two fetches when a
 * holder outlives its lease (both writes are fenced, so both are fresh). Cost: a hit is one round
 * trip, a rebuild two (the read, the fenced write), a waiter one per poll.
 *
 * The models hash is read and written through its codec (models-hash.ts), in Lua as in TypeScript.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { ChainableCommander } from 'ioredis';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';
import { STATE_SCRIPTS } from './cache-state';
import { HELD_SCRIPTS } from './held';
import { CHANGE_KEY_NAMES, CHANGES_LUA, type ChangeKeys } from './history/log';
import { CATALOG_FIELDS, decodeModelsHash, encodeModelsHash, MODELS_HASH_LUA, WRITTEN_FIELDS, zipFields } from './models-hash';
import type { CachedProviderCatalog } from './schema';

/**
 * Replies: the state, the generation, 1 if the lease was taken, 1 if the guard holds a candidate,
 * the basis mode, then the CATALOG_FIELDS of the cached copy, then (basis mode `own` only) those of
 * the last published copy. The basis is what the guard checks a candidate against: asked for
 * (`wantBasis` 1) only when a rebuild may follow (not on a hit), or always (2, a job's snapshot), so
 * it rides in the read that precedes every write from a source and costs no round trip. Mode
 * `same`: the cached copy is the basis (it equals the published one, or none was published yet,
 * which makes the copy cached before the guard existed its first baseline); `none`: not asked.
 */
const providerRead = luaScript({
  name: 'catalogProviderRead',
  keys: ['models', 'gen', 'lease', 'published', 'held'],
  args: ['token', 'leaseMs', 'wantLease', 'wantBasis'],
  lua: `${MODELS_HASH_LUA}
local h = modelsHash.read(K.models)
local gen = redis.call('GET', K.gen) or '0'
local state = modelsHash.state(h)
local leased = 0
if state ~= 'hit' and A.wantLease == '1' and redis.call('SET', K.lease, A.token, 'NX', 'PX', A.leaseMs) then leased = 1 end
local basis = 'none'
local p = nil
if A.wantBasis == '2' or (A.wantBasis == '1' and state ~= 'hit') then
  basis = 'same'
  if redis.call('EXISTS', K.published) == 1 then
    p = modelsHash.read(K.published)
    if p.catalog ~= h.catalog then basis = 'own' end
  end
end
local reply = {state, gen, leased, redis.call('EXISTS', K.held), basis}
for _, v in ipairs(modelsHash.reply(h)) do table.insert(reply, v) end
if basis == 'own' then for _, v in ipairs(modelsHash.reply(p)) do table.insert(reply, v) end end
return reply`,
});

/**
 * Releases the lease if `token` holds it; stores only if the generation is still `gen`. 1 if stored,
 * 2 if stored and its changes recorded in the catalog's history. A stored copy is published: the
 * source's answer (`rawCatalog`, `rawModelCount`, `rawUnpriced`; '' when the overrides changed
 * nothing) becomes the guard's last published copy (no TTL), the served one (the overrides applied)
 * the cached copy and its pricing, and any held candidate is dropped. Its `changes` (history/log.ts,
 * source against source: the basis the guard judged) are appended only if the published copy is
 * still that basis (its `cachedAt` is `basisAt`) or there is none: a writer that raced another at
 * the same generation does not record the other's change a second time.
 */
const providerWrite = luaScript({
  name: 'catalogProviderWrite',
  keys: ['models', 'pricing', 'gen', 'lease', 'published', 'held', ...CHANGE_KEY_NAMES],
  args: ['gen', 'token', 'ttlMs', ...WRITTEN_FIELDS, 'pricing', 'rawCatalog', 'rawModelCount', 'rawUnpriced', 'changes', 'basisAt', 'at', 'retentionMs'],
  lua: `${MODELS_HASH_LUA}
${CHANGES_LUA}
if A.token ~= '' and redis.call('GET', K.lease) == A.token then redis.call('DEL', K.lease) end
if (redis.call('GET', K.gen) or '0') ~= A.gen then return 0 end
local recorded = 0
if A.changes ~= '[]' then
  local was = redis.call('HGET', K.published, 'cachedAt')
  if not was or was == A.basisAt then recorded = changesLog.append(K, A.changes, A.at, A.retentionMs, {}) end
end
modelsHash.write(K.models, A, A.ttlMs)
if A.rawCatalog == '' then
  modelsHash.persist(K.published, A)
else
  modelsHash.persist(K.published, {catalog = A.rawCatalog, modelCount = A.rawModelCount, cachedAt = A.cachedAt, source = A.source, unpriced = A.rawUnpriced})
end
redis.call('DEL', K.held)
redis.call('SET', K.pricing, A.pricing, 'PX', A.ttlMs)
if recorded > 0 then return 2 end
return 1`,
});

/**
 * The overrides changed: the cached copy gets the served catalog recomputed from the last published
 * one, only if the generation is still `gen` and the copy is fresh (a missing or stale copy is
 * rebuilt with the overrides anyway), keeping its TTL, with its model and unpriced counts (what
 * readers get: a price override may price an unpriced model, a hidden one is not counted). Never
 * touches the published copy or a hold. 1 if rewritten.
 */
const providerReserve = luaScript({
  name: 'catalogProviderReserve',
  keys: ['models', 'pricing', 'gen'],
  args: ['gen', 'catalog', 'modelCount', 'unpriced', 'pricing'],
  lua: `${MODELS_HASH_LUA}
if (redis.call('GET', K.gen) or '0') ~= A.gen then return 0 end
if modelsHash.state(modelsHash.read(K.models)) ~= 'hit' then return 0 end
local ttl = redis.call('PTTL', K.models)
if ttl <= 0 then return 0 end
redis.call('HSET', K.models, 'catalog', A.catalog, 'modelCount', A.modelCount, 'unpriced', A.unpriced)
redis.call('SET', K.pricing, A.pricing, 'PX', ttl)
return 1`,
});

const stringRead = luaScript({
  name: 'catalogStringRead',
  keys: ['value', 'gen', 'lease'],
  args: ['token', 'leaseMs', 'wantLease'],
  lua: `local v = redis.call('GET', K.value)
local gen = redis.call('GET', K.gen) or '0'
local leased = 0
if not v and A.wantLease == '1' and redis.call('SET', K.lease, A.token, 'NX', 'PX', A.leaseMs) then leased = 1 end
if v then return {'hit', v, gen, 0} end
return {'miss', '', gen, leased}`,
});

/** Sets each of `targets` to the value at the same place in `values`, only if `gen` still holds. */
const stringsWrite = luaScript({
  name: 'catalogStringsWrite',
  keys: ['gen', 'lease'],
  restKeys: 'targets',
  args: ['gen', 'token', 'ttlMs'],
  restArgs: 'values',
  lua: `if A.token ~= '' and redis.call('GET', K.lease) == A.token then redis.call('DEL', K.lease) end
if (redis.call('GET', K.gen) or '0') ~= A.gen then return 0 end
for i, key in ipairs(K.targets) do redis.call('SET', key, A.values[i], 'PX', A.ttlMs) end
return 1`,
});

/**
 * Soft invalidation of one provider, queued in the invalidation's MULTI. Marks an existing hash
 * stale (readers keep it, flagged, while one rebuild runs) and bumps the generation; a missing hash
 * is left missing. Returns 1 if marked.
 */
export const markStale = luaScript({
  name: 'catalogMarkStale',
  keys: ['models', 'gen'],
  args: [],
  lua: `${MODELS_HASH_LUA}
local marked = modelsHash.markStale(K.models)
redis.call('INCR', K.gen)
return marked`,
});

export const CATALOG_SCRIPTS = [providerRead, providerWrite, providerReserve, stringRead, stringsWrite, markStale, ...HELD_SCRIPTS, ...STATE_SCRIPTS];

export const prepareCatalogConnection = (redis: RedisClient) => defineScripts(redis, CATALOG_SCRIPTS);

export type ReadState = 'hit' | 'stale' | 'miss';

export interface ProviderReadReply {
  state: ReadState;
  /** The cached copy, stale or not; null on a miss (or a copy that is not a catalog). */
  catalog: CachedProviderCatalog | null;
  gen: string;
  leased: boolean;
  /** The guard holds a candidate of this provider: readers get the last published copy, flagged. */
  held: boolean;
  /**
   * What the guard checks a candidate against (the last published copy, or the cached one before
   * anything was published); undefined when not asked for (a hit).
   */
  basis?: CachedProviderCatalog | null;
}

export interface ProviderKeySet extends ChangeKeys {
  models: string;
  pricing: string;
  gen: string;
  lease: string;
  published: string;
  held: string;
}

/** 0: no basis; 1: a basis when a rebuild may follow (not on a hit); 2: always (a job's snapshot). */
export type WantBasis = 0 | 1 | 2;

export function queueProviderRead(target: ChainableCommander, keys: ProviderKeySet, token: string, leaseMs: number, wantLease: boolean, wantBasis: WantBasis = 0) {
  const { models, gen, lease, published, held } = keys;
  return callScript(target, providerRead, { models, gen, lease, published, held }, { token, leaseMs, wantLease: wantLease ? '1' : '0', wantBasis: String(wantBasis) });
}

export function parseProviderRead(reply: unknown): ProviderReadReply {
  const [state, gen, leased, held, basisMode, ...fields] = reply as [ReadState, string, number, number, 'none' | 'same' | 'own', ...string[]];
  const n = CATALOG_FIELDS.length;
  const catalog = state === 'miss' ? null : decodeModelsHash(zipFields(CATALOG_FIELDS, fields.slice(0, n))).catalog;
  const read: ProviderReadReply = { state, gen, leased: Number(leased) === 1, held: Number(held) === 1, catalog };
  if (basisMode === 'same') read.basis = catalog;
  if (basisMode === 'own') read.basis = decodeModelsHash(zipFields(CATALOG_FIELDS, fields.slice(n, 2 * n))).catalog;
  return read;
}

/** The read path's read: the lease on a miss, and the guard's basis when a rebuild may follow. */
export async function readProvider(redis: RedisClient, keys: ProviderKeySet, token: string, leaseMs: number): Promise<ProviderReadReply> {
  const { models, gen, lease, published, held } = keys;
  return parseProviderRead(await callScript(redis, providerRead, { models, gen, lease, published, held }, { token, leaseMs, wantLease: '1', wantBasis: '1' }));
}

export interface ProviderWrite {
  gen: string;
  token: string;
  ttlMs: number;
  /** What readers get (the overrides applied). */
  catalog: CachedProviderCatalog;
  /** The served catalog's pricing table, JSON. */
  pricing: string;
  /** The source's answer, published as the guard's basis; omitted when it is `catalog`. */
  raw?: CachedProviderCatalog;
  /** The publication's changes for the catalog's history (history/log.ts `encodeChanges`), and against which published copy. */
  history?: { changes: string; basisAt: number | null; at: number; retentionMs: number };
}

/** `stored` false if an invalidation ran since the miss (the fence held); `recorded` if its changes joined the history. */
export async function writeProvider(redis: RedisClient, keys: ProviderKeySet, w: ProviderWrite): Promise<{ stored: boolean; recorded: boolean }> {
  const served = encodeModelsHash(w.catalog);
  const raw = w.raw && w.raw !== w.catalog ? encodeModelsHash(w.raw) : null;
  const h = w.history ?? { changes: '[]', basisAt: null, at: 0, retentionMs: 1 };
  const args = {
    gen: w.gen,
    token: w.token,
    ttlMs: w.ttlMs,
    ...served,
    pricing: w.pricing,
    rawCatalog: raw?.catalog ?? '',
    rawModelCount: raw?.modelCount ?? '',
    rawUnpriced: raw?.unpriced ?? '',
    changes: h.changes,
    basisAt: h.basisAt === null ? '' : String(h.basisAt),
    at: h.at,
    retentionMs: h.retentionMs,
  };
  const reply = Number(await callScript(redis, providerWrite, keys, args));
  return { stored: reply >= 1, recorded: reply === 2 };
}

/** Rewrites a fresh cached copy as `served` at generation `gen`, keeping its TTL (overrides changed). True if rewritten. */
export async function reserveProvider(redis: RedisClient, keys: ProviderKeySet, gen: string, served: CachedProviderCatalog, pricing: string): Promise<boolean> {
  const { catalog, modelCount, unpriced } = encodeModelsHash(served);
  return Number(await callScript(redis, providerReserve, { models: keys.models, pricing: keys.pricing, gen: keys.gen }, { gen, catalog, modelCount, unpriced, pricing })) === 1;
}

export interface StringReadReply {
  state: 'hit' | 'miss';
  value: string;
  gen: string;
  leased: boolean;
}

export async function readString(redis: RedisClient, key: string, gen: string, lease: string, token: string, leaseMs: number): Promise<StringReadReply> {
  const reply = await callScript(redis, stringRead, { value: key, gen, lease }, { token, leaseMs, wantLease: '1' });
  const [state, value, generation, leased] = reply as ['hit' | 'miss', string, string, number];
  return { state, value, gen: generation, leased: Number(leased) === 1 };
}

/** Sets each key to its value with the TTL, only if `gen` still holds. True if stored. */
export async function writeStrings(
  redis: RedisClient,
  fence: { genKey: string; leaseKey: string; gen: string; token: string },
  entries: [key: string, value: string][],
  ttlMs: number,
): Promise<boolean> {
  const keys = { gen: fence.genKey, lease: fence.leaseKey, targets: entries.map(([k]) => k) };
  const args = { gen: fence.gen, token: fence.token, ttlMs, values: entries.map(([, v]) => v) };
  return Number(await callScript(redis, stringsWrite, keys, args)) === 1;
}
