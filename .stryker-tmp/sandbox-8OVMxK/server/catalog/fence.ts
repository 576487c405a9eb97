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
// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import type { ChainableCommander, Redis } from 'ioredis';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';

/** KEYS: models hash, gen, lease. ARGV: token, lease ms, "1" to try for the lease when not fresh. */
const providerRead = luaScript(stryMutAct_9fa48("288") ? "" : (stryCov_9fa48("288"), 'catalogProviderRead'), stryMutAct_9fa48("289") ? `` : (stryCov_9fa48("289"), `local v = redis.call('HMGET', KEYS[1], 'catalog', 'cachedAt', 'source', 'stale')
local gen = redis.call('GET', KEYS[2]) or '0'
local state = 'miss'
if v[1] then
  if v[4] == '1' then state = 'stale' else state = 'hit' end
end
local leased = 0
if state ~= 'hit' and ARGV[3] == '1' and redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then leased = 1 end
return {state, v[1] or '', v[2] or '', v[3] or '', gen, leased}`));

/** KEYS: models hash, pricing, gen, lease. ARGV: gen read at the miss, token, ttl ms, catalog, modelCount, cachedAt, source, pricing. */
const providerWrite = luaScript(stryMutAct_9fa48("290") ? "" : (stryCov_9fa48("290"), 'catalogProviderWrite'), stryMutAct_9fa48("291") ? `` : (stryCov_9fa48("291"), `if ARGV[2] ~= '' and redis.call('GET', KEYS[4]) == ARGV[2] then redis.call('DEL', KEYS[4]) end
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'catalog', ARGV[4], 'modelCount', ARGV[5], 'cachedAt', ARGV[6], 'source', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[8], 'PX', ARGV[3])
return 1`));

/** KEYS: a string key, gen, lease. ARGV: token, lease ms, "1" to try for the lease on a miss. */
const stringRead = luaScript(stryMutAct_9fa48("292") ? "" : (stryCov_9fa48("292"), 'catalogStringRead'), stryMutAct_9fa48("293") ? `` : (stryCov_9fa48("293"), `local v = redis.call('GET', KEYS[1])
local gen = redis.call('GET', KEYS[2]) or '0'
local leased = 0
if not v and ARGV[3] == '1' and redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then leased = 1 end
if v then return {'hit', v, gen, 0} end
return {'miss', '', gen, leased}`));

/** KEYS: gen, lease, then the string keys to set. ARGV: gen read at the miss, token, ttl ms, then one value per key. */
const stringsWrite = luaScript(stryMutAct_9fa48("294") ? "" : (stryCov_9fa48("294"), 'catalogStringsWrite'), stryMutAct_9fa48("295") ? `` : (stryCov_9fa48("295"), `if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', ARGV[3]) end
return 1`));

/**
 * Soft invalidation of one provider, queued in the invalidation's MULTI. KEYS: models hash, gen.
 * Marks an existing hash stale (readers keep it, flagged, while one rebuild runs) and bumps the
 * generation; a missing hash is left missing (no stray key without a TTL). Returns 1 if marked.
 */
export const markStale = luaScript(stryMutAct_9fa48("296") ? "" : (stryCov_9fa48("296"), 'catalogMarkStale'), stryMutAct_9fa48("297") ? `` : (stryCov_9fa48("297"), `local marked = 0
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'stale', '1'); marked = 1 end
redis.call('INCR', KEYS[2])
return marked`));
export const CATALOG_SCRIPTS = stryMutAct_9fa48("298") ? [] : (stryCov_9fa48("298"), [providerRead, providerWrite, stringRead, stringsWrite, markStale]);
export const prepareCatalogConnection = stryMutAct_9fa48("299") ? () => undefined : (stryCov_9fa48("299"), (() => {
  const prepareCatalogConnection = (redis: Redis) => defineScripts(redis, CATALOG_SCRIPTS);
  return prepareCatalogConnection;
})());
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
  if (stryMutAct_9fa48("300")) {
    {}
  } else {
    stryCov_9fa48("300");
    return callScript(target, providerRead, stryMutAct_9fa48("301") ? [] : (stryCov_9fa48("301"), [keys.models, keys.gen, keys.lease]), stryMutAct_9fa48("302") ? [] : (stryCov_9fa48("302"), [token, leaseMs, wantLease ? stryMutAct_9fa48("303") ? "" : (stryCov_9fa48("303"), '1') : stryMutAct_9fa48("304") ? "" : (stryCov_9fa48("304"), '0')]));
  }
}
export function parseProviderRead(reply: unknown): ProviderReadReply {
  if (stryMutAct_9fa48("305")) {
    {}
  } else {
    stryCov_9fa48("305");
    const [state, catalog, cachedAt, source, gen, leased] = reply as [ReadState, string, string, string, string, number];
    return stryMutAct_9fa48("306") ? {} : (stryCov_9fa48("306"), {
      state,
      catalog,
      cachedAt,
      source,
      gen,
      leased: stryMutAct_9fa48("309") ? Number(leased) !== 1 : stryMutAct_9fa48("308") ? false : stryMutAct_9fa48("307") ? true : (stryCov_9fa48("307", "308", "309"), Number(leased) === 1)
    });
  }
}
export async function readProvider(redis: Redis, keys: ProviderKeySet, token: string, leaseMs: number): Promise<ProviderReadReply> {
  if (stryMutAct_9fa48("310")) {
    {}
  } else {
    stryCov_9fa48("310");
    return parseProviderRead(await callScript(redis, providerRead, stryMutAct_9fa48("311") ? [] : (stryCov_9fa48("311"), [keys.models, keys.gen, keys.lease]), stryMutAct_9fa48("312") ? [] : (stryCov_9fa48("312"), [token, leaseMs, stryMutAct_9fa48("313") ? "" : (stryCov_9fa48("313"), '1')])));
  }
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
  if (stryMutAct_9fa48("314")) {
    {}
  } else {
    stryCov_9fa48("314");
    const args = stryMutAct_9fa48("315") ? [] : (stryCov_9fa48("315"), [w.gen, w.token, w.ttlMs, w.catalog, w.modelCount, w.cachedAt, w.source, w.pricing]);
    return stryMutAct_9fa48("318") ? Number(await callScript(redis, providerWrite, [keys.models, keys.pricing, keys.gen, keys.lease], args)) !== 1 : stryMutAct_9fa48("317") ? false : stryMutAct_9fa48("316") ? true : (stryCov_9fa48("316", "317", "318"), Number(await callScript(redis, providerWrite, stryMutAct_9fa48("319") ? [] : (stryCov_9fa48("319"), [keys.models, keys.pricing, keys.gen, keys.lease]), args)) === 1);
  }
}
export interface StringReadReply {
  state: 'hit' | 'miss';
  value: string;
  gen: string;
  leased: boolean;
}
export async function readString(redis: Redis, key: string, gen: string, lease: string, token: string, leaseMs: number): Promise<StringReadReply> {
  if (stryMutAct_9fa48("320")) {
    {}
  } else {
    stryCov_9fa48("320");
    const [state, value, generation, leased] = (await callScript(redis, stringRead, [key, gen, lease], [token, leaseMs, '1'])) as ['hit' | 'miss', string, string, number];
    return stryMutAct_9fa48("321") ? {} : (stryCov_9fa48("321"), {
      state,
      value,
      gen: generation,
      leased: stryMutAct_9fa48("324") ? Number(leased) !== 1 : stryMutAct_9fa48("323") ? false : stryMutAct_9fa48("322") ? true : (stryCov_9fa48("322", "323", "324"), Number(leased) === 1)
    });
  }
}

/** Sets each key to its value with the TTL, only if `gen` still holds. True if stored. */
export async function writeStrings(redis: Redis, fence: {
  genKey: string;
  leaseKey: string;
  gen: string;
  token: string;
}, entries: [key: string, value: string][], ttlMs: number): Promise<boolean> {
  if (stryMutAct_9fa48("325")) {
    {}
  } else {
    stryCov_9fa48("325");
    const keys = stryMutAct_9fa48("326") ? [] : (stryCov_9fa48("326"), [fence.genKey, fence.leaseKey, ...entries.map(stryMutAct_9fa48("327") ? () => undefined : (stryCov_9fa48("327"), ([k]) => k))]);
    const args = stryMutAct_9fa48("328") ? [] : (stryCov_9fa48("328"), [fence.gen, fence.token, ttlMs, ...entries.map(stryMutAct_9fa48("329") ? () => undefined : (stryCov_9fa48("329"), ([, v]) => v))]);
    return stryMutAct_9fa48("332") ? Number(await callScript(redis, stringsWrite, keys, args)) !== 1 : stryMutAct_9fa48("331") ? false : stryMutAct_9fa48("330") ? true : (stryCov_9fa48("330", "331", "332"), Number(await callScript(redis, stringsWrite, keys, args)) === 1);
  }
}