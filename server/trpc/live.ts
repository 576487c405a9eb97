/**
 * A subscription's stream, held to the caller's share of live streams: past STREAMS_PER_PRINCIPAL
 * open on this instance the call is refused (429, in words) before anything streams; the slot is
 * freed when the stream ends, however it ends, and when the request's signal aborts, even if the
 * body was never read (a client gone before then never runs this generator: see the gate).
 * Domain errors raised mid-stream (shutting down, a client too far behind) become TRPCErrors here,
 * so the client reads a sentence, and a 5xx resumes.
 */
import 'server-only';
import type { StreamSlot } from '~/server/activity/gate';
import { principalKey, type Principal } from '~/server/identity/schema';
import { DomainError } from '~/server/lib/errors';
import { toTRPCError } from './errors';
import type { Context } from './init';

/** `signal` is the procedure's (tRPC ties it to the request): pass it, or a client that drops early keeps its slot. */
export function live<T>(ctx: Context & { actor: Principal }, signal: AbortSignal | undefined, open: () => AsyncIterable<T>): AsyncIterable<T> {
  let slot: StreamSlot;
  try {
    slot = ctx.services.streams.acquire(principalKey(ctx.actor), ctx.actor.name, signal);
  } catch (err) {
    // The refusal travels as an SSE error event; the HTTP status says 429 too (see Context.http).
    if (ctx.http && DomainError.is(err)) Object.assign(ctx.http, { status: 429, headers: { 'retry-after': String(err.details?.retryAfterSeconds ?? 5) } });
    throw err;
  }
  return (async function* () {
    try {
      slot.begin();
      yield* open();
    } catch (err) {
      throw toTRPCError(err);
    } finally {
      slot.release();
    }
  })();
}
