/**
 * One invalidation job, from `running` to `completed` or `failed`, run by the instance holding its
 * lease. Round trips after the ack: the `started` write and the first batch share one MULTI when
 * the catalog lives in the jobs' Redis (else `started` goes first, so no request can join a job
 * whose deletions are already applied), then one per extra batch (its `progress` event rides
 * alone), one for a pricing rebuild, and the terminal write: 2 for any plan that fits one batch.
 * The announcement to the instances adds none when the catalog shares the jobs' Redis and this
 * instance is the only live one (the live set is read in the last batch's MULTI, the PUBLISH leaves
 * ahead of the terminal write); otherwise one, plus the wait for the other instances' acks.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChainableCommander } from 'ioredis';
import { actorLabel, type Logger } from '~/server/log/logger';
import { isConnectionError } from '~/server/redis/connection';
import { describeRedisFailure, EngineFailure, executePlan, type Coda, type EngineOutcome, type Prelude } from './engine';
import type { ModelKeyChunk } from './model-keys';
import type { JobObserver } from './observer';
import { plannedKeys, type InvalidationPlan } from './plan';
import type { RefreshStep } from './refresh';
import type { InstancesConfirmation } from '~/server/instances/schema';
import type { Actor, CommandError, InvalidationResult, JobError, JobEvent, JobRecord } from './schema';
import type { JobStore } from './store/store';

export interface JobDeps {
  catalogRedis: RedisClient;
  /** True when the catalog lives in the jobs' Redis: `started` then rides in the first batch. */
  sharedRedis: boolean;
  store: JobStore;
  /** Rebuilds global pricing, fenced by the global generation this job's batch set. */
  rebuildPricing: (generation: string) => Promise<unknown>;
  now: () => number;
  /** Waits before retrying a terminal write that failed; injectable so tests stay fast. */
  retryDelaysMs?: number[];
  /** Refresh and verify after the batch (refresh.ts), for plans that ask for it; `roundTrip` counts its Redis calls. */
  refresh?: (plan: InvalidationPlan, roundTrip: () => void, jobId: string) => RefreshStep | undefined;
  /** The instance's log: each job logs through a child carrying its id and actor. */
  log: Logger;
  /** The per-model keys of some providers, streamed (model-keys.ts); absent when the layout has none. */
  modelKeys?: (providers: string[]) => AsyncIterable<ModelKeyChunk>;
  /** A `progress` event at least this often while per-model keys are deleted (default 100 ms). */
  progressEveryMs?: number;
  observer?: JobObserver;
  /** Announces the job's deletions to the live instances and gateways and waits, bounded, for their acks. */
  confirmer?: Confirmer;
}

/** Participants live when the deletions were applied: id → last heartbeat (ms). */
export type LiveSet = ReadonlyMap<string, number>;

/** What a job asks of the confirmation protocol (server/instances/confirmations.ts). */
export interface Confirmer {
  /**
   * Announces what the batch left (provider → generation, null → global) and waits for the acks;
   * `live`: the set read with the last batch (else it reads it, one round trip).
   */
  confirm(jobId: string, generations: ReadonlyMap<string | null, string>, roundTrip: () => void, live?: LiveSet): Promise<InstancesConfirmation>;
  /** Queues the read of who is live into a MULTI on the registry's Redis; parses its reply. */
  queueLiveRead(multi: ChainableCommander): (reply: [Error | null, unknown] | undefined) => LiveSet | undefined;
}

/** What a runner needs to run a job it holds the lease of. */
export interface JobTicket {
  jobId: string;
  plan: InvalidationPlan;
  /** The lease token: every write of the job is fenced by it. */
  token: string;
  attempt: number;
  takenOver?: { by: string; from: string; attempt: number };
  /** A repeat of a job that has just sent its deletions waits until then (COALESCE_WINDOW_MS), collecting joins. */
  notBefore?: number;
  /** Who asked (the job's creator), for the log. */
  actor?: Actor;
}

