/**
 * Scheduled refreshes: what the tRPC router calls (list, save, remove) and the tick loop that fires
 * them. Each run is an ordinary invalidation job (soft, with refresh) whose actor is the schedule.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import { DomainError, unknownProviders } from '~/server/lib/errors';
import type { Actor, InvalidationRequest } from '~/server/invalidation/schema';
import type { AdminKeys } from '~/server/redis/keys';
import type { Logger } from '~/server/log/logger';
import { createScheduler, anchorOf } from './scheduler';
import { createScheduleStore, newScheduleId } from './store';
import { describeTiming, type Schedule, type ScheduleDefinition, type ScheduleInput, type Timing } from './schema';
import { checkTiming, nextFireAt, nextRuns } from './timing';

export interface ScheduleDeps {
  redis: RedisClient;
  keys: AdminKeys;
  registry: ProviderRegistry;
  /** Starts an ordinary job (coalesced with a covering pending one, as any request). */
  startJob(request: InvalidationRequest, actor: Actor): Promise<{ jobId: string; coalesced?: boolean }>;
  /** `maxSchedules`: how many may exist at once (a new one beyond it is refused). */
  config: { minIntervalSeconds: number; tickMs: number; leaseMs: number; maxSchedules: number };
  log?: Logger;
  now?: () => number;
  /** Told after a schedule was saved or removed: live views on every instance refetch. */
  onChange?: () => void;
}

export type ScheduleService = ReturnType<typeof createScheduleService>;

/** The job a schedule runs: a soft invalidation with refresh, so readers never wait or go without. */
export function scheduledRequest(def: ScheduleDefinition): InvalidationRequest {
  return { providers: def.providers, cacheType: 'models', cascade: true, mode: 'soft', refresh: true };
}

export function createScheduleService(deps: ScheduleDeps) {
  const now = deps.now ?? Date.now;
  const store = createScheduleStore(deps.redis, deps.keys);
  const scheduler = createScheduler({
    store,
    now,
    tickMs: deps.config.tickMs,
    leaseMs: deps.config.leaseMs,
    log: deps.log,
    fire: (def, scheduledFor) =>
      deps.startJob(scheduledRequest(def), { kind: 'schedule', label: `schedule ${def.id}, ${describeTiming(def.timing)}, due ${new Date(scheduledFor).toISOString()}` }),
  });

  async function save(input: ScheduleInput, actor: Actor): Promise<Schedule> {
    const unknown = input.providers === 'all' ? [] : input.providers.filter((name) => !deps.registry.has(name));
    if (unknown.length) throw unknownProviders(unknown);
    const at = now();
    checkTiming(input.timing, deps.config.minIntervalSeconds, at);
    const existing = input.id ? await store.get(input.id) : null;
    if (input.id && !existing) throw new DomainError('NOT_FOUND', `No schedule ${input.id}`);
    // Counted before the write: two admins creating at once may overshoot by one; each run is still bounded by the minimum interval.
    if (!input.id && (await store.list()).length >= deps.config.maxSchedules) {
      throw new DomainError('BAD_REQUEST', `There are already ${deps.config.maxSchedules} schedules (SCHEDULES_MAX); remove one first`);
    }
    const def: ScheduleDefinition = { ...input, id: input.id ?? newScheduleId(), createdAt: existing?.createdAt ?? at, updatedAt: at, updatedBy: actor.label };
    const nextAt = def.enabled ? nextFireAt(def.timing, at, anchorOf(def)) : null;
    await store.save(def, nextAt);
    deps.onChange?.();
    return { ...def, nextAt, lastRun: null };
  }

  async function remove(id: string): Promise<void> {
    if (!(await store.remove(id))) throw new DomainError('NOT_FOUND', `No schedule ${id}`);
    deps.onChange?.();
  }

  /**
   * What a timing would do if saved now: its next three runs, or why it would be refused (the same
   * check as save, in the same words). Reads and writes nothing.
   */
  function preview(timing: Timing): { next: number[]; error: string | null } {
    const at = now();
    try {
      checkTiming(timing, deps.config.minIntervalSeconds, at);
    } catch (err) {
      if (DomainError.is(err)) return { next: [], error: err.message };
      throw err;
    }
    return { next: nextRuns(timing, at, 3), error: null };
  }

  return { list: store.list, save, remove, preview, scheduler };
}
