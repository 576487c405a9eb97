/**
 * A finished job's webhooks are enqueued right after its terminal write by the instance that wrote
 * it; one that dies between the two would lose them (the outbox is in another slot than the job, so
 * the two writes cannot be one script on a cluster). So every instance sweeps now and then: the
 * newest jobs that ended within the window are enqueued again, which changes nothing for those that
 * have their deliveries (the enqueue script is idempotent per delivery) and repairs the others.
 * Cost per sweep: the history read (2 round trips) and one enqueue per recent finished job and URL,
 * sent at once. Bound: a job among the SWEEP_JOBS newest, ended within WINDOW_MS.
 */
import 'server-only';
import type { JobRecord } from '~/server/invalidation/schema';
import { every } from '~/server/lib/every';
import type { Logger } from '~/server/log/logger';
import { jobPayload, type WebhookOutbox } from './outbox';

/** How far back a lost enqueue is repaired: far beyond one sweep period, short enough to stay cheap. */
export const WINDOW_MS = 15 * 60_000;
/** A job that ended this recently is left to its own instance's enqueue (it is a round trip away). */
export const GRACE_MS = 5_000;
const SWEEP_JOBS = 50;

export interface WebhookSweepDeps {
  recentJobs(limit: number): Promise<JobRecord[]>;
  outbox: Pick<WebhookOutbox, 'enqueue' | 'enabled'>;
  everyMs: number;
  now: () => number;
  log: Logger;
}

export function createWebhookSweep({ recentJobs, outbox, everyMs, now, log }: WebhookSweepDeps) {
  /** Enqueues what recent finished jobs lack; returns how many deliveries were missing. */
  async function sweep(): Promise<number> {
    const at = now();
    const ended = (await recentJobs(SWEEP_JOBS)).filter((r) => r.finishedAt !== null && r.finishedAt <= at - GRACE_MS && r.finishedAt >= at - WINDOW_MS);
    const added = await Promise.all(
      ended.map((record) => {
        const payload = jobPayload(record, at);
        return payload ? outbox.enqueue(payload) : 0;
      }),
    );
    const missing = added.reduce((a, b) => a + b, 0);
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
