/**
 * The invalidation service: what the tRPC routers, the REST routes and the tests call.
 * `start` validates, then in one round trip either joins a pending job that covers the request or
 * records a new one with its lease, and returns its id; the work runs later, in the runner.
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
import type { CatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/registry';
import { prepareCatalogConnection } from '~/server/catalog/fence';
import type { AdminKeys, CatalogKeys } from '~/server/redis/keys';
import { createReaderPool } from '~/server/redis/reader-pool';
import { defineScripts } from '~/server/redis/scripts';
import { followEvents } from './events';
import { runJob, type JobDeps } from './job';
import { JOB_SCRIPTS } from './job-scripts';
import { planInvalidation, resolveProviders } from './plan';
import type { JobRunner } from './runner';
import type { Actor, HistoryQuery, InvalidationRequest, InvalidationRequestInput, JobRecord, StartResult, Via } from './schema';
import { invalidationRequestSchema } from './schema';
import { createJobStore, newJobId } from './store';
import { createJobWorker } from './worker';
export interface InvalidationDeps {
  adminRedis: Redis;
  catalogRedis: Redis;
  /** The catalog lives in the jobs' Redis (one server): `started` rides in the first batch. */
  sharedRedis: boolean;
  adminKeys: AdminKeys;
  catalogKeys: CatalogKeys;
  registry: ProviderRegistry;
  cache: Pick<CatalogCache, 'rebuildPricing'>;
  runner: JobRunner;
  config: {
    maxKeysPerBatch: number;
    eventsMaxLen: number;
    retentionSeconds: number;
    leaseMs: number;
  };
  /** Aborted when this instance shuts down: open event streams end so clients resume elsewhere. */
  closing?: AbortSignal;
  now?: () => number;
  retryDelaysMs?: number[];
  instanceId?: string;
}
export type InvalidationService = ReturnType<typeof createInvalidationService>;
export function createInvalidationService(deps: InvalidationDeps) {
  if (stryMutAct_9fa48("866")) {
    {}
  } else {
    stryCov_9fa48("866");
    const now = stryMutAct_9fa48("867") ? deps.now && Date.now : (stryCov_9fa48("867"), deps.now ?? Date.now);
    const store = createJobStore(deps.adminRedis, deps.adminKeys, deps.config);
    prepareCatalogConnection(deps.catalogRedis);
    if (stryMutAct_9fa48("869") ? false : stryMutAct_9fa48("868") ? true : (stryCov_9fa48("868", "869"), deps.sharedRedis)) defineScripts(deps.catalogRedis, JOB_SCRIPTS);
    const jobDeps: JobDeps = stryMutAct_9fa48("870") ? {} : (stryCov_9fa48("870"), {
      catalogRedis: deps.catalogRedis,
      sharedRedis: deps.sharedRedis,
      store,
      rebuildPricing: deps.cache.rebuildPricing,
      now,
      retryDelaysMs: deps.retryDelaysMs
    });
    const plan = stryMutAct_9fa48("871") ? () => undefined : (stryCov_9fa48("871"), (() => {
      const plan = (request: InvalidationRequest) => planInvalidation(request, resolveProviders(request, deps.registry), deps.catalogKeys, deps.config.maxKeysPerBatch);
      return plan;
    })());
    const worker = createJobWorker(stryMutAct_9fa48("872") ? {} : (stryCov_9fa48("872"), {
      store,
      runner: deps.runner,
      leaseMs: deps.config.leaseMs,
      now,
      run: stryMutAct_9fa48("873") ? () => undefined : (stryCov_9fa48("873"), ticket => runJob(jobDeps, ticket)),
      replan: stryMutAct_9fa48("874") ? () => undefined : (stryCov_9fa48("874"), (record: JobRecord) => plan(record.request)),
      instanceId: deps.instanceId
    }));

    /** Accepts the request as sent or already parsed (defaults are applied either way). */
    const readers = createReaderPool(deps.adminRedis, stryMutAct_9fa48("875") ? "" : (stryCov_9fa48("875"), 'job-events'));
    stryMutAct_9fa48("876") ? deps.closing.addEventListener('abort', () => readers.close(), {
      once: true
    }) : (stryCov_9fa48("876"), deps.closing?.addEventListener(stryMutAct_9fa48("877") ? "" : (stryCov_9fa48("877"), 'abort'), stryMutAct_9fa48("878") ? () => undefined : (stryCov_9fa48("878"), () => readers.close()), stryMutAct_9fa48("879") ? {} : (stryCov_9fa48("879"), {
      once: stryMutAct_9fa48("880") ? false : (stryCov_9fa48("880"), true)
    })));
    async function start(input: InvalidationRequestInput, actor: Actor, via: Via = stryMutAct_9fa48("881") ? "" : (stryCov_9fa48("881"), 'trpc')): Promise<StartResult> {
      if (stryMutAct_9fa48("882")) {
        {}
      } else {
        stryCov_9fa48("882");
        worker.ensureAccepting();
        const request = invalidationRequestSchema.parse(input);
        const jobPlan = plan(request);
        deps.runner.ensureCapacity();
        const createdAt = now();
        const jobId = newJobId(createdAt);
        const record: JobRecord = stryMutAct_9fa48("883") ? {} : (stryCov_9fa48("883"), {
          id: jobId,
          status: stryMutAct_9fa48("884") ? "" : (stryCov_9fa48("884"), 'queued'),
          request,
          actor,
          providersTotal: jobPlan.providers.length,
          createdAt,
          startedAt: null,
          finishedAt: null,
          result: null,
          error: null,
          askers: stryMutAct_9fa48("885") ? ["Stryker was here"] : (stryCov_9fa48("885"), []),
          joined: 0,
          attempt: 1
        });
        const lease = worker.newLease();
        const started = await store.createOrJoin(record, jobPlan.providers, stryMutAct_9fa48("886") ? {} : (stryCov_9fa48("886"), {
          actor,
          at: createdAt,
          via
        }), lease);
        if (stryMutAct_9fa48("889") ? false : stryMutAct_9fa48("888") ? true : stryMutAct_9fa48("887") ? started.coalesced : (stryCov_9fa48("887", "888", "889"), !started.coalesced)) worker.run(stryMutAct_9fa48("890") ? {} : (stryCov_9fa48("890"), {
          jobId,
          plan: jobPlan,
          token: lease.token,
          attempt: 1
        }));
        return started;
      }
    }
    return stryMutAct_9fa48("891") ? {} : (stryCov_9fa48("891"), {
      start,
      worker,
      get: stryMutAct_9fa48("892") ? () => undefined : (stryCov_9fa48("892"), (jobId: string) => store.get(jobId)),
      history: stryMutAct_9fa48("893") ? () => undefined : (stryCov_9fa48("893"), (query: HistoryQuery) => store.history(query)),
      events: stryMutAct_9fa48("894") ? () => undefined : (stryCov_9fa48("894"), (jobId: string, lastEventId: string | null, signal?: AbortSignal) => followEvents(stryMutAct_9fa48("895") ? {} : (stryCov_9fa48("895"), {
        redis: deps.adminRedis,
        keys: deps.adminKeys,
        store,
        readers,
        closing: deps.closing
      }), jobId, lastEventId, signal))
    });
  }
}