export async function runJob(deps: JobDeps, ticket: JobTicket): Promise<void> {
  const { store, now } = deps;
  const { jobId, plan, token } = ticket;
  const log = deps.log.child({ jobId, ...(ticket.actor ? { actor: actorLabel(ticket.actor) } : {}), attempt: ticket.attempt });
  // Round trips of this attempt: the create (first attempts only), then each write below.
  let roundTrips = ticket.takenOver ? 0 : 1;
  const roundTrip = () => void (roundTrips += 1);
  const wait = (ticket.notBefore ?? 0) - now();
  if (wait > 0) await sleep(wait);
  const startedAt = now();
  const total = plan.providers.length;
  const progress: Pick<EngineOutcome, 'providersInvalidated' | 'keysDeleted' | 'keysMarkedStale'> = { providersInvalidated: 0, keysDeleted: 0, keysMarkedStale: 0 };
  const listed = plannedKeys(plan);
  const result = (success: boolean): InvalidationResult => ({
    success,
    providersInvalidated: progress.providersInvalidated,
    keysDeleted: progress.keysDeleted,
    durationMs: now() - startedAt,
    ...(progress.keysMarkedStale ? { keysMarkedStale: progress.keysMarkedStale } : {}),
    plannedKeys: listed,
    ...(ticket.takenOver ? { takenOver: ticket.takenOver } : {}),
  });
  const startedFields: Partial<JobRecord> = { status: 'running', startedAt, attempt: ticket.attempt };
  const started: JobEvent = { type: 'started', at: startedAt, providersTotal: total, keysPlanned: plan.keysPlanned, ...(ticket.takenOver ? { takenOver: ticket.takenOver } : {}) };
  let owned = true;
  let confirming: Promise<InstancesConfirmation | undefined> | null = null;
  let live: LiveSet | undefined;
  // One Redis: who is live is read in the last batch's MULTI, atomically with the deletions (a cluster ignores it).
  const confirmer = deps.confirmer;
  let parseLive: ReturnType<Confirmer['queueLiveRead']> | undefined;
  const coda: Coda | undefined =
    confirmer && deps.sharedRedis ? { queue: (multi) => void (parseLive = confirmer.queueLiveRead(multi)), check: ([reply]) => void (live = parseLive?.(reply)) } : undefined;
  /** Announced once per attempt, as soon as deletions are applied; awaited before the terminal write. */
  const announce = (generations: ReadonlyMap<string | null, string>) => {
    confirming ??= confirmer
      ? confirmer.confirm(jobId, generations, roundTrip, live).catch((err: unknown) => {
          log.warn({ err }, 'the deletions could not be announced to the instances; their copies age out (PROCESS_TIER_MAX_AGE_MS)');
          return undefined;
        })
      : Promise.resolve(undefined);
    return confirming;
  };
  const withInstances = (r: InvalidationResult, instances: InstancesConfirmation | undefined): InvalidationResult => (instances ? { ...r, instances } : r);
  const prelude: Prelude = {
    queue: (multi) => store.queueBegin(multi, jobId, token, startedFields, started),
    check: ([reply]) => {
      if (reply?.[0]) throw reply[0];
      owned = Number(reply?.[1]) === 1;
    },
  };
  try {
    log.debug({ providers: total, keysPlanned: plan.keysPlanned }, 'job started');
    if (!deps.sharedRedis) {
      const multi = deps.store.multi();
      prelude.queue(multi);
      roundTrip();
      const replies = await multi.exec();
      if (!replies) throw new Error('Redis aborted the transaction that starts the job');
      prelude.check(replies);
      if (!owned) return; // presumed dead and taken over: the new owner runs it
    }
    // Refresh: what is cached before the batch is the base of the diff (one round trip, refresh jobs only).
    const refresh = deps.refresh?.(plan, roundTrip, jobId);
    // No await without a refresh: a job's first write must leave in the tick that created it (runner.ts).
    if (refresh) await refresh.snapshot();
    let lastProgress = now();
    const outcome = await executePlan(deps.catalogRedis, plan, {
      prelude: deps.sharedRedis ? prelude : undefined,
      coda,
      modelKeys: deps.modelKeys,
      // Per-model deletions: a progress event when one is due, so subscribers see the job move.
      onProgress: async ({ providersDone, keysDeleted }) => {
        if (now() - lastProgress < (deps.progressEveryMs ?? 100)) return;
        lastProgress = now();
        roundTrip();
        Object.assign(progress, { providersInvalidated: providersDone, keysDeleted });
        await store.progress(jobId, { type: 'progress', at: lastProgress, stage: 'providers', providersDone, providersTotal: total, keysDeleted });
      },
      onBatch: async ({ providersDone, keysDeleted }, last) => {
        roundTrip();
        Object.assign(progress, { providersInvalidated: providersDone, keysDeleted });
        // The last batch's progress is folded into the terminal event: one round trip fewer.
        if (!last) roundTrip();
        if (!last) await store.progress(jobId, { type: 'progress', at: now(), stage: 'providers', providersDone, providersTotal: total, keysDeleted });
      },
    });
    if (!owned) return;
    Object.assign(progress, outcome);
    // Told at once; the acks come back while pricing and the refresh run.
    void announce(outcome.generations);
    if (plan.rebuildPricing) {
      roundTrip();
      await deps.rebuildPricing(outcome.generations.get(null) ?? '0').catch((err: unknown) => {
        const reason = isConnectionError(err) ? describeRedisFailure(err) : err instanceof Error ? err.message : String(err);
        throw new Error(`The keys were deleted, but rebuilding pricing failed: ${reason}`);
      });
    }
    // With the catalog on its own Redis, `started` went out before the batch: tell live views the
    // deletions (or soft marks) are applied before the refresh waits on the sources.
    if (refresh && !deps.sharedRedis) {
      roundTrip();
      await store.progress(jobId, { type: 'progress', at: now(), stage: 'providers', providersDone: total, providersTotal: total, keysDeleted: progress.keysDeleted });
    }
    const refreshed = await refresh?.run((outcome, providersDone) => {
      roundTrip();
      return store.progress(jobId, { type: 'progress', at: now(), stage: 'refresh', providersDone, providersTotal: total, keysDeleted: progress.keysDeleted, refresh: outcome });
    });
    const instances = await announce(outcome.generations);
    const done = withInstances({ ...result(true), ...(refreshed ? { refresh: refreshed } : {}) }, instances);
    const finishedAt = now();
    roundTrip();
    const record = await store.finish(jobId, token, { status: 'completed', finishedAt, result: done }, { type: 'completed', at: finishedAt, result: done });
    if (!record) {
      log.warn('job finished, but another instance holds its lease now; it reports the result');
      return;
    }
    log.info({ status: 'completed', providersInvalidated: done.providersInvalidated, keysDeleted: done.keysDeleted, durationMs: done.durationMs, roundTrips }, 'job completed');
    deps.observer?.finished?.({ jobId, record, status: 'completed', result: done, error: null, roundTrips });
  } catch (err) {
    if (err instanceof EngineFailure) Object.assign(progress, err.outcome);
    const error = toJobError(err);
    // What was applied before the failure is announced too, so no instance keeps a copy of it.
    const applied = err instanceof EngineFailure ? err.outcome.generations : null;
    const instances = confirming || applied?.size ? await announce(applied ?? new Map()) : undefined;
    const failed = withInstances(result(false), instances);
    log.error({ status: 'failed', error: error.message, commandErrors: error.commandErrors.length, keysDeleted: failed.keysDeleted, durationMs: failed.durationMs }, 'job failed');
    const recorded = await withRetries(deps.retryDelaysMs, () => {
      const finishedAt = now();
      roundTrip();
      return store.finish(jobId, token, { status: 'failed', finishedAt, result: failed, error }, { type: 'failed', at: finishedAt, error, result: failed });
    }).catch((writeErr: unknown) => {
      log.error({ err: writeErr }, 'could not record the failure');
      return null;
    });
    if (recorded) deps.observer?.finished?.({ jobId, record: recorded, status: 'failed', result: failed, error, roundTrips });
  }
}

function toJobError(err: unknown): JobError {
  const commandErrors: CommandError[] = err instanceof EngineFailure ? err.commandErrors : [];
  if (err instanceof EngineFailure) return { message: err.message, commandErrors };
  if (isConnectionError(err)) return { message: describeRedisFailure(err), commandErrors };
  return { message: err instanceof Error ? err.message : String(err), commandErrors };
}

/** Default: keep trying for about two minutes, so a Redis restart does not leave a job `running`. */
const DEFAULT_DELAYS = [250, 500, 1000, 2000, 4000, ...Array<number>(22).fill(5000)];

async function withRetries<T>(delays = DEFAULT_DELAYS, write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const delay = delays[attempt];
      if (delay === undefined) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
