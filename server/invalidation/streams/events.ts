/**
 * Following a job's events: the record and the backlog after `lastEventId` in one round trip, then
 * live events from the instance's one activity subscriber (no connection of its own), until the
 * terminal event. The scripts that append an event publish it with its stream id, so a live event
 * costs no read; one that comes without (a mid-job progress, written by a plain MULTI), a
 * resubscribed hub, or a quiet `pollMs` make the stream read what it missed after its last id.
 * Stream ids are totally ordered, so reading after the last id seen loses and repeats nothing,
 * on any instance, whichever way an event arrives.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { createFollower } from '~/server/activity/follower';
import { readyOrClosing, type ActivityHub } from '~/server/activity/hub';
import { shuttingDown } from '~/server/lib/errors';
import type { AdminKeys } from '~/server/redis/keys';
import { toStoredEvent } from '../store/event-entry';
import { EVENTS_PAGE } from '../store/job-reads';
import { isTerminal, type StoredEvent } from '../schema';
import type { JobStore } from '../store/store';

export interface FollowDeps {
  redis: RedisClient;
  keys: AdminKeys;
  store: JobStore;
  hub: ActivityHub;
  /** Events a stream may have waiting before it is dropped (STREAM_QUEUE_LIMIT). */
  queueLimit: number;
  /** This instance is shutting down: end the stream with an error the client resumes from elsewhere. */
  closing?: AbortSignal;
}

/** With no event for this long, a stream reads anyway: bounds how late a lost message or an expired job is noticed. */
export const POLL_MS = 5000;

/** What wakes a stream: an event with its id, or a reason to read what it may have missed. */
type Wake = StoredEvent | 'catch-up' | 'poll';

/** Redis stream ids ("<ms>-<seq>") in order. */
export function isAfter(id: string, last: string | null): boolean {
  if (last === null) return true;
  const [ms = 0, seq = 0] = id.split('-').map(Number);
  const [lastMs = 0, lastSeq = 0] = last.split('-').map(Number);
  return ms > lastMs || (ms === lastMs && seq > lastSeq);
}

export async function* followEvents(deps: FollowDeps, jobId: string, lastEventId: string | null, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
  const { redis, keys, store, hub, closing } = deps;
  if (closing?.aborted) throw shuttingDown();
  const stopped = closing ? (signal ? AbortSignal.any([signal, closing]) : closing) : signal;
  // Listen first, then read the backlog: an event appended in between is in one or both (dropped by id).
  const wakes = createFollower<Wake>(deps.queueLimit, () => unlisten());
  const unlisten = hub.listen({
    deliver(activity) {
      if (activity.kind !== 'job' || activity.jobId !== jobId) return;
      wakes.push(activity.id && activity.event ? toStoredEvent(activity.id, ['e', activity.event]) : 'catch-up');
    },
    reset: () => wakes.push('catch-up'),
  });
  const stop = () => wakes.end();
  stopped?.addEventListener('abort', stop, { once: true });
  const poll = setInterval(() => wakes.push('poll'), POLL_MS);
  try {
    await readyOrClosing(hub, closing);
    let lastId = lastEventId;
    let page = (await store.open(jobId, lastEventId)).events; // NOT_FOUND before anything is streamed
    for (;;) {
      for (const item of page) {
        lastId = item.id;
        yield item;
        if (isTerminal(item.event)) return;
      }
      if (page.length < EVENTS_PAGE) break;
      page = await store.eventsAfter(jobId, lastId);
    }
    if (stopped?.aborted) stop();
    for await (const wake of wakes) {
      if (typeof wake !== 'string') {
        if (!isAfter(wake.id, lastId)) continue;
        lastId = wake.id;
        yield wake;
        if (isTerminal(wake.event)) return;
        continue;
      }
      let read = 0;
      for (let missed = await store.eventsAfter(jobId, lastId); missed.length; missed = missed.length < EVENTS_PAGE ? [] : await store.eventsAfter(jobId, lastId)) {
        for (const item of missed) {
          read += 1;
          lastId = item.id;
          yield item;
          if (isTerminal(item.event)) return;
        }
      }
      if (!read && wake === 'poll' && !(await redis.exists(keys.job(jobId)))) return; // expired while we waited
    }
    if (closing?.aborted && !signal?.aborted) throw shuttingDown();
  } finally {
    clearInterval(poll);
    stopped?.removeEventListener('abort', stop);
    unlisten();
  }
}
