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
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
const sha256 = stryMutAct_9fa48("84") ? () => undefined : (stryCov_9fa48("84"), (() => {
  const sha256 = (text: string) => createHash(stryMutAct_9fa48("85") ? "" : (stryCov_9fa48("85"), 'sha256')).update(text, stryMutAct_9fa48("86") ? "" : (stryCov_9fa48("86"), 'utf8')).digest();
  return sha256;
})());

/**
 * Constant-time comparison: hashing both sides first gives equal lengths, so neither the content
 * nor the length of the admin token leaks through timing.
 */
export function tokenMatches(candidate: string, expected: string): boolean {
  if (stryMutAct_9fa48("87")) {
    {}
  } else {
    stryCov_9fa48("87");
    return timingSafeEqual(sha256(candidate), sha256(expected));
  }
}
export const hashToken = stryMutAct_9fa48("88") ? () => undefined : (stryCov_9fa48("88"), (() => {
  const hashToken = (token: string) => sha256(token).toString(stryMutAct_9fa48("89") ? "" : (stryCov_9fa48("89"), 'hex'));
  return hashToken;
})());
export const newSecret = stryMutAct_9fa48("90") ? () => undefined : (stryCov_9fa48("90"), (() => {
  const newSecret = () => randomBytes(32).toString(stryMutAct_9fa48("91") ? "" : (stryCov_9fa48("91"), 'base64url'));
  return newSecret;
})());