/**
 * The invalidation service: what the tRPC routers, the REST routes and the tests call.
 * `start` validates, writes the job record and returns its id; the work runs later, in the runner.
 */
import type { Redis } from 'ioredis';
import type { CatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/registry';
import type { AdminKeys, CatalogKeys } from '~/server/redis/keys';
import { followEvents } from './events';
import { runJob } from './job';
import { planInvalidation, resolveProviders } from './plan';
import { previewInvalidation } from './preview';
import { createRefreshStep, refreshModeOf } from './refresh';
import type { JobRunner } from './runner';
import type { Actor, HistoryQuery, InvalidationRequest, JobRecord } from './schema';
import { createJobStore, newJobId } from './store';

export interface InvalidationDeps {
  adminRedis: Redis;
  catalogRedis: Redis;
  adminKeys: AdminKeys;
  catalogKeys: CatalogKeys;
  registry: ProviderRegistry;
  /** `peek` and `store` serve refresh-and-verify; a wiring without them (the bench) cannot refresh. */
  cache: Pick<CatalogCache, 'rebuildPricing'> & Partial<Pick<CatalogCache, 'peek' | 'store'>>;
  runner: JobRunner;
  config: { maxKeysPerBatch: number; eventsMaxLen: number; retentionSeconds: number; refreshTimeoutMs?: number };
  now?: () => number;
  retryDelaysMs?: number[];
}

export type InvalidationService = ReturnType<typeof createInvalidationService>;

export function createInvalidationService(deps: InvalidationDeps) {
  const now = deps.now ?? Date.now;
  const store = createJobStore(deps.adminRedis, deps.adminKeys, deps.config);
  const { peek, store: write } = deps.cache;
  const refreshDeps = peek && write ? { registry: deps.registry, readCached: peek, write, timeoutMs: deps.config.refreshTimeoutMs ?? 10_000, now } : null;
  const jobDeps = { catalogRedis: deps.catalogRedis, store, rebuildPricing: deps.cache.rebuildPricing, now, retryDelaysMs: deps.retryDelaysMs };

  async function start(request: InvalidationRequest, actor: Actor): Promise<{ jobId: string }> {
    const providers = resolveProviders(request, deps.registry);
    const plan = planInvalidation(request, providers, deps.catalogKeys, deps.config.maxKeysPerBatch);
    deps.runner.ensureCapacity();
    const createdAt = now();
    const jobId = newJobId(createdAt);
    const record: JobRecord = {
      id: jobId,
      status: 'queued',
      request,
      actor,
      providersTotal: providers.length,
      createdAt,
      startedAt: null,
      finishedAt: null,
      result: null,
      error: null,
    };
    await store.create(record, { type: 'queued', at: createdAt, providersTotal: providers.length });
    const refreshMode = refreshModeOf(request);
    if (refreshMode && !refreshDeps) throw new Error('this wiring has no catalog cache to refresh into');
    const refresh = refreshMode && refreshDeps ? createRefreshStep(refreshDeps, providers, refreshMode) : undefined;
    deps.runner.submit(() => runJob({ ...jobDeps, refresh }, jobId, plan));
    return { jobId };
  }

  return {
    start,
    /** What `start` would do with this request, read in one round trip; deletes and writes nothing. */
    preview: (request: InvalidationRequest) =>
      previewInvalidation({ redis: deps.catalogRedis, keys: deps.catalogKeys, registry: deps.registry, maxKeysPerBatch: deps.config.maxKeysPerBatch }, request),
    get: (jobId: string) => store.get(jobId),
    history: (query: HistoryQuery) => store.history(query),
    events: (jobId: string, lastEventId: string | null, signal?: AbortSignal) =>
      followEvents({ redis: deps.adminRedis, keys: deps.adminKeys, store }, jobId, lastEventId, signal),
  };
}
