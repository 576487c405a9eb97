/**
 * The activity channel (Redis pub/sub under the admin prefix): published by the job store (inside
 * its MULTI, so no extra round trip) and by catalog rebuilds; followed by live views through a
 * subscription. Subscribed connections are dedicated, so each follower gets its own, closed when
 * the client goes away.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { shuttingDown } from '~/server/lib/errors';
import { connectBlocking } from '~/server/redis/connection';
import { activitySchema, type Activity } from './schema';

export type ActivityFeed = ReturnType<typeof createActivityFeed>;

export function createActivityFeed(redis: Redis, channel: string, closing?: AbortSignal) {
  /** Best effort: a rebuild must not fail because a notification could not be sent. */
  function publish(activity: Activity): void {
    redis.publish(channel, JSON.stringify(activity)).catch((err: unknown) => console.warn(`[activity] not published: ${String(err)}`));
  }

  async function* follow(clientGone?: AbortSignal): AsyncGenerator<Activity> {
    // Ends when the client goes away, or when this instance shuts down (the client then resumes elsewhere).
    const signal = closing ? (clientGone ? AbortSignal.any([clientGone, closing]) : closing) : clientGone;
    const subscriber = connectBlocking(redis, 'activity');
    const queue: Activity[] = [];
    let wake = () => {};
    subscriber.on('message', (_channel: string, message: string) => {
      const parsed = activitySchema.safeParse(JSON.parse(message));
      if (parsed.success) queue.push(parsed.data);
      wake();
    });
    const stop = () => wake();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await subscriber.subscribe(channel);
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (closing?.aborted && !clientGone?.aborted) throw shuttingDown();
    } finally {
      signal?.removeEventListener('abort', stop);
      subscriber.disconnect();
    }
  }

  return { channel, publish, follow };
}
