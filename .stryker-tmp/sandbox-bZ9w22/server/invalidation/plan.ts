/**
 * Turns a request into the exact keys to delete (or mark stale), grouped in batches of one round
 * trip each. Only keys built by keys.ts are ever planned, so nothing outside the catalog namespace
 * (not even a key that merely looks alike) can be reached. Every command names the generation
 * counter it bumps in the same batch: the fence that stops a rebuild begun before it (fence.ts).
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
import type { ProviderRegistry } from '~/server/catalog/registry';
import type { CatalogKeys } from '~/server/redis/keys';
import { unknownProviders } from './errors';
import type { InvalidationRequest } from './schema';
export interface BatchCommand {
  /** The provider the command belongs to; null for the global keys. */
  provider: string | null;
  /** `unlink` deletes the keys; `stale` marks a provider's models hash stale (soft invalidation). */
  op: 'unlink' | 'stale';
  keys: string[];
  /** The generation key bumped in the same batch. */
  fence: string;
}
export interface Batch {
  providers: string[];
  /** One command per provider (so per-provider errors stay attributable), the globals last. */
  commands: BatchCommand[];
}
export interface InvalidationPlan {
  providers: string[];
  batches: Batch[];
  keysPlanned: number;
  rebuildPricing: boolean;
}

/** Resolves "all", rejects unknown names (all of them named), dedupes. Throws before anything is written. */
export function resolveProviders(request: InvalidationRequest, registry: ProviderRegistry): string[] {
  if (stryMutAct_9fa48("663")) {
    {}
  } else {
    stryCov_9fa48("663");
    if (stryMutAct_9fa48("666") ? request.providers !== 'all' : stryMutAct_9fa48("665") ? false : stryMutAct_9fa48("664") ? true : (stryCov_9fa48("664", "665", "666"), request.providers === (stryMutAct_9fa48("667") ? "" : (stryCov_9fa48("667"), 'all')))) return stryMutAct_9fa48("668") ? [] : (stryCov_9fa48("668"), [...registry.names()]);
    const unique = stryMutAct_9fa48("669") ? [] : (stryCov_9fa48("669"), [...new Set(request.providers)]);
    const unknown = stryMutAct_9fa48("670") ? unique : (stryCov_9fa48("670"), unique.filter(stryMutAct_9fa48("671") ? () => undefined : (stryCov_9fa48("671"), name => stryMutAct_9fa48("672") ? registry.has(name) : (stryCov_9fa48("672"), !registry.has(name)))));
    if (stryMutAct_9fa48("674") ? false : stryMutAct_9fa48("673") ? true : (stryCov_9fa48("673", "674"), unknown.length)) throw unknownProviders(unknown);
    return unique;
  }
}
export function planInvalidation(request: InvalidationRequest, providers: string[], keys: CatalogKeys, maxKeysPerBatch: number): InvalidationPlan {
  if (stryMutAct_9fa48("675")) {
    {}
  } else {
    stryCov_9fa48("675");
    const soft = stryMutAct_9fa48("678") ? request.mode !== 'soft' : stryMutAct_9fa48("677") ? false : stryMutAct_9fa48("676") ? true : (stryCov_9fa48("676", "677", "678"), request.mode === (stryMutAct_9fa48("679") ? "" : (stryCov_9fa48("679"), 'soft')));
    const commandOf = (p: string): BatchCommand => {
      if (stryMutAct_9fa48("680")) {
        {}
      } else {
        stryCov_9fa48("680");
        if (stryMutAct_9fa48("682") ? false : stryMutAct_9fa48("681") ? true : (stryCov_9fa48("681", "682"), soft)) return stryMutAct_9fa48("683") ? {} : (stryCov_9fa48("683"), {
          provider: p,
          op: stryMutAct_9fa48("684") ? "" : (stryCov_9fa48("684"), 'stale'),
          keys: stryMutAct_9fa48("685") ? [] : (stryCov_9fa48("685"), [keys.providerModels(p)]),
          fence: keys.providerGeneration(p)
        });
        return stryMutAct_9fa48("686") ? {} : (stryCov_9fa48("686"), {
          provider: p,
          op: stryMutAct_9fa48("687") ? "" : (stryCov_9fa48("687"), 'unlink'),
          keys: (stryMutAct_9fa48("690") ? request.cacheType !== 'all' : stryMutAct_9fa48("689") ? false : stryMutAct_9fa48("688") ? true : (stryCov_9fa48("688", "689", "690"), request.cacheType === (stryMutAct_9fa48("691") ? "" : (stryCov_9fa48("691"), 'all')))) ? keys.providerKeys(p) : stryMutAct_9fa48("692") ? [] : (stryCov_9fa48("692"), [keys.providerModels(p)]),
          fence: keys.providerGeneration(p)
        });
      }
    };
    // Global keys go last, in the final batch: the full catalog is invalidated once, at the end. A soft
    // invalidation keeps the provider list and pricing (readers keep the old ones until the refresh).
    const globals = stryMutAct_9fa48("693") ? [] : (stryCov_9fa48("693"), [...(request.cascade ? stryMutAct_9fa48("694") ? [] : (stryCov_9fa48("694"), [keys.fullCatalog]) : stryMutAct_9fa48("695") ? ["Stryker was here"] : (stryCov_9fa48("695"), [])), ...((stryMutAct_9fa48("698") ? request.cacheType === 'all' || !soft : stryMutAct_9fa48("697") ? false : stryMutAct_9fa48("696") ? true : (stryCov_9fa48("696", "697", "698"), (stryMutAct_9fa48("700") ? request.cacheType !== 'all' : stryMutAct_9fa48("699") ? true : (stryCov_9fa48("699", "700"), request.cacheType === (stryMutAct_9fa48("701") ? "" : (stryCov_9fa48("701"), 'all')))) && (stryMutAct_9fa48("702") ? soft : (stryCov_9fa48("702"), !soft)))) ? stryMutAct_9fa48("703") ? [] : (stryCov_9fa48("703"), [keys.providerList, keys.pricing]) : stryMutAct_9fa48("704") ? ["Stryker was here"] : (stryCov_9fa48("704"), []))]);
    const batches: Batch[] = stryMutAct_9fa48("705") ? ["Stryker was here"] : (stryCov_9fa48("705"), []);
    let current: Batch = stryMutAct_9fa48("706") ? {} : (stryCov_9fa48("706"), {
      providers: stryMutAct_9fa48("707") ? ["Stryker was here"] : (stryCov_9fa48("707"), []),
      commands: stryMutAct_9fa48("708") ? ["Stryker was here"] : (stryCov_9fa48("708"), [])
    });
    let size = 0;
    for (const provider of providers) {
      if (stryMutAct_9fa48("709")) {
        {}
      } else {
        stryCov_9fa48("709");
        const command = commandOf(provider);
        if (stryMutAct_9fa48("712") ? size > 0 || size + command.keys.length > maxKeysPerBatch : stryMutAct_9fa48("711") ? false : stryMutAct_9fa48("710") ? true : (stryCov_9fa48("710", "711", "712"), (stryMutAct_9fa48("715") ? size <= 0 : stryMutAct_9fa48("714") ? size >= 0 : stryMutAct_9fa48("713") ? true : (stryCov_9fa48("713", "714", "715"), size > 0)) && (stryMutAct_9fa48("718") ? size + command.keys.length <= maxKeysPerBatch : stryMutAct_9fa48("717") ? size + command.keys.length >= maxKeysPerBatch : stryMutAct_9fa48("716") ? true : (stryCov_9fa48("716", "717", "718"), (stryMutAct_9fa48("719") ? size - command.keys.length : (stryCov_9fa48("719"), size + command.keys.length)) > maxKeysPerBatch)))) {
          if (stryMutAct_9fa48("720")) {
            {}
          } else {
            stryCov_9fa48("720");
            batches.push(current);
            current = stryMutAct_9fa48("721") ? {} : (stryCov_9fa48("721"), {
              providers: stryMutAct_9fa48("722") ? ["Stryker was here"] : (stryCov_9fa48("722"), []),
              commands: stryMutAct_9fa48("723") ? ["Stryker was here"] : (stryCov_9fa48("723"), [])
            });
            size = 0;
          }
        }
        current.providers.push(provider);
        current.commands.push(command);
        stryMutAct_9fa48("724") ? size -= command.keys.length : (stryCov_9fa48("724"), size += command.keys.length);
      }
    }
    if (stryMutAct_9fa48("726") ? false : stryMutAct_9fa48("725") ? true : (stryCov_9fa48("725", "726"), globals.length)) current.commands.push(stryMutAct_9fa48("727") ? {} : (stryCov_9fa48("727"), {
      provider: null,
      op: stryMutAct_9fa48("728") ? "" : (stryCov_9fa48("728"), 'unlink'),
      keys: globals,
      fence: keys.globalGeneration
    }));
    batches.push(current);
    const commands = batches.flatMap(stryMutAct_9fa48("729") ? () => undefined : (stryCov_9fa48("729"), b => b.commands));
    for (const key of commands.flatMap(stryMutAct_9fa48("730") ? () => undefined : (stryCov_9fa48("730"), c => c.keys))) if (stryMutAct_9fa48("733") ? false : stryMutAct_9fa48("732") ? true : stryMutAct_9fa48("731") ? keys.owns(key) : (stryCov_9fa48("731", "732", "733"), !keys.owns(key))) throw new Error(stryMutAct_9fa48("734") ? `` : (stryCov_9fa48("734"), `refusing to plan ${key}`));
    const keysPlanned = commands.reduce(stryMutAct_9fa48("735") ? () => undefined : (stryCov_9fa48("735"), (n, c) => stryMutAct_9fa48("736") ? n - c.keys.length : (stryCov_9fa48("736"), n + c.keys.length)), 0);
    return stryMutAct_9fa48("737") ? {} : (stryCov_9fa48("737"), {
      providers,
      batches,
      keysPlanned,
      rebuildPricing: stryMutAct_9fa48("740") ? request.cacheType === 'all' || !soft : stryMutAct_9fa48("739") ? false : stryMutAct_9fa48("738") ? true : (stryCov_9fa48("738", "739", "740"), (stryMutAct_9fa48("742") ? request.cacheType !== 'all' : stryMutAct_9fa48("741") ? true : (stryCov_9fa48("741", "742"), request.cacheType === (stryMutAct_9fa48("743") ? "" : (stryCov_9fa48("743"), 'all')))) && (stryMutAct_9fa48("744") ? soft : (stryCov_9fa48("744"), !soft)))
    });
  }
}