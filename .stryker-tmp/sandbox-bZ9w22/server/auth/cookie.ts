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
import { SESSION_COOKIE } from './sessions';

/** The session cookie: httpOnly (no script reads it), SameSite=Strict (no cross-site request carries it). */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  if (stryMutAct_9fa48("39")) {
    {}
  } else {
    stryCov_9fa48("39");
    const parts = stryMutAct_9fa48("40") ? [] : (stryCov_9fa48("40"), [stryMutAct_9fa48("41") ? `` : (stryCov_9fa48("41"), `${SESSION_COOKIE}=${encodeURIComponent(value)}`), stryMutAct_9fa48("42") ? "" : (stryCov_9fa48("42"), 'Path=/'), stryMutAct_9fa48("43") ? "" : (stryCov_9fa48("43"), 'HttpOnly'), stryMutAct_9fa48("44") ? "" : (stryCov_9fa48("44"), 'SameSite=Strict'), stryMutAct_9fa48("45") ? `` : (stryCov_9fa48("45"), `Max-Age=${maxAgeSeconds}`)]);
    if (stryMutAct_9fa48("47") ? false : stryMutAct_9fa48("46") ? true : (stryCov_9fa48("46", "47"), secure)) parts.push(stryMutAct_9fa48("48") ? "" : (stryCov_9fa48("48"), 'Secure'));
    return parts.join(stryMutAct_9fa48("49") ? "" : (stryCov_9fa48("49"), '; '));
  }
}