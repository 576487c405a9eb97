/**
 * Lua scripts through ioredis's `defineCommand`: the first call on each socket sends EVAL (so a
 * script costs no extra round trip, even inside MULTI or a pipeline, and survives a Redis restart),
 * later calls EVALSHA. Every key a script touches is passed as a key, never built inside it.
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
export interface LuaScript {
  readonly name: string;
  readonly lua: string;
}
export const luaScript = stryMutAct_9fa48("1270") ? () => undefined : (stryCov_9fa48("1270"), (() => {
  const luaScript = (name: string, lua: string): LuaScript => stryMutAct_9fa48("1271") ? {} : (stryCov_9fa48("1271"), {
    name,
    lua
  });
  return luaScript;
})());

/** Defines the scripts on a connection (idempotent); pipelines and MULTIs created after it inherit them. */
export function defineScripts(redis: Redis, scripts: readonly LuaScript[]): void {
  if (stryMutAct_9fa48("1272")) {
    {}
  } else {
    stryCov_9fa48("1272");
    for (const script of scripts) {
      if (stryMutAct_9fa48("1273")) {
        {}
      } else {
        stryCov_9fa48("1273");
        if (stryMutAct_9fa48("1276") ? false : stryMutAct_9fa48("1275") ? true : stryMutAct_9fa48("1274") ? script.name in redis : (stryCov_9fa48("1274", "1275", "1276"), !(script.name in redis))) redis.defineCommand(script.name, stryMutAct_9fa48("1277") ? {} : (stryCov_9fa48("1277"), {
          lua: script.lua
        }));
      }
    }
  }
}
type Target = Redis | ChainableCommander;

/** Calls a defined script on a connection (a promise of its reply) or queues it on a pipeline/MULTI. */
export function callScript<T extends Target>(target: T, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): T extends Redis ? Promise<unknown> : T {
  if (stryMutAct_9fa48("1278")) {
    {}
  } else {
    stryCov_9fa48("1278");
    const command = (target as unknown as Record<string, unknown>)[script.name];
    if (stryMutAct_9fa48("1281") ? typeof command === 'function' : stryMutAct_9fa48("1280") ? false : stryMutAct_9fa48("1279") ? true : (stryCov_9fa48("1279", "1280", "1281"), typeof command !== (stryMutAct_9fa48("1282") ? "" : (stryCov_9fa48("1282"), 'function')))) throw new Error(stryMutAct_9fa48("1283") ? `` : (stryCov_9fa48("1283"), `Lua script ${script.name} is not defined on this connection`));
    return (command as (...a: unknown[]) => never).call(target, keys.length, ...keys, ...args);
  }
}