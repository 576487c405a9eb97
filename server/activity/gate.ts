/**
 * At most `limit` open live streams per principal on this instance (STREAMS_PER_PRINCIPAL). Streams
 * cost no Redis connection any more (one subscriber per instance), but each holds a socket, a queue
 * and a timer here: a viewer token looping on `activity.feed` must not exhaust the instance. Counted
 * in process: an instance that dies takes its counts with it, and nothing in Redis can leak.
 *
 * A slot is taken when the stream is asked for (so a refusal can still answer 429) but the stream's
 * own code only runs once its body is read, and a client that is gone by then never has it read:
 * Next neither reads nor cancels the body of a closed response, and tRPC cancelling a stream that
 * never started runs none of its `finally`. So a slot is also freed when the request's signal aborts
 * (the client went away), and when its stream has not begun within `startWithinMs`.
 */
import 'server-only';
import { DomainError } from '~/server/lib/errors';

export type StreamGate = ReturnType<typeof createStreamGate>;

/** Between a stream's call and the first read of its body: milliseconds, unless nobody will ever read it. */
export const START_WITHIN_MS = 10_000;

export interface StreamGateOptions {
  /** Told once per slot taken and once per slot freed (the metrics count open streams). */
  opened?: () => void;
  closed?: () => void;
  /** How long a slot waits for its stream to begin before it is freed (START_WITHIN_MS). */
  startWithinMs?: number;
}

/** One stream's slot. */
export interface StreamSlot {
  /**
   * The stream's first step. A slot freed meanwhile because the stream was late is taken again
   * (RATE_LIMITED if the principal has none left); one freed because the client left stays free.
   */
  begin(): void;
  /** Frees the slot, once however often it is called. */
  release(): void;
}

export function createStreamGate(limit: number, { opened, closed, startWithinMs = START_WITHIN_MS }: StreamGateOptions = {}) {
  const open = new Map<string, number>();

  function take(who: string, name: string) {
    const count = open.get(who) ?? 0;
    if (count >= limit) {
      throw new DomainError('RATE_LIMITED', `Too many live streams: ${name} has ${count} open on this server (at most ${limit}); close a tab or a script's stream and try again`, {
        retryAfterSeconds: 5,
      });
    }
    open.set(who, count + 1);
    opened?.();
  }

  function free(who: string) {
    closed?.();
    const left = (open.get(who) ?? 1) - 1;
    if (left > 0) open.set(who, left);
    else open.delete(who);
  }

  return {
    /**
     * Takes a slot for `who` (the principal's identity) or throws RATE_LIMITED. `signal` is the
     * request's: its abort frees the slot whether or not the stream ever began.
     */
    acquire(who: string, name: string, signal?: AbortSignal): StreamSlot {
      take(who, name);
      let state: 'waiting' | 'running' | 'lapsed' | 'released' = 'waiting';
      const lapse = setTimeout(() => {
        state = 'lapsed';
        free(who);
      }, startWithinMs);
      lapse.unref();
      const release = () => {
        clearTimeout(lapse);
        signal?.removeEventListener('abort', release);
        if (state === 'waiting' || state === 'running') free(who);
        state = 'released';
      };
      if (signal?.aborted) release();
      else signal?.addEventListener('abort', release); // release() removes it
      return {
        begin() {
          clearTimeout(lapse);
          if (state === 'lapsed') take(who, name);
          if (state !== 'released') state = 'running';
        },
        release,
      };
    },
    openFor: (who: string) => open.get(who) ?? 0,
  };
}
