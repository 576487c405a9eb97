/**
 * One live stream's queue between the instance's single subscriber and the stream's reader. A
 * reader that stops pulling (its client does not read, so the response is back-pressured) would
 * grow the queue without end; past `limit` items the follower is dropped instead: the queue is
 * emptied at once, `onDrop` frees what the stream held, and the reader's next pull throws, so its
 * client reconnects and resumes from its last id (job events) or refetches (the activity feed).
 */
import 'server-only';
import { DomainError } from '~/server/lib/errors';

export const streamFellBehind = (limit: number) =>
  new DomainError('UNAVAILABLE', `This live stream fell more than ${limit} events behind (its client is not reading) and was dropped; reconnect to resume`);

export interface Follower<T> extends AsyncIterable<T> {
  push(item: T): void;
  /** Ends the stream with `err` (thrown at the reader's next pull), or normally without one. */
  end(err?: unknown): void;
  readonly dropped: boolean;
}

export function createFollower<T>(limit: number, onDrop: () => void = () => {}): Follower<T> {
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  let failure: unknown = null;
  let dropped = false;

  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };

  function end(err?: unknown): void {
    if (ended) return;
    ended = true;
    failure = err ?? null;
    notify();
  }

  return {
    get dropped() {
      return dropped;
    },
    push(item) {
      if (ended) return;
      queue.push(item);
      if (queue.length > limit) {
        dropped = true;
        queue.length = 0;
        end(streamFellBehind(limit));
        onDrop();
        return;
      }
      notify();
    },
    end,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (ended) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
