/**
 * The three ways of invalidating N providers that the bench compares, plus the seeding and the
 * checks around each run. The new ways call the real planner, engine and service; nothing is copied.
 */
import type { RedisClient } from '~/server/redis/connection';
import { encodeModelsHash } from '~/server/catalog/models-hash';
import { createRegistry } from '~/server/catalog/sources/registry';
import type { Model } from '~/server/catalog/schema';
import type { ProviderSource } from '~/server/catalog/sources/sources';
import { executePlan } from '~/server/invalidation/engine';
import { planInvalidation } from '~/server/invalidation/plan';
import { JobRunner } from '~/server/invalidation/runner';
import { invalidationRequestSchema, type InvalidationRequest, type JobEvent } from '~/server/invalidation/schema';
import { createActivityHub } from '~/server/activity/hub';
import { createInvalidationService, type InvalidationService } from '~/server/invalidation/service';
import { adminKeys, catalogKeys, type CatalogKeys } from '~/server/redis/keys';
import { createLogger } from '~/server/log/logger';
import { FINISHED_INDEX } from '~/server/webhooks/sweep';
import type { Clients } from './bench-env';

/** The default INVALIDATION_BATCH_KEYS: every case here fits in one batch. */
const MAX_KEYS_PER_BATCH = 5000;

export type MethodName = 'old' | 'engine' | 'job' | 'click';
export const METHODS: MethodName[] = ['old', 'engine', 'job', 'click'];

/** One provider count on one set of clients. */
export interface Subject {
  providers: string[];
  keys: CatalogKeys;
  request: InvalidationRequest;
  catalog: RedisClient;
  service: InvalidationService;
  runner: JobRunner;
  /** Closes the service's pooled event readers. */
  close(): void;
}

export class BenchCheckError extends Error {
  override name = 'BenchCheckError';
}

export const providerNames = (count: number) =>
  Array.from({ length: count }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);

export interface SubjectOptions {
  /** A gateway's layout (CATALOG_KEYS); default: this project's under the prefix. */
  keys?: CatalogKeys;
  /** INVALIDATION_BATCH_KEYS (default 5000). */
  maxKeysPerBatch?: number;
  /** The request to run (default: models, cascade). */
  request?: Partial<InvalidationRequest>;
  /** False when the catalog and the jobs do not share one Redis server connection (default true). */
  sharedRedis?: boolean;
}

export function createSubject(providers: string[], clients: Clients, prefix: string, options: SubjectOptions = {}): Subject {
  const keys = options.keys ?? catalogKeys(`${prefix}catalog:`);
  // Trivial sources: the registry only needs the names; cacheType 'models' never loads a catalog.
  const sources: ProviderSource[] = providers.map((provider) => ({
    provider,
    displayName: provider,
    description: 'bench',
    load: () => Promise.reject(new Error('the bench never loads a catalog')),
  }));
  const runner = new JobRunner(4, 200);
  // As an instance has it: one subscriber on the activity channel, which the click's event stream follows.
  const hub = createActivityHub(clients.admin, adminKeys(`${prefix}admin:`).activity);
  const closing = new AbortController();
  const service = createInvalidationService({
    log: createLogger({ level: 'warn', instance: 'bench' }),
    closing: closing.signal,
    adminRedis: clients.admin,
    catalogRedis: clients.catalog,
    // One redis-server behind one proxy: the job's `started` write rides in its batch.
    sharedRedis: options.sharedRedis ?? true,
    adminKeys: adminKeys(`${prefix}admin:`),
    catalogKeys: keys,
    registry: createRegistry(sources),
    cache: { rebuildPricing: () => Promise.resolve(true) },
    runner,
    // The same click repeated run after run: no repeat window, each run is a first click.
    config: { maxKeysPerBatch: options.maxKeysPerBatch ?? MAX_KEYS_PER_BATCH, eventsMaxLen: 1000, retentionSeconds: 3600, leaseMs: 10_000, coalesceWindowMs: 0, refreshTimeoutMs: 10_000, streamQueueLimit: 1000, finishedIndex: FINISHED_INDEX },
    hub,
  });
  // Parsed once, outside the timings, as the router does before calling the service.
  const request = invalidationRequestSchema.parse({ providers, cacheType: 'models', cascade: true, ...options.request });
  return { providers, keys, request, catalog: clients.catalog, service, runner, close: () => (closing.abort(), hub.close()) };
}

