/**
 * The invalidation service: what the tRPC routers, the REST routes and the tests call.
 * `start` validates, then in one round trip either joins a pending job that covers the request or
 * records a new one with its lease, and returns its id; the work runs later, in the runner.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { CatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import { prepareCatalogConnection } from '~/server/catalog/fence';
import type { AdminKeys, CatalogKeys } from '~/server/redis/keys';
import type { ActivityHub } from '~/server/activity/hub';
import type { PreparedAudit } from '~/server/audit/trail';
import { DomainError } from '~/server/lib/errors';
import { retryAfterSeconds, type Limit } from '~/server/ratelimit/limiter';
import type { Logger } from '~/server/log/logger';
import { defineScripts } from '~/server/redis/scripts';
import { followEvents } from './streams/events';
import { followJobs } from './streams/follow-jobs';
import { runJob, type JobDeps } from './job';
import { hasModelKeys, modelKeyChunks } from './model-keys';
import type { JobObserver } from './observer';
import { planInvalidation, resolveProviders } from './plan';
import { previewInvalidation } from './preview';
import { createRefreshStep, withRefreshDefault, type RefreshDeps } from './refresh';
import type { JobRunner } from './runner';
import type { Actor, HistoryQuery, InvalidationRequest, InvalidationRequestInput, JobRecord, RecentJobs, StartResult, Via } from './schema';
import { invalidationRequestSchema, RECENT_LIMIT, RECENT_WINDOW_MS } from './schema';
import { principalKey } from '~/server/identity/schema';
import { queuedRecord } from './store/job-record';
import { createJobStore, JOB_SCRIPTS, newJobId, type FinishedCursor, type FinishedIndexBounds } from './store/store';
import { createJobWorker } from './worker';

export interface InvalidationDeps {
  adminRedis: RedisClient;
  catalogRedis: RedisClient;
  /** The catalog lives in the jobs' Redis (one server): `started` rides in the first batch. */
  sharedRedis: boolean;
  adminKeys: AdminKeys;
  catalogKeys: CatalogKeys;
  registry: ProviderRegistry;
  /** `snapshot`, `claimRefresh` and `publish` serve refresh-and-verify; a wiring without them (the bench) cannot refresh. */
  cache: Pick<CatalogCache, 'rebuildPricing'> & Partial<Pick<CatalogCache, 'snapshot' | 'claimRefresh' | 'publish'>>;
  runner: JobRunner;
  config: {
    maxKeysPerBatch: number;
    eventsMaxLen: number;
    retentionSeconds: number;
    leaseMs: number;
    refreshTimeoutMs: number;
    coalesceWindowMs: number;
    streamQueueLimit: number;
    /** What the finished-jobs index keeps (store/finished-index.ts), as the webhook sweep needs it. */
    finishedIndex: FinishedIndexBounds;
  };
  /** The instance's one activity subscriber: job event streams follow it instead of blocking reads. */
  hub: ActivityHub;
  /** Aborted when this instance shuts down: open event streams end so clients resume elsewhere. */
  closing?: AbortSignal;
  now?: () => number;
  retryDelaysMs?: number[];
  instanceId?: string;
  log: Logger;
  /** Told when a job is created or joined, taken over, finished (metrics, webhooks). */
  observer?: JobObserver;
  /** Announces a job's deletions to the live instances and waits for their acks (server/instances/). */
  confirmer?: JobDeps['confirmer'];
}

export type InvalidationService = ReturnType<typeof createInvalidationService>;

