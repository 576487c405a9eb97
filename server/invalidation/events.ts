/**
 * Following a job's events from its Redis stream: the record and the backlog after `lastEventId`
 * in one round trip, then new entries with XREAD BLOCK on a dedicated connection, until the terminal
 * event. Stream ids are totally ordered, so reading after the last id seen loses and repeats
 * nothing, on any instance.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import type { AdminKeys } from '~/server/redis/keys';
import type { ReaderPool } from '~/server/redis/reader-pool';
import { shuttingDown } from '~/server/lib/errors';
import type { StoredEvent } from './schema';
import { isTerminal } from './schema';
import type { JobStore } from './store';
import { toStoredEvent } from './event-entry';
import { EVENTS_PAGE } from './job-reads';

/** How long one XREAD may block: bounds how late we notice a job whose stream expired. */
const BLOCK_MS = 5000;

export interface FollowDeps {
  redis: Redis;
  keys: AdminKeys;
  store: JobStore;
  /** Warm connections for the blocking reads (a new one costs round trips on the way to the first event). */
  readers: ReaderPool;
  /** This instance is shutting down: end the stream with an error the client resumes from elsewhere. */
  closing?: AbortSignal;
}

export async function* followEvents(
  { redis, keys, store, readers, closing }: FollowDeps,
  jobId: string,
  lastEventId: string | null,
  signal?: AbortSignal,
): AsyncGenerator<StoredEvent> {
  const { events: first } = await store.open(jobId, lastEventId); // NOT_FOUND before anything is streamed
  let lastId = lastEventId;
  let backlog = first;
  for (;;) {
    for (const item of backlog) {
      yield item;
      if (isTerminal(item.event)) return;
    }
    lastId = backlog.at(-1)?.id ?? lastId;
    if (backlog.length < EVENTS_PAGE) break;
    backlog = await store.eventsAfter(jobId, lastId);
  }
  const stopped = closing ? (signal ? AbortSignal.any([signal, closing]) : closing) : signal;
  if (closing?.aborted) throw shuttingDown();
  if (stopped?.aborted) return;

  const reader = readers.acquire();
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    reader.disconnect();
  };
  stopped?.addEventListener('abort', stop, { once: true });
  try {
    while (!stopped?.aborted) {
      const reply = await reader.xread('BLOCK', BLOCK_MS, 'STREAMS', keys.jobEvents(jobId), lastId ?? '0-0').catch((err: unknown) => {
        if (stopped?.aborted) return null;
        throw err;
      });
      if (stopped?.aborted) break;
      if (!reply) {
        if (!(await redis.exists(keys.job(jobId)))) return; // expired while we waited
        continue;
      }
      for (const [, entries] of reply) {
        for (const [id, fields] of entries) {
          lastId = id;
          const item = toStoredEvent(id, fields);
          yield item;
          if (isTerminal(item.event)) return;
        }
      }
    }
    if (closing?.aborted && !signal?.aborted) throw shuttingDown();
  } finally {
    stopped?.removeEventListener('abort', stop);
    // A reader left between reads is reusable; one interrupted in XREAD (or broken) is closed.
    if (interrupted) reader.disconnect();
    else readers.release(reader);
  }
}