/** The same data before every run: per provider a models hash (through its codec, as the app writes it) and a pricing string, plus the full catalog. */
export async function seed(control: RedisClient, { providers, keys }: Subject): Promise<void> {
  const pipeline = control.pipeline();
  for (const p of providers) {
    const pricing = { inputPerMTok: 1, outputPerMTok: 2 };
    const models: Model[] = [{ id: `${p}/small`, name: 'Small', contextLength: 8192, pricing, modalities: ['text'] }];
    pipeline.hset(keys.providerModels(p), encodeModelsHash({ provider: p, displayName: p, models, cachedAt: 1700000000000, source: 'bench' }));
    pipeline.set(keys.providerPricing(p), JSON.stringify({ [`${p}/small`]: pricing }));
  }
  pipeline.set(keys.fullCatalog, JSON.stringify({ providers }));
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([err]) => err);
  if (failed) throw new Error(`seeding failed: ${String(failed[0])}`);
}

/**
 * Each method resolves, once its timed part is over, to a function that reads how many keys it
 * deleted: the job's record is read after the clock has stopped, not inside the measurement.
 */
type Method = (s: Subject) => Promise<() => Promise<number>>;

/** The system we replace: per provider, sequentially, delete its catalog key then cascade to the full catalog. */
const oldWay: Method = async ({ providers, keys, catalog }) => {
  let deleted = 0;
  for (const p of providers) {
    deleted += await catalog.unlink(keys.providerModels(p));
    deleted += await catalog.unlink(keys.fullCatalog);
  }
  return () => Promise.resolve(deleted);
};

/** Planner + engine only: one MULTI/EXEC of UNLINKs per batch. */
const engineOnly: Method = async ({ providers, keys, request, catalog }) => {
  const plan = planInvalidation(request, providers, keys, MAX_KEYS_PER_BATCH);
  const outcome = await executePlan(catalog, plan);
  return () => Promise.resolve(outcome.keysDeleted);
};

/** What an admin waits for: validation, job record, events, engine, completion, via the background runner. */
const wholeJob: Method = async ({ request, service, runner }) => {
  const { jobId } = await service.start(request, { kind: 'token', label: 'bench' });
  await runner.drain();
  return async () => {
    const record = await service.get(jobId);
    if (record.status !== 'completed' || !record.result) {
      throw new BenchCheckError(`job ${jobId} ended ${record.status}: ${record.error?.message ?? 'no result'}`);
    }
    return record.result.keysDeleted;
  };
};

/**
 * What an admin sees: from the click (the mutation) to the terminal event as a subscriber receives
 * it, the subscription opened as soon as the mutation answered, as the panel does.
 */
const clickToResult: Method = async ({ request, service }) => {
  const { jobId } = await service.start(request, { kind: 'token', label: 'bench' });
  let last: JobEvent | undefined;
  for await (const item of service.events(jobId, null)) last = item.event;
  return () => {
    if (last?.type !== 'completed') throw new BenchCheckError(`job ${jobId}: the subscriber saw ${last?.type ?? 'nothing'} last`);
    return Promise.resolve(last.result.keysDeleted);
  };
};

const methods: Record<MethodName, Method> = { old: oldWay, engine: engineOnly, job: wholeJob, click: clickToResult };

export interface RunResult {
  ms: number;
  roundTrips: number;
  keysDeleted: number;
}

/** Seed (untimed), time one run, count its round trips through `counter`, then check what it did. */
export async function runOnce(
  control: RedisClient,
  subject: Subject,
  method: MethodName,
  counter: { resetCounters(): void; roundTrips(): number },
): Promise<RunResult> {
  await seed(control, subject);
  counter.resetCounters();
  const t0 = performance.now();
  const readDeleted = await methods[method](subject);
  const ms = performance.now() - t0;
  const roundTrips = counter.roundTrips();
  const keysDeleted = await readDeleted();
  await verify(control, subject, method, keysDeleted);
  return { ms, roundTrips, keysDeleted };
}

/**
 * The requested keys must be gone, the pricing keys (not requested) untouched, and every method must
 * report the same count: one models key per provider plus the full catalog, deleted once.
 */
async function verify(control: RedisClient, { providers, keys }: Subject, method: MethodName, keysDeleted: number) {
  const expected = providers.length + 1;
  const left = await control.exists(...providers.map((p) => keys.providerModels(p)), keys.fullCatalog);
  const pricing = await control.exists(...providers.map((p) => keys.providerPricing(p)));
  const problems = [
    left !== 0 && `${left} requested key(s) still exist`,
    pricing !== providers.length && `${providers.length - pricing} pricing key(s) were deleted but not requested`,
    keysDeleted !== expected && `reported ${keysDeleted} keys deleted, expected ${expected} (same as every other method)`,
  ].filter(Boolean);
  if (problems.length) throw new BenchCheckError(`${method} way, ${providers.length} providers: ${problems.join('; ')}`);
}
