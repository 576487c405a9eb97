/**
 * A finished job's webhooks are enqueued right after its terminal write by the instance that wrote
 * it; one that dies between the two would lose them (the outbox is in another slot than the job, so
 * the two writes cannot be one script on a cluster). So every instance sweeps now and then: every job
 * that ended within the window is enqueued again, which changes nothing for those that have their
 * deliveries (the enqueue script is idempotent per delivery) and repairs the others.
 *
 * Jobs are found by when they ENDED: the terminal write's script adds each job to the finished-jobs
 * index (server/invalidation/store/finished-index.ts) and trims it to `FINISHED_INDEX`, so a long job
 * that ends after any number of newer ones were created is found like any other. The sweep reads the
 * index by score over [now − WINDOW_MS, now − GRACE_MS], oldest end first, PAGE ids at a time, and
 * pages to the range's end: a window holding more than a page skips none.
 * Cost per sweep: per page of PAGE jobs, 2 round trips (the ids, then their records) and one enqueue
 * per job and URL, sent at once; at most `FINISHED_INDEX.maxJobs / PAGE` pages (what the index holds).
 * Bound: a job that ended within WINDOW_MS, among the `FINISHED_INDEX.maxJobs` that ended last.
 */
import 'server-only';
import type { FinishedCursor, FinishedIndexBounds, FinishedPage } from '~/server/invalidation/store/store';
import { every } from '~/server/lib/every';
import type { Logger } from '~/server/log/logger';
import { jobPayload, type WebhookOutbox } from './outbox';

/** How far back a lost enqueue is repaired: far beyond one sweep period, short enough to stay cheap. */
export const WINDOW_MS = 15 * 60_000;
/** A job that ended this recently is left to its own instance's enqueue (it is a round trip away). */
export const GRACE_MS = 5_000;
/** Jobs read per page of the index. */
export const PAGE = 100;
/**
 * What the finished-jobs index keeps for the sweep: twice the window (a margin for instances whose
 * clocks disagree), and at most 10,000 jobs, the newest (the default limits admit 4,500 requested jobs
 * in a window, INVALIDATIONS_PER_MINUTE × 15; scheduled runs, bounded by SCHEDULES_MAX, come on top).
 * Beyond that, the oldest ends of the window go unrepaired.
 */
export const FINISHED_INDEX: FinishedIndexBounds = { keepMs: 2 * WINDOW_MS, maxJobs: 10_000 };

export interface WebhookSweepDeps {
  /** The jobs that finished within `range` (ms), oldest end first, a page of `count` from `cursor` on. */
  finishedJobs(range: { from: number; to: number }, cursor: FinishedCursor | null, count: number): Promise<FinishedPage>;
  outbox: Pick<WebhookOutbox, 'enqueue' | 'enabled'>;
  everyMs: number;
  now: () => number;
  log: Logger;
}

export function createWebhookSweep({ finishedJobs, outbox, everyMs, now, log }: WebhookSweepDeps) {
  /** Enqueues what the jobs that ended within the window lack; returns how many deliveries were missing. */
  async function sweep(): Promise<number> {
    const at = now();
    const range = { from: at - WINDOW_MS, to: at - GRACE_MS };
    let missing = 0;
    let cursor: FinishedCursor | null = null;
    do {
      const page: FinishedPage = await finishedJobs(range, cursor, PAGE);
      const added = await Promise.all(
        page.records.map((record) => {
          const payload = jobPayload(record, at);
          return payload ? outbox.enqueue(payload) : 0;
        }),
      );
      missing += added.reduce((a, b) => a + b, 0);
      cursor = page.next;
    } while (cursor);
    if (missing) log.warn({ deliveries: missing }, 'enqueued webhooks that finished jobs lacked (their instance stopped before enqueueing them)');
    return missing;
  }

  const loop = every(everyMs, sweep, (err) => log.warn({ err }, 'webhook sweep failed'));

  return {
    sweep,
    /** At once (an instance restarted after a crash repairs what it lost), then every `everyMs`. */
    start(): void {
      if (outbox.enabled) loop.start(0);
    },
    stop: () => loop.stop(),
  };
}
