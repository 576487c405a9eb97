/**
 * Live updates: the instance's one activity subscriber (every live stream here fans out from it),
 * the activity feed, and the per-principal bound on open streams, counted by the metrics.
 */
import 'server-only';
import { createActivityFeed } from '~/server/activity/feed';
import { createStreamGate } from '~/server/activity/gate';
import { createActivityHub } from '~/server/activity/hub';
import type { Base, Lifecycle } from './base';

export function wireLive({ adminRedis, keys, env, closing, log, metrics }: Base) {
  const hub = createActivityHub(adminRedis, keys.admin.activity);
  closing.signal.addEventListener('abort', () => hub.close(), { once: true });
  const activity = createActivityFeed({ redis: adminRedis, hub, queueLimit: env.STREAM_QUEUE_LIMIT, closing: closing.signal, log: log.child({ component: 'activity' }) });
  const streams = createStreamGate(env.STREAMS_PER_PRINCIPAL, { opened: metrics.subscriptionOpened, closed: metrics.subscriptionClosed });
  const lifecycle: Lifecycle = {
    start: () => {},
    // Open streams end with an error their clients resume from on another instance.
    shutdown: async () => closing.abort(),
  };
  return { hub, activity, streams, lifecycle };
}

export type Live = ReturnType<typeof wireLive>;
