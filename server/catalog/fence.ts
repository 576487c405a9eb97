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
 */
import 'server-only';
import type { ChainableCommander, Redis } from 'ioredis';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';

/** KEYS: models hash, gen, lease. ARGV: token, lease ms, "1" to try for the lease when not fresh. */
const providerRead = luaScript(
  'catalogProviderRead',
  `local v = redis.call('HMGET', KEYS[1], 'catalog', 'cachedAt', 'source', 'stale')
local gen = redis.call('GET', KEYS[2]) or '0'
local state = 'miss'
if v[1] then
  if v[4] == '1' then state = 'stale' else state = 'hit' end
end
local leased = 0
if state ~= 'hit' and ARGV[3] == '1' and redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then leased = 1 end
return {state, v[1] or '', v[2] or '', v[3] or '', gen, leased}`,
);

/** KEYS: models hash, pricing, gen, lease. ARGV: gen read at the miss, token, ttl ms, catalog, modelCount, cachedAt, source, pricing. */
const providerWrite = luaScript(
  'catalogProviderWrite',
  `if ARGV[2] ~= '' and redis.call('GET', KEYS[4]) == ARGV[2] then redis.call('DEL', KEYS[4]) end
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'catalog', ARGV[4], 'modelCount', ARGV[5], 'cachedAt', ARGV[6], 'source', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[8], 'PX', ARGV[3])
return 1`,
);

/** KEYS: a string key, gen, lease. ARGV: token, lease ms, "1" to try for the lease on a miss. */
const stringRead = luaScript(
  'catalogStringRead',
  `local v = redis.call('GET', KEYS[1])
local gen = redis.call('GET', KEYS[2]) or '0'
local leased = 0
if not v and ARGV[3] == '1' and redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then leased = 1 end
if v then return {'hit', v, gen, 0} end
return {'miss', '', gen, leased}`,
);

/** KEYS: gen, lease, then the string keys to set. ARGV: gen read at the miss, token, ttl ms, then one value per key. */
const stringsWrite = luaScript(
  'catalogStringsWrite',
  `if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', ARGV[3]) end
return 1`,
);

/**
 * Soft invalidation of one provider, queued in the invalidation's MULTI. KEYS: models hash, gen.
 * Marks an existing hash stale (readers keep it, flagged, while one rebuild runs) and bumps the
 * generation; a missing hash is left missing (no stray key without a TTL). Returns 1 if marked.
 */
export const markStale = luaScript(
  'catalogMarkStale',
  `local marked = 0
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'stale', '1'); marked = 1 end
redis.call('INCR', KEYS[2])
return marked`,
);

export const CATALOG_SCRIPTS = [providerRead, providerWrite, stringRead, stringsWrite, markStale];

export const prepareCatalogConnection = (redis: Redis) => defineScripts(redis, CATALOG_SCRIPTS);

export type ReadState = 'hit' | 'stale' | 'miss';

export interface ProviderReadReply {
  state: ReadState;
  catalog: string;
  cachedAt: string;
  source: string;
  gen: string;
  leased: boolean;
}

export interface ProviderKeySet {
  models: string;
  pricing: string;
  gen: string;
  lease: string;
}

export function queueProviderRead(target: ChainableCommander, keys: ProviderKeySet, token: string, leaseMs: number, wantLease: boolean) {
  return callScript(target, providerRead, [keys.models, keys.gen, keys.lease], [token, leaseMs, wantLease ? '1' : '0']);
}

export function parseProviderRead(reply: unknown): ProviderReadReply {
  const [state, catalog, cachedAt, source, gen, leased] = reply as [ReadState, string, string, string, string, number];
  return { state, catalog, cachedAt, source, gen, leased: Number(leased) === 1 };
}

export async function readProvider(redis: Redis, keys: ProviderKeySet, token: string, leaseMs: number): Promise<ProviderReadReply> {
  return parseProviderRead(await callScript(redis, providerRead, [keys.models, keys.gen, keys.lease], [token, leaseMs, '1']));
}

export interface ProviderWrite {
  gen: string;
  token: string;
  ttlMs: number;
  catalog: string;
  modelCount: number;
  cachedAt: number;
  source: string;
  pricing: string;
}

/** True if stored; false if an invalidation ran since the miss (the fence held). */
export async function writeProvider(redis: Redis, keys: ProviderKeySet, w: ProviderWrite): Promise<boolean> {
  const args = [w.gen, w.token, w.ttlMs, w.catalog, w.modelCount, w.cachedAt, w.source, w.pricing];
  return Number(await callScript(redis, providerWrite, [keys.models, keys.pricing, keys.gen, keys.lease], args)) === 1;
}

export interface StringReadReply {
  state: 'hit' | 'miss';
  value: string;
  gen: string;
  leased: boolean;
}

export async function readString(redis: Redis, key: string, gen: string, lease: string, token: string, leaseMs: number): Promise<StringReadReply> {
  const [state, value, generation, leased] = (await callScript(redis, stringRead, [key, gen, lease], [token, leaseMs, '1'])) as ['hit' | 'miss', string, string, number];
  return { state, value, gen: generation, leased: Number(leased) === 1 };
}

/** Sets each key to its value with the TTL, only if `gen` still holds. True if stored. */
export async function writeStrings(
  redis: Redis,
  fence: { genKey: string; leaseKey: string; gen: string; token: string },
  entries: [key: string, value: string][],
  ttlMs: number,
): Promise<boolean> {
  const keys = [fence.genKey, fence.leaseKey, ...entries.map(([k]) => k)];
  const args = [fence.gen, fence.token, ttlMs, ...entries.map(([, v]) => v)];
  return Number(await callScript(redis, stringsWrite, keys, args)) === 1;
}
