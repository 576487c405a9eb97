/** Domain errors: the routers map each code to a TRPCError code or an HTTP status. */
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
export type DomainErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'BUSY' | 'UNAVAILABLE';
const BRAND = Symbol.for(stryMutAct_9fa48("445") ? "" : (stryCov_9fa48("445"), 'catalog-invalidator.DomainError'));
export class DomainError extends Error {
  readonly [BRAND] = stryMutAct_9fa48("446") ? false : (stryCov_9fa48("446"), true);
  constructor(readonly code: DomainErrorCode, message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = stryMutAct_9fa48("447") ? "" : (stryCov_9fa48("447"), 'DomainError');
  }

  /**
   * Use instead of `instanceof`: Next bundles pages and route handlers separately, so the services
   * (shared on globalThis) may throw another bundle's copy of this class.
   */
  static is(err: unknown): err is DomainError {
    if (stryMutAct_9fa48("448")) {
      {}
    } else {
      stryCov_9fa48("448");
      return stryMutAct_9fa48("451") ? typeof err === 'object' && err !== null || (err as {
        [BRAND]?: unknown;
      })[BRAND] === true : stryMutAct_9fa48("450") ? false : stryMutAct_9fa48("449") ? true : (stryCov_9fa48("449", "450", "451"), (stryMutAct_9fa48("453") ? typeof err === 'object' || err !== null : stryMutAct_9fa48("452") ? true : (stryCov_9fa48("452", "453"), (stryMutAct_9fa48("455") ? typeof err !== 'object' : stryMutAct_9fa48("454") ? true : (stryCov_9fa48("454", "455"), typeof err === (stryMutAct_9fa48("456") ? "" : (stryCov_9fa48("456"), 'object')))) && (stryMutAct_9fa48("458") ? err === null : stryMutAct_9fa48("457") ? true : (stryCov_9fa48("457", "458"), err !== null)))) && (stryMutAct_9fa48("460") ? (err as {
        [BRAND]?: unknown;
      })[BRAND] !== true : stryMutAct_9fa48("459") ? true : (stryCov_9fa48("459", "460"), (err as {
        [BRAND]?: unknown;
      })[BRAND] === (stryMutAct_9fa48("461") ? false : (stryCov_9fa48("461"), true)))));
    }
  }
}
export const unknownProviders = stryMutAct_9fa48("462") ? () => undefined : (stryCov_9fa48("462"), (() => {
  const unknownProviders = (names: string[]) => new DomainError(stryMutAct_9fa48("463") ? "" : (stryCov_9fa48("463"), 'BAD_REQUEST'), stryMutAct_9fa48("464") ? `` : (stryCov_9fa48("464"), `Unknown provider${(stryMutAct_9fa48("468") ? names.length <= 1 : stryMutAct_9fa48("467") ? names.length >= 1 : stryMutAct_9fa48("466") ? false : stryMutAct_9fa48("465") ? true : (stryCov_9fa48("465", "466", "467", "468"), names.length > 1)) ? stryMutAct_9fa48("469") ? "" : (stryCov_9fa48("469"), 's') : stryMutAct_9fa48("470") ? "Stryker was here!" : (stryCov_9fa48("470"), '')}: ${stryMutAct_9fa48("471") ? names.join(', ') : (stryCov_9fa48("471"), names.slice(0, 20).join(stryMutAct_9fa48("472") ? "" : (stryCov_9fa48("472"), ', ')))}${(stryMutAct_9fa48("476") ? names.length <= 20 : stryMutAct_9fa48("475") ? names.length >= 20 : stryMutAct_9fa48("474") ? false : stryMutAct_9fa48("473") ? true : (stryCov_9fa48("473", "474", "475", "476"), names.length > 20)) ? stryMutAct_9fa48("477") ? `` : (stryCov_9fa48("477"), ` and ${stryMutAct_9fa48("478") ? names.length + 20 : (stryCov_9fa48("478"), names.length - 20)} more`) : stryMutAct_9fa48("479") ? "Stryker was here!" : (stryCov_9fa48("479"), '')}`), stryMutAct_9fa48("480") ? {} : (stryCov_9fa48("480"), {
    unknownProviders: names
  }));
  return unknownProviders;
})());
export const jobNotFound = stryMutAct_9fa48("481") ? () => undefined : (stryCov_9fa48("481"), (() => {
  const jobNotFound = (jobId: string) => new DomainError(stryMutAct_9fa48("482") ? "" : (stryCov_9fa48("482"), 'NOT_FOUND'), stryMutAct_9fa48("483") ? `` : (stryCov_9fa48("483"), `No invalidation job ${jobId}`));
  return jobNotFound;
})());

/** A live stream ended because this instance is stopping: a 5xx, so tRPC's client resumes it (with its last id) elsewhere. */
export const shuttingDown = stryMutAct_9fa48("484") ? () => undefined : (stryCov_9fa48("484"), (() => {
  const shuttingDown = () => new DomainError(stryMutAct_9fa48("485") ? "" : (stryCov_9fa48("485"), 'UNAVAILABLE'), stryMutAct_9fa48("486") ? "" : (stryCov_9fa48("486"), 'This server is shutting down; the stream resumes on another instance'));
  return shuttingDown;
})());