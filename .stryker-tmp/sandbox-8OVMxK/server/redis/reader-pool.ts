/**
 * Blocking readers (XREAD BLOCK) need a connection each. Opening one costs round trips (TCP, then
 * the handshake) on the path from a click to the first live event, so a finished reader's connection
 * is kept for the next one. A reader interrupted mid-XREAD is closed instead: its connection is
 * still blocked in Redis.
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
import { connectBlocking } from './connection';
export type ReaderPool = ReturnType<typeof createReaderPool>;
export function createReaderPool(base: Redis, name: string, keepIdle = 4) {
  if (stryMutAct_9fa48("1244")) {
    {}
  } else {
    stryCov_9fa48("1244");
    const idle: Redis[] = stryMutAct_9fa48("1245") ? ["Stryker was here"] : (stryCov_9fa48("1245"), []);
    let closed = stryMutAct_9fa48("1246") ? true : (stryCov_9fa48("1246"), false);
    return stryMutAct_9fa48("1247") ? {} : (stryCov_9fa48("1247"), {
      acquire(): Redis {
        if (stryMutAct_9fa48("1248")) {
          {}
        } else {
          stryCov_9fa48("1248");
          for (let reader = idle.pop(); stryMutAct_9fa48("1249") ? false : (stryCov_9fa48("1249"), reader); reader = idle.pop()) {
            if (stryMutAct_9fa48("1250")) {
              {}
            } else {
              stryCov_9fa48("1250");
              if (stryMutAct_9fa48("1253") ? reader.status !== 'ready' : stryMutAct_9fa48("1252") ? false : stryMutAct_9fa48("1251") ? true : (stryCov_9fa48("1251", "1252", "1253"), reader.status === (stryMutAct_9fa48("1254") ? "" : (stryCov_9fa48("1254"), 'ready')))) return reader;
              reader.disconnect();
            }
          }
          return connectBlocking(base, name);
        }
      },
      /** Back to the pool, only if nothing is pending on it. */
      release(reader: Redis): void {
        if (stryMutAct_9fa48("1255")) {
          {}
        } else {
          stryCov_9fa48("1255");
          if (stryMutAct_9fa48("1258") ? (closed || idle.length >= keepIdle) && reader.status !== 'ready' : stryMutAct_9fa48("1257") ? false : stryMutAct_9fa48("1256") ? true : (stryCov_9fa48("1256", "1257", "1258"), (stryMutAct_9fa48("1260") ? closed && idle.length >= keepIdle : stryMutAct_9fa48("1259") ? false : (stryCov_9fa48("1259", "1260"), closed || (stryMutAct_9fa48("1263") ? idle.length < keepIdle : stryMutAct_9fa48("1262") ? idle.length > keepIdle : stryMutAct_9fa48("1261") ? false : (stryCov_9fa48("1261", "1262", "1263"), idle.length >= keepIdle)))) || (stryMutAct_9fa48("1265") ? reader.status === 'ready' : stryMutAct_9fa48("1264") ? false : (stryCov_9fa48("1264", "1265"), reader.status !== (stryMutAct_9fa48("1266") ? "" : (stryCov_9fa48("1266"), 'ready')))))) reader.disconnect();else idle.push(reader);
        }
      },
      close(): void {
        if (stryMutAct_9fa48("1267")) {
          {}
        } else {
          stryCov_9fa48("1267");
          closed = stryMutAct_9fa48("1268") ? false : (stryCov_9fa48("1268"), true);
          idle.splice(0).forEach(stryMutAct_9fa48("1269") ? () => undefined : (stryCov_9fa48("1269"), reader => reader.disconnect()));
        }
      }
    });
  }
}