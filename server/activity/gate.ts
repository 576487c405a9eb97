/**
 * At most `limit` open live streams per principal on this instance (STREAMS_PER_PRINCIPAL). Streams
 * cost no Redis connection any more (one subscriber per instance), but each holds a socket, a queue
 * and a timer here: a viewer token looping on `activity.feed` must not exhaust the instance. Counted
 * in process: an instance that dies takes its counts with it, and nothing in Redis can leak.
 */
import 'server-only';
import { DomainError } from '~/server/lib/errors';

export type StreamGate = ReturnType<typeof createStreamGate>;

/** `opened`/`closed` are told once per slot taken and freed (the metrics count open streams). */
export function createStreamGate(limit: number, hooks: { opened?: () => void; closed?: () => void } = {}) {
  const open = new Map<string, number>();
  return {
    /** Takes a slot for `who` (the principal's identity) or throws RATE_LIMITED; returns its release. */
    acquire(who: string, name: string): () => void {
      const count = open.get(who) ?? 0;
      if (count >= limit) {
        throw new DomainError('RATE_LIMITED', `Too many live streams: ${name} has ${count} open on this server (at most ${limit}); close a tab or a script's stream and try again`, {
          retryAfterSeconds: 5,
        });
      }
      open.set(who, count + 1);
      hooks.opened?.();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        hooks.closed?.();
        const left = (open.get(who) ?? 1) - 1;
        if (left > 0) open.set(who, left);
        else open.delete(who);
      };
    },
    openFor: (who: string) => open.get(who) ?? 0,
  };
}
