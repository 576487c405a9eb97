/**
 * Every Redis key is built here. Catalog keys (what invalidation deletes) and admin keys (jobs,
 * events, history, sessions) live under separate prefixes that env.ts forbids to overlap.
 *
 * Hash tags: keys that one MULTI or Lua script must touch together share a `{tag}`, so each such
 * group lands in one slot on a Redis Cluster: a provider's keys share `{<provider>}`, the global
 * catalog keys share `{global}`, and every job key shares `{jobs}` (coalescing and leases are
 * decided in one script over the pending index, the lease set and the new job's record).
 */
// @ts-nocheck


/** Provider names: lowercase, digits, ".", "_" and "-"; no glob or control characters. */function stryNS_9fa48() {
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
export const PROVIDER_NAME = stryMutAct_9fa48("1187") ? /^[a-z0-9](?:[a-z0-9._-]{0,62}[^a-z0-9])?$/ : stryMutAct_9fa48("1186") ? /^[a-z0-9](?:[^a-z0-9._-]{0,62}[a-z0-9])?$/ : stryMutAct_9fa48("1185") ? /^[a-z0-9](?:[a-z0-9._-][a-z0-9])?$/ : stryMutAct_9fa48("1184") ? /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])$/ : stryMutAct_9fa48("1183") ? /^[^a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/ : stryMutAct_9fa48("1182") ? /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?/ : stryMutAct_9fa48("1181") ? /[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/ : (stryCov_9fa48("1181", "1182", "1183", "1184", "1185", "1186", "1187"), /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/);
export interface CatalogKeys {
  prefix: string;
  /** A hash: catalog (JSON), modelCount, cachedAt, source, and `stale` once soft-invalidated. */
  providerModels(provider: string): string;
  /** A string: the provider's pricing table (JSON). */
  providerPricing(provider: string): string;
  /** Every deletable key of one provider, in a fixed order. */
  providerKeys(provider: string): string[];
  /**
   * A counter bumped by every invalidation of the provider, inside the invalidation's own batch: a
   * rebuild writes only if it is unchanged since its miss (the fence). Never deleted, never expires.
   */
  providerGeneration(provider: string): string;
  /** A short lock (random token, PX) held by the one reader rebuilding the provider (single flight). */
  providerLease(provider: string): string;
  fullCatalog: string;
  providerList: string;
  pricing: string;
  /** The fence of the full catalog, the provider list and global pricing. */
  globalGeneration: string;
  globalLease: string;
  /** True only for deletable keys this module builds; the engine refuses anything else. */
  owns(key: string): boolean;
}
export function catalogKeys(prefix: string): CatalogKeys {
  if (stryMutAct_9fa48("1188")) {
    {}
  } else {
    stryCov_9fa48("1188");
    const provider = (name: string, part: string) => {
      if (stryMutAct_9fa48("1189")) {
        {}
      } else {
        stryCov_9fa48("1189");
        if (stryMutAct_9fa48("1192") ? false : stryMutAct_9fa48("1191") ? true : stryMutAct_9fa48("1190") ? PROVIDER_NAME.test(name) : (stryCov_9fa48("1190", "1191", "1192"), !PROVIDER_NAME.test(name))) throw new Error(stryMutAct_9fa48("1193") ? `` : (stryCov_9fa48("1193"), `not a provider name: ${JSON.stringify(name)}`));
        return stryMutAct_9fa48("1194") ? `` : (stryCov_9fa48("1194"), `${prefix}provider:{${name}}:${part}`);
      }
    };
    const global = stryMutAct_9fa48("1195") ? () => undefined : (stryCov_9fa48("1195"), (() => {
      const global = (part: string) => stryMutAct_9fa48("1196") ? `` : (stryCov_9fa48("1196"), `${prefix}{global}:${part}`);
      return global;
    })());
    const globals = new Set(stryMutAct_9fa48("1197") ? [] : (stryCov_9fa48("1197"), [global(stryMutAct_9fa48("1198") ? "" : (stryCov_9fa48("1198"), 'all')), global(stryMutAct_9fa48("1199") ? "" : (stryCov_9fa48("1199"), 'providers')), global(stryMutAct_9fa48("1200") ? "" : (stryCov_9fa48("1200"), 'pricing'))]));
    const providerKey = new RegExp(stryMutAct_9fa48("1201") ? `` : (stryCov_9fa48("1201"), `^${escapeRegExp(prefix)}provider:\\{([a-z0-9._-]+)\\}:(models|pricing)$`));
    return stryMutAct_9fa48("1202") ? {} : (stryCov_9fa48("1202"), {
      prefix,
      providerModels: stryMutAct_9fa48("1203") ? () => undefined : (stryCov_9fa48("1203"), name => provider(name, stryMutAct_9fa48("1204") ? "" : (stryCov_9fa48("1204"), 'models'))),
      providerPricing: stryMutAct_9fa48("1205") ? () => undefined : (stryCov_9fa48("1205"), name => provider(name, stryMutAct_9fa48("1206") ? "" : (stryCov_9fa48("1206"), 'pricing'))),
      providerKeys: stryMutAct_9fa48("1207") ? () => undefined : (stryCov_9fa48("1207"), name => stryMutAct_9fa48("1208") ? [] : (stryCov_9fa48("1208"), [provider(name, stryMutAct_9fa48("1209") ? "" : (stryCov_9fa48("1209"), 'models')), provider(name, stryMutAct_9fa48("1210") ? "" : (stryCov_9fa48("1210"), 'pricing'))])),
      providerGeneration: stryMutAct_9fa48("1211") ? () => undefined : (stryCov_9fa48("1211"), name => provider(name, stryMutAct_9fa48("1212") ? "" : (stryCov_9fa48("1212"), 'gen'))),
      providerLease: stryMutAct_9fa48("1213") ? () => undefined : (stryCov_9fa48("1213"), name => provider(name, stryMutAct_9fa48("1214") ? "" : (stryCov_9fa48("1214"), 'lease'))),
      fullCatalog: global(stryMutAct_9fa48("1215") ? "" : (stryCov_9fa48("1215"), 'all')),
      providerList: global(stryMutAct_9fa48("1216") ? "" : (stryCov_9fa48("1216"), 'providers')),
      pricing: global(stryMutAct_9fa48("1217") ? "" : (stryCov_9fa48("1217"), 'pricing')),
      globalGeneration: global(stryMutAct_9fa48("1218") ? "" : (stryCov_9fa48("1218"), 'gen')),
      globalLease: global(stryMutAct_9fa48("1219") ? "" : (stryCov_9fa48("1219"), 'lease')),
      owns: stryMutAct_9fa48("1220") ? () => undefined : (stryCov_9fa48("1220"), key => stryMutAct_9fa48("1223") ? globals.has(key) && PROVIDER_NAME.test(providerKey.exec(key)?.[1] ?? '') : stryMutAct_9fa48("1222") ? false : stryMutAct_9fa48("1221") ? true : (stryCov_9fa48("1221", "1222", "1223"), globals.has(key) || PROVIDER_NAME.test(stryMutAct_9fa48("1224") ? providerKey.exec(key)?.[1] && '' : (stryCov_9fa48("1224"), (stryMutAct_9fa48("1225") ? providerKey.exec(key)[1] : (stryCov_9fa48("1225"), providerKey.exec(key)?.[1])) ?? (stryMutAct_9fa48("1226") ? "Stryker was here!" : (stryCov_9fa48("1226"), ''))))))
    });
  }
}
export interface AdminKeys {
  prefix: string;
  /** A hash: the job record. */
  job(jobId: string): string;
  /** A stream: the job's events, capped. */
  jobEvents(jobId: string): string;
  /** A sorted set of job ids, all scores 0, ordered by id (ids sort by creation time). */
  history: string;
  /**
   * A hash: job id → scope and askers of every job that has not yet sent its deletions. A new
   * request covered by one of them joins it (coalescing), decided in the create script.
   */
  pendingJobs: string;
  /** A sorted set: job id → lease expiry (ms). An expired lease means its runner died. */
  jobLeases: string;
  /** A hash: job id → the lease token of the runner that holds it (the fence of job writes). */
  jobOwners: string;
  /** A string: the session, keyed by the SHA-256 of its cookie value (never the value itself). */
  session(idHash: string): string;
  /** A pub/sub channel: what happened (job events, catalog rebuilds), for live views on any instance. */
  activity: string;
}
export function adminKeys(prefix: string): AdminKeys {
  if (stryMutAct_9fa48("1227")) {
    {}
  } else {
    stryCov_9fa48("1227");
    const jobs = stryMutAct_9fa48("1228") ? `` : (stryCov_9fa48("1228"), `${prefix}{jobs}:`);
    return stryMutAct_9fa48("1229") ? {} : (stryCov_9fa48("1229"), {
      prefix,
      job: stryMutAct_9fa48("1230") ? () => undefined : (stryCov_9fa48("1230"), id => stryMutAct_9fa48("1231") ? `` : (stryCov_9fa48("1231"), `${jobs}job:${id}`)),
      jobEvents: stryMutAct_9fa48("1232") ? () => undefined : (stryCov_9fa48("1232"), id => stryMutAct_9fa48("1233") ? `` : (stryCov_9fa48("1233"), `${jobs}job:${id}:events`)),
      history: stryMutAct_9fa48("1234") ? `` : (stryCov_9fa48("1234"), `${jobs}history`),
      pendingJobs: stryMutAct_9fa48("1235") ? `` : (stryCov_9fa48("1235"), `${jobs}pending`),
      jobLeases: stryMutAct_9fa48("1236") ? `` : (stryCov_9fa48("1236"), `${jobs}leases`),
      jobOwners: stryMutAct_9fa48("1237") ? `` : (stryCov_9fa48("1237"), `${jobs}owners`),
      session: stryMutAct_9fa48("1238") ? () => undefined : (stryCov_9fa48("1238"), hash => stryMutAct_9fa48("1239") ? `` : (stryCov_9fa48("1239"), `${prefix}session:${hash}`)),
      activity: stryMutAct_9fa48("1240") ? `` : (stryCov_9fa48("1240"), `${prefix}activity`)
    });
  }
}
function escapeRegExp(text: string): string {
  if (stryMutAct_9fa48("1241")) {
    {}
  } else {
    stryCov_9fa48("1241");
    return text.replace(stryMutAct_9fa48("1242") ? /[^.*+?^${}()|[\]\\]/g : (stryCov_9fa48("1242"), /[.*+?^${}()|[\]\\]/g), stryMutAct_9fa48("1243") ? "" : (stryCov_9fa48("1243"), '\\$&'));
  }
}