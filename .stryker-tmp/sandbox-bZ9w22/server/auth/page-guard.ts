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
import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getServices } from '~/server/services';
import { SESSION_COOKIE } from './sessions';

/** For pages: a signed-in admin continues, anyone else goes to the login page. */
export async function requireAdminPage(path: string): Promise<void> {
  if (stryMutAct_9fa48("50")) {
    {}
  } else {
    stryCov_9fa48("50");
    const session = stryMutAct_9fa48("51") ? (await cookies()).get(SESSION_COOKIE).value : (stryCov_9fa48("51"), (await cookies()).get(SESSION_COOKIE)?.value);
    let valid = stryMutAct_9fa48("52") ? true : (stryCov_9fa48("52"), false);
    try {
      if (stryMutAct_9fa48("53")) {
        {}
      } else {
        stryCov_9fa48("53");
        valid = await getServices().sessions.valid(session);
      }
    } catch {
      if (stryMutAct_9fa48("54")) {
        {}
      } else {
        stryCov_9fa48("54");
        // Redis down: let the page load; its API calls will say Redis is unavailable in words.
        valid = Boolean(session);
      }
    }
    if (stryMutAct_9fa48("57") ? false : stryMutAct_9fa48("56") ? true : stryMutAct_9fa48("55") ? valid : (stryCov_9fa48("55", "56", "57"), !valid)) redirect(stryMutAct_9fa48("58") ? `` : (stryCov_9fa48("58"), `/login?next=${encodeURIComponent(path)}`));
  }
}