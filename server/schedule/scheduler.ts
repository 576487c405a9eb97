/**
 * The tick loop, one per instance: every SCHEDULE_TICK_MS it fires the schedules that are due and
 * that it wins the claim for (store.ts says why exactly one instance wins each period). Started and
 * stopped by the services, never from a router; ticks never overlap and a stop waits for the one in
 * flight.
 */
import 'server-only';
import { DomainError } from '~/server/lib/errors';
import { every } from '~/server/lib/every';
import type { Logger } from '~/server/log/logger';
import type { ScheduleDefinition, ScheduleRun } from './schema';
import type { ScheduleStore } from './store';
import { nextFireAt } from './timing';

export interface SchedulerDeps {
  store: ScheduleStore;
  /** Starts the schedule's job (an ordinary invalidation, actor `schedule`). */
  fire(def: ScheduleDefinition, scheduledFor: number): Promise<{ jobId: string; coalesced?: boolean }>;
  now: () => number;
  tickMs: number;
  /** How long a claim holds before another instance may fire the period (the claimer died). */
  leaseMs: number;
  log?: Logger;
}

export type Scheduler = ReturnType<typeof createScheduler>;

export function createScheduler({ store, fire, now, tickMs, leaseMs, log }: SchedulerDeps) {
  /** Fires what is due and won; returns how many jobs this instance started. */
  async function tick(): Promise<number> {
    let fired = 0;
    for (const { id, score } of await store.due(now())) {
      const leaseUntil = now() + leaseMs;
      const scheduledFor = await store.claim(id, score, leaseUntil);
      if (scheduledFor === null) continue; // another instance has it
      const def = await store.get(id);
      if (!def?.enabled) continue; // deleted or disabled since: its save or remove already dropped the time
      const next = nextFireAt(def.timing, Math.max(now(), scheduledFor), anchorOf(def));
      let run: ScheduleRun;
      try {
        const { jobId, coalesced } = await fire(def, scheduledFor);
        run = { scheduledFor, firedAt: now(), jobId, ...(coalesced ? { coalesced } : {}) };
        fired += 1;
      } catch (err) {
        // A request that can never succeed (a provider removed from the config) is recorded and
        // skipped; anything else (Redis down, queue full) keeps the claim, which expires and retries.
        if (!(DomainError.is(err) && err.code === 'BAD_REQUEST')) {
          log?.error({ scheduleId: id, err }, 'could not start the scheduled job; retrying after the claim expires');
          continue;
        }
        run = { scheduledFor, firedAt: now(), jobId: null, error: err.message };
      }
      await store.advance(id, leaseUntil, next, run);
    }
    return fired;
  }

  const loop = every(tickMs, tick, (err) => log?.error({ err }, 'schedule tick failed'));

  return {
    tick,
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}

/** Interval schedules keep to the grid of their last save. */
export const anchorOf = (def: ScheduleDefinition) => def.updatedAt;
