/**
 * Who is calling: an admin with `Authorization: Bearer <ADMIN_TOKEN>`, an admin with a session
 * cookie from the login page, or nobody.
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
import type { Actor } from '~/server/invalidation/schema';
import { SESSION_COOKIE, type SessionStore } from './sessions';
import { hashToken, tokenMatches } from './token';
export interface AuthDeps {
  adminToken: string;
  sessions: SessionStore;
}
export async function authenticate(headers: Headers, deps: AuthDeps): Promise<Actor | null> {
  if (stryMutAct_9fa48("0")) {
    {}
  } else {
    stryCov_9fa48("0");
    const authorization = headers.get(stryMutAct_9fa48("1") ? "" : (stryCov_9fa48("1"), 'authorization'));
    if (stryMutAct_9fa48("3") ? false : stryMutAct_9fa48("2") ? true : (stryCov_9fa48("2", "3"), authorization)) {
      if (stryMutAct_9fa48("4")) {
        {}
      } else {
        stryCov_9fa48("4");
        const match = (stryMutAct_9fa48("10") ? /^Bearer\s+(\s+)$/i : stryMutAct_9fa48("9") ? /^Bearer\s+(\S)$/i : stryMutAct_9fa48("8") ? /^Bearer\S+(\S+)$/i : stryMutAct_9fa48("7") ? /^Bearer\s(\S+)$/i : stryMutAct_9fa48("6") ? /^Bearer\s+(\S+)/i : stryMutAct_9fa48("5") ? /Bearer\s+(\S+)$/i : (stryCov_9fa48("5", "6", "7", "8", "9", "10"), /^Bearer\s+(\S+)$/i)).exec(authorization);
        return (stryMutAct_9fa48("13") ? match?.[1] || tokenMatches(match[1], deps.adminToken) : stryMutAct_9fa48("12") ? false : stryMutAct_9fa48("11") ? true : (stryCov_9fa48("11", "12", "13"), (stryMutAct_9fa48("14") ? match[1] : (stryCov_9fa48("14"), match?.[1])) && tokenMatches(match[1], deps.adminToken))) ? stryMutAct_9fa48("15") ? {} : (stryCov_9fa48("15"), {
          kind: stryMutAct_9fa48("16") ? "" : (stryCov_9fa48("16"), 'token'),
          label: stryMutAct_9fa48("17") ? "" : (stryCov_9fa48("17"), 'admin (API token)')
        }) : null;
      }
    }
    const session = readCookie(headers.get(stryMutAct_9fa48("18") ? "" : (stryCov_9fa48("18"), 'cookie')), SESSION_COOKIE);
    if (stryMutAct_9fa48("21") ? session || (await deps.sessions.valid(session)) : stryMutAct_9fa48("20") ? false : stryMutAct_9fa48("19") ? true : (stryCov_9fa48("19", "20", "21"), session && (await deps.sessions.valid(session)))) {
      if (stryMutAct_9fa48("22")) {
        {}
      } else {
        stryCov_9fa48("22");
        return stryMutAct_9fa48("23") ? {} : (stryCov_9fa48("23"), {
          kind: stryMutAct_9fa48("24") ? "" : (stryCov_9fa48("24"), 'session'),
          label: stryMutAct_9fa48("25") ? `` : (stryCov_9fa48("25"), `admin (session ${stryMutAct_9fa48("26") ? hashToken(session) : (stryCov_9fa48("26"), hashToken(session).slice(0, 8))})`)
        });
      }
    }
    return null;
  }
}
export function readCookie(header: string | null, name: string): string | undefined {
  if (stryMutAct_9fa48("27")) {
    {}
  } else {
    stryCov_9fa48("27");
    if (stryMutAct_9fa48("30") ? false : stryMutAct_9fa48("29") ? true : stryMutAct_9fa48("28") ? header : (stryCov_9fa48("28", "29", "30"), !header)) return undefined;
    for (const part of header.split(stryMutAct_9fa48("31") ? "" : (stryCov_9fa48("31"), ';'))) {
      if (stryMutAct_9fa48("32")) {
        {}
      } else {
        stryCov_9fa48("32");
        const [key, ...rest] = stryMutAct_9fa48("33") ? part.split('=') : (stryCov_9fa48("33"), part.trim().split(stryMutAct_9fa48("34") ? "" : (stryCov_9fa48("34"), '=')));
        if (stryMutAct_9fa48("37") ? key !== name : stryMutAct_9fa48("36") ? false : stryMutAct_9fa48("35") ? true : (stryCov_9fa48("35", "36", "37"), key === name)) return decodeURIComponent(rest.join(stryMutAct_9fa48("38") ? "" : (stryCov_9fa48("38"), '=')));
      }
    }
    return undefined;
  }
}