export function createInvalidationService(deps: InvalidationDeps) {
  const now = deps.now ?? Date.now;
  const store = createJobStore(deps.adminRedis, deps.adminKeys, deps.config);
  prepareCatalogConnection(deps.catalogRedis);
  if (deps.sharedRedis) defineScripts(deps.catalogRedis, JOB_SCRIPTS);
  const { snapshot, claimRefresh, publish: write } = deps.cache;
  const refreshDeps: RefreshDeps | null =
    snapshot && claimRefresh && write ? { registry: deps.registry, readCached: snapshot, claim: claimRefresh, write, timeoutMs: deps.config.refreshTimeoutMs, now } : null;
  const jobDeps: JobDeps = {
    catalogRedis: deps.catalogRedis,
    sharedRedis: deps.sharedRedis,
    store,
    rebuildPricing: deps.cache.rebuildPricing,
    now,
    retryDelaysMs: deps.retryDelaysMs,
    refresh: (plan, roundTrip, jobId) => (plan.refresh && refreshDeps ? createRefreshStep(counted(refreshDeps, roundTrip), plan.providers, plan.refresh, jobId) : undefined),
    log: deps.log,
    observer: deps.observer,
    modelKeys: hasModelKeys(deps.catalogKeys)
      ? (providers) => modelKeyChunks(deps.catalogRedis, deps.catalogKeys, providers, { chunk: Math.min(deps.config.maxKeysPerBatch, 5000) })
      : undefined,
    confirmer: deps.confirmer,
  };
  const plan = (request: InvalidationRequest) =>
    planInvalidation(request, resolveProviders(request, deps.registry), deps.catalogKeys, deps.config.maxKeysPerBatch);
  const worker = createJobWorker({
    store,
    runner: deps.runner,
    leaseMs: deps.config.leaseMs,
    now,
    run: (ticket) => runJob(jobDeps, ticket),
    replan: (record: JobRecord) => plan(record.request),
    instanceId: deps.instanceId,
    log: deps.log,
    observer: deps.observer,
  });

  /**
   * Starts a request its door has parsed already (the schema's defaults applied). `limits`, when
   * given, are decided in the same script that joins or creates the job (store/job-scripts.ts): a refused
   * request throws RATE_LIMITED and writes nothing.
   */
  async function startParsed(parsed: InvalidationRequest, actor: Actor, via: Via = 'trpc', admission: { limits?: Limit[]; audit?: PreparedAudit } = {}): Promise<StartResult> {
    worker.ensureAccepting();
    const request = withRefreshDefault(parsed);
    const jobPlan = plan(request);
    if (jobPlan.refresh && !refreshDeps) throw new Error('this wiring has no catalog cache to refresh into');
    deps.runner.ensureCapacity();
    const createdAt = now();
    const jobId = newJobId(createdAt);
    const record = queuedRecord({ id: jobId, request, actor, providersTotal: jobPlan.providers.length, createdAt });
    const lease = worker.newLease();
    const { delayMs, refusedForMs, ...started } = await store.createOrJoin(record, jobPlan.providers, { actor, at: createdAt, via }, lease, admission.limits, admission.audit);
    if (refusedForMs > 0) {
      const seconds = retryAfterSeconds(refusedForMs);
      throw new DomainError('RATE_LIMITED', `Too many invalidations; try again in ${seconds} seconds`, { retryAfterSeconds: seconds });
    }
    if (!started.coalesced) worker.run({ jobId, plan: jobPlan, token: lease.token, attempt: 1, actor, ...(delayMs > 0 ? { notBefore: createdAt + delayMs } : {}) });
    deps.observer?.created?.({ jobId: started.jobId, coalesced: started.coalesced, actor, via });
    return started;
  }

  const events = (jobId: string, lastEventId: string | null, signal?: AbortSignal) =>
    followEvents({ redis: deps.adminRedis, keys: deps.adminKeys, store, hub: deps.hub, queueLimit: deps.config.streamQueueLimit, closing: deps.closing }, jobId, lastEventId, signal);

  return {
    /** Parses the request as sent (schedules, scripts and tests call it with plain input), then starts it. */
    start: (input: InvalidationRequestInput, actor: Actor, via?: Via, admission?: { limits?: Limit[]; audit?: PreparedAudit }) =>
      startParsed(invalidationRequestSchema.parse(input), actor, via, admission),
    startParsed,
    /** What `start` would do with this request, read in one round trip; deletes and writes nothing. */
    preview: (input: InvalidationRequestInput) =>
      previewInvalidation(
        { redis: deps.catalogRedis, keys: deps.catalogKeys, registry: deps.registry, maxKeysPerBatch: deps.config.maxKeysPerBatch },
        withRefreshDefault(invalidationRequestSchema.parse(input)),
      ),
    worker,
    get: (jobId: string) => store.get(jobId),
    /** Newest first; each record without its list of planned keys (the job's own page has it). */
    history: async (query: HistoryQuery) => {
      const page = await store.history(query);
      return { ...page, items: page.items.map(withoutKeyList) };
    },
    /** The jobs that finished within `range` (ms), oldest end first, a page at a time (store/finished-index.ts). */
    finished: (range: { from: number; to: number }, cursor: FinishedCursor | null, count: number) => store.finished(range, cursor, count),
    /**
     * The shared Jobs view: every queued or running job and those finished in the last
     * RECENT_WINDOW_MS, whoever started them, newest first, each marked `mine` for `viewer`.
     */
    async recent(viewer: Actor): Promise<RecentJobs> {
      const jobs = await store.recent({ now: now(), windowMs: RECENT_WINDOW_MS, limit: RECENT_LIMIT });
      const me = principalKey(viewer);
      return { items: jobs.map((job) => ({ ...withoutKeyList(job), mine: principalKey(job.actor) === me })), windowMs: RECENT_WINDOW_MS };
    },
    events,
    /** Several jobs' events over one stream, each after its position in `cursor` (streams/follow-jobs.ts). */
    followJobs: (jobIds: readonly string[], cursor: ReadonlyMap<string, string>, signal?: AbortSignal) =>
      followJobs({ follow: events, queueLimit: deps.config.streamQueueLimit }, jobIds, cursor, signal),
  };
}

/** A record as lists show it: the planned keys (up to LISTED_KEYS of them) stay on the job's own page. */
function withoutKeyList(record: JobRecord): JobRecord {
  if (!record.result?.plannedKeys) return record;
  const { plannedKeys: _listed, ...result } = record.result;
  return { ...record, result };
}

/** The refresh step's Redis calls, each one round trip, counted for the job's metrics. */
function counted(deps: RefreshDeps, roundTrip: () => void): RefreshDeps {
  return {
    ...deps,
    readCached: (names) => (roundTrip(), deps.readCached(names)),
    claim: (names) => (roundTrip(), deps.claim(names)),
    write: (catalog, gen, token, basis, cause) => (roundTrip(), deps.write(catalog, gen, token, basis, cause)),
  };
}
