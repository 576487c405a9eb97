/**
 * Browser sessions: a random cookie value; Redis keeps only its SHA-256, so a leaked Redis dump
 * holds no usable session.
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
import type { Redis } from 'ioredis';
import type { AdminKeys } from '~/server/redis/keys';
import { hashToken, newSecret } from './token';
export const SESSION_COOKIE = stryMutAct_9fa48("59") ? "" : (stryCov_9fa48("59"), 'catalog_admin_session');
export type SessionStore = ReturnType<typeof createSessionStore>;
export function createSessionStore(redis: Redis, keys: AdminKeys, ttlSeconds: number) {
  if (stryMutAct_9fa48("60")) {
    {}
  } else {
    stryCov_9fa48("60");
    return stryMutAct_9fa48("61") ? {} : (stryCov_9fa48("61"), {
      ttlSeconds,
      async create(): Promise<string> {
        if (stryMutAct_9fa48("62")) {
          {}
        } else {
          stryCov_9fa48("62");
          const id = newSecret();
          await redis.set(keys.session(hashToken(id)), JSON.stringify(stryMutAct_9fa48("63") ? {} : (stryCov_9fa48("63"), {
            createdAt: Date.now()
          })), stryMutAct_9fa48("64") ? "" : (stryCov_9fa48("64"), 'EX'), ttlSeconds);
          return id;
        }
      },
      async valid(id: string | undefined): Promise<boolean> {
        if (stryMutAct_9fa48("65")) {
          {}
        } else {
          stryCov_9fa48("65");
          if (stryMutAct_9fa48("68") ? !id && id.length > 128 : stryMutAct_9fa48("67") ? false : stryMutAct_9fa48("66") ? true : (stryCov_9fa48("66", "67", "68"), (stryMutAct_9fa48("69") ? id : (stryCov_9fa48("69"), !id)) || (stryMutAct_9fa48("72") ? id.length <= 128 : stryMutAct_9fa48("71") ? id.length >= 128 : stryMutAct_9fa48("70") ? false : (stryCov_9fa48("70", "71", "72"), id.length > 128)))) return stryMutAct_9fa48("73") ? true : (stryCov_9fa48("73"), false);
          return stryMutAct_9fa48("76") ? (await redis.exists(keys.session(hashToken(id)))) !== 1 : stryMutAct_9fa48("75") ? false : stryMutAct_9fa48("74") ? true : (stryCov_9fa48("74", "75", "76"), (await redis.exists(keys.session(hashToken(id)))) === 1);
        }
      },
      async destroy(id: string | undefined): Promise<void> {
        if (stryMutAct_9fa48("77")) {
          {}
        } else {
          stryCov_9fa48("77");
          if (stryMutAct_9fa48("80") ? id || id.length <= 128 : stryMutAct_9fa48("79") ? false : stryMutAct_9fa48("78") ? true : (stryCov_9fa48("78", "79", "80"), id && (stryMutAct_9fa48("83") ? id.length > 128 : stryMutAct_9fa48("82") ? id.length < 128 : stryMutAct_9fa48("81") ? true : (stryCov_9fa48("81", "82", "83"), id.length <= 128)))) await redis.del(keys.session(hashToken(id)));
        }
      }
    });
  }
}