/**
 * One invalidation job, from `running` to `completed` or `failed`. Every step appends an event. Its
 * Redis round trips: `started`, then per batch the MULTI and its `progress` event, then (cache type
 * "all") the pricing rebuild and its event, then the terminal write: fixed, whatever the number of
 * providers, as long as they fit in one batch.
 */
import type { Redis } from 'ioredis';
import { isConnectionError } from '~/server/redis/connection';
import { describeRedisFailure, EngineFailure, executePlan } from './engine';
import type { InvalidationPlan } from './plan';
import type { RefreshStep } from './refresh';
import type { CommandError, InvalidationResult, JobError } from './schema';
import type { JobStore } from './store';

export interface JobDeps {
  catalogRedis: Redis;
  store: JobStore;
  rebuildPricing: () => Promise<unknown>;
  now: () => number;
  /** Waits before retrying a terminal write that failed; injectable so tests stay fast. */
  retryDelaysMs?: number[];
  /** Refresh and verify after the deletions (refresh.ts), when the request asked for it. */
  refresh?: RefreshStep;
}

export async function runJob(deps: JobDeps, jobId: string, plan: InvalidationPlan): Promise<void> {
  const { store, now } = deps;
  const startedAt = now();
  const total = plan.providers.length;
  const progress = { providersInvalidated: 0, keysDeleted: 0 };
  const result = (success: boolean): InvalidationResult => ({ success, ...progress, durationMs: now() - startedAt });
  try {
    await store.update(jobId, { status: 'running', startedAt }, { type: 'started', at: startedAt, providersTotal: total, keysPlanned: plan.keysPlanned });
    await deps.refresh?.snapshot();
    const outcome = await executePlan(deps.catalogRedis, plan, async ({ providersDone, keysDeleted }) => {
      Object.assign(progress, { providersInvalidated: providersDone, keysDeleted });
      await store.update(jobId, {}, { type: 'progress', at: now(), stage: 'providers', providersDone, providersTotal: total, keysDeleted });
    });
    Object.assign(progress, outcome);
    if (plan.rebuildPricing) {
      await deps.rebuildPricing().catch((err: unknown) => {
        const reason = isConnectionError(err) ? describeRedisFailure(err) : err instanceof Error ? err.message : String(err);
        throw new Error(`The keys were deleted, but rebuilding pricing failed: ${reason}`);
      });
      await store.update(jobId, {}, { type: 'progress', at: now(), stage: 'pricing', providersDone: total, providersTotal: total, keysDeleted: progress.keysDeleted });
    }
    const refreshed = await deps.refresh?.run((outcome, providersDone) =>
      store.update(jobId, {}, { type: 'progress', at: now(), stage: 'refresh', providersDone, providersTotal: total, keysDeleted: progress.keysDeleted, refresh: outcome }),
    );
    const done = { ...result(true), ...(refreshed ? { refresh: refreshed } : {}) };
    await store.update(jobId, { status: 'completed', finishedAt: now(), result: done }, { type: 'completed', at: now(), result: done });
  } catch (err) {
    if (err instanceof EngineFailure) Object.assign(progress, err.outcome);
    const error = toJobError(err);
    const failed = result(false);
    console.error(`[jobs] ${jobId} failed: ${error.message}`);
    await withRetries(deps.retryDelaysMs, () =>
      store.update(jobId, { status: 'failed', finishedAt: now(), result: failed, error }, { type: 'failed', at: now(), error, result: failed }),
    ).catch((writeErr: unknown) => console.error(`[jobs] ${jobId}: could not record the failure: ${String(writeErr)}`));
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

async function withRetries(delays = DEFAULT_DELAYS, write: () => Promise<void>): Promise<void> {
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
