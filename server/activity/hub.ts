/**
 * The instance's one subscriber on the activity channel. Every live stream of this instance (the
 * activity feeds, the job event streams) listens here and gets its messages fanned out in process,
 * so a thousand open streams cost Redis one connection, not a thousand (Redis's `maxclients` is
 * shared with the gateway that reads the catalog).
 *
 * Pub/sub delivers at most once: while the subscriber is reconnecting, messages are lost. So each
 * listener is told `reset()` when the subscriber comes back, and catches up from what Redis keeps
 * (a job stream re-reads its events after its last id; a feed ends so its views refetch).
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { shuttingDown } from '~/server/lib/errors';
import { connectBlocking } from '~/server/redis/connection';
import { activitySchema, type Activity } from './schema';

export interface HubListener {
  deliver(activity: Activity): void;
  /** Messages may have been missed (the subscriber reconnected): catch up from Redis. */
  reset(): void;
}

export type ActivityHub = ReturnType<typeof createActivityHub>;

export function createActivityHub(redis: RedisClient, channel: string) {
  const listeners = new Set<HubListener>();
  /** Listeners that are not streams (the auth cache): told the same, not counted by `size()`. */
  const watchers = new Set<HubListener>();
  let subscriber: RedisClient | null = null;
  let subscribed: Promise<void> | null = null;
  let closed = false;
  /** Subscribed and connected now: what is published reaches this instance. */
  let live = false;

  function dispatch(_channel: string, message: string): void {
    // Inside ioredis's listener: a malformed message must not throw out of it.
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return;
    }
    const parsed = activitySchema.safeParse(value);
    if (!parsed.success) return;
    for (const listener of [...listeners, ...watchers]) listener.deliver(parsed.data);
  }

  /** Subscribes once, on first use; later calls wait for that subscription (never at import: `next build`). */
  function ready(): Promise<void> {
    if (subscribed) return subscribed;
    const connection = connectBlocking(redis, 'activity-hub');
    subscriber = connection;
    connection.on('message', dispatch);
    let first = true;
    connection.on('ready', () => {
      // ioredis resubscribes by itself after a reconnect; what was published meanwhile is gone.
      if (!first) {
        live = true;
        for (const listener of [...listeners, ...watchers]) listener.reset();
      }
      first = false;
    });
    connection.on('close', () => {
      live = false;
    });
    subscribed = connection.subscribe(channel).then(
      () => {
        live = true;
      },
      (err: unknown) => {
        // Let the next stream try again rather than keep a broken connection forever.
        subscribed = null;
        subscriber = null;
        connection.disconnect();
        throw err;
      },
    );
    return subscribed;
  }

  return {
    channel,
    ready,
    /** Adds a listener; the returned function removes it. Call `ready()` before relying on delivery. */
    listen(listener: HubListener): () => void {
      if (closed) throw new Error('the activity hub is closed');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Like `listen`, for what lives as long as the instance (not a stream). */
    watch(listener: HubListener): void {
      watchers.add(listener);
    },
    /** How many followers of this instance listen now (for tests): one per feed or job stream, one per job of a jobsEvents stream. */
    size: () => listeners.size,
    listening: () => live && !closed,
    close(): void {
      closed = true;
      listeners.clear();
      watchers.clear();
      subscriber?.disconnect();
      subscriber = null;
      subscribed = null;
    },
  };
}

/** The hub subscribed, or, if this instance began to stop meanwhile (closing the hub), its resumable error. */
export async function readyOrClosing(hub: ActivityHub, closing?: AbortSignal): Promise<void> {
  if (closing?.aborted) throw shuttingDown();
  // Closing does not wait for the SUBSCRIBE to settle: an ioredis Cluster disconnected while its
  // SUBSCRIBE is pending never settles it (one Redis rejects it with "Connection is closed").
  let onAbort = () => {};
  const closed = new Promise<never>((_, reject) => {
    onAbort = () => reject(shuttingDown());
    closing?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([hub.ready(), closed]);
  } catch (err) {
    throw closing?.aborted ? shuttingDown() : err;
  } finally {
    closing?.removeEventListener('abort', onAbort);
  }
}
