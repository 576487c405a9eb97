/**
 * The activity channel (Redis pub/sub under the admin prefix): published by the job store (inside
 * its MULTI or script, so no extra round trip) and by catalog rebuilds; followed by live views
 * through a subscription. Every follower of an instance shares its one subscriber (hub.ts) and has
 * its own bounded queue (follower.ts): a client that stops reading is dropped, not buffered.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { DomainError, shuttingDown } from '~/server/lib/errors';
import type { Logger } from '~/server/log/logger';
import { createFollower } from './follower';
import { readyOrClosing, type ActivityHub } from './hub';
import type { Activity } from './schema';

export type ActivityFeed = ReturnType<typeof createActivityFeed>;

export interface ActivityFeedDeps {
  redis: RedisClient;
  hub: ActivityHub;
  /** Messages a follower may have waiting before it is dropped (STREAM_QUEUE_LIMIT). */
  queueLimit: number;
  /** This instance is stopping: feeds end with an error their clients resume from elsewhere. */
  closing?: AbortSignal;
  log?: Logger;
}

const interrupted = () => new DomainError('UNAVAILABLE', 'Live updates were interrupted (the connection to Redis dropped); reconnecting');

/** A job event's stream id and stored form ride along for the job streams; views get the notification alone. */
function withoutStreamFields(activity: Activity): Activity {
  if (activity.kind !== 'job' || (activity.id === undefined && activity.event === undefined)) return activity;
  const { id: _id, event: _event, ...notification } = activity;
  return notification;
}

export function createActivityFeed({ redis, hub, queueLimit, closing, log }: ActivityFeedDeps) {
  const channel = hub.channel;

  /** Best effort: a rebuild must not fail because a notification could not be sent. */
  function publish(activity: Activity): void {
    redis.publish(channel, JSON.stringify(activity)).catch((err: unknown) => log?.warn({ err, activity: activity.kind }, 'activity not published'));
  }

  async function* follow(clientGone?: AbortSignal): AsyncGenerator<Activity> {
    // Ends when the client goes away, or when this instance shuts down (the client then resumes elsewhere).
    const signal = closing ? (clientGone ? AbortSignal.any([clientGone, closing]) : closing) : clientGone;
    if (closing?.aborted) throw shuttingDown();
    const follower = createFollower<Activity>(queueLimit, () => unlisten());
    const unlisten = hub.listen({ deliver: (activity) => follower.push(withoutStreamFields(activity)), reset: () => follower.end(interrupted()) });
    const stop = () => follower.end();
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    try {
      await readyOrClosing(hub, closing);
      yield* follower;
      if (closing?.aborted && !clientGone?.aborted) throw shuttingDown();
    } finally {
      signal?.removeEventListener('abort', stop);
      unlisten();
    }
  }

  return { channel, publish, follow };
}
