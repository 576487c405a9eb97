/**
 * Following a job the CLI knows the id of, to its end, whatever happens to its event stream.
 *
 * The stream is the fast way (live progress), not the only one: a stream refused (429: every live
 * stream of the token's principal is in use, e.g. open tabs), cut mid-way (a proxy, a restart) or
 * ended without the job's end falls back to polling `invalidation.get` (250 ms, doubling, at most
 * 5 s apart) until the job ends or the deadline passes. Polling goes on through answers that may
 * pass (unreachable, 5xx, 429); an answer that will not (401, 403, 404) ends it. Either way the
 * caller gets the job's end or a `JobStateUnknown` carrying the job id: a job that was created is
 * never reported as "not created".
 */
import type { JobEvent, JobRecord, TerminalEvent } from '~/server/invalidation/schema';
import { describeFailure, type CatalogClient } from './client';

/** The job exists (its id is known) but how it ended could not be learned. */
export class JobStateUnknown extends Error {
  constructor(
    readonly jobId: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FollowOptions {
  timeoutSeconds: number;
  /** Each live event (progress display). */
  onEvent(event: JobEvent): void;
  /** Told once, when the stream gave out and polling took over (a line for a person). */
  onFallback(reason: string): void;
  /** Tests shorten the waits between polls. */
  pollMs?: { first: number; max: number };
}

const PASSING = new Set(['UNREACHABLE', 'ERROR', 'TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'TIMEOUT', 'BAD_GATEWAY', 'GATEWAY_TIMEOUT']);

/** A job record's end as the stream's terminal event would say it, or null while it runs. */
export function endOf(record: JobRecord): TerminalEvent | null {
  const at = record.finishedAt ?? Date.now();
  const result = record.result ?? { success: false, providersInvalidated: 0, keysDeleted: 0, durationMs: 0 };
  if (record.status === 'completed') return { type: 'completed', at, result };
  if (record.status === 'failed') return { type: 'failed', at, result, error: record.error ?? { message: 'unknown error', commandErrors: [] } };
  return null;
}

export async function followJob(client: CatalogClient, jobId: string, base: string, options: FollowOptions): Promise<TerminalEvent> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const gaveUp = () => new JobStateUnknown(jobId, `gave up waiting after ${options.timeoutSeconds} s; the job ${jobId} goes on (see: status ${jobId} --wait)`);
  const streamed = await stream(client, jobId, deadline, options.onEvent);
  if (streamed.end) return streamed.end;
  if (Date.now() >= deadline) throw gaveUp();
  options.onFallback(streamed.reason);
  return poll(client, jobId, base, deadline, options.pollMs ?? { first: 250, max: 5000 }, gaveUp);
}

/** The live stream until the job's end, or why it gave out (never rejects). */
function stream(client: CatalogClient, jobId: string, deadline: number, onEvent: (event: JobEvent) => void): Promise<{ end: TerminalEvent; reason?: never } | { end?: never; reason: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: { end: TerminalEvent } | { reason: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sub.unsubscribe();
      resolve(value);
    };
    const timer = setTimeout(() => settle({ reason: 'the deadline passed' }), Math.max(0, deadline - Date.now()));
    const sub = client.invalidation.events.subscribe(
      { jobId },
      {
        onData: ({ data: event }) => {
          onEvent(event);
          if (event.type === 'completed' || event.type === 'failed') settle({ end: event });
        },
        onError: (err) => settle({ reason: describeFailure(err, '').message }),
        // The link reconnects on its own after a cut, possibly for ever: poll instead of waiting on it.
        onConnectionStateChange: (state) => {
          if (state.state === 'connecting' && state.error) settle({ reason: `the stream was cut (${describeFailure(state.error, '').message})` });
        },
        onComplete: () => settle({ reason: 'the stream ended before the job did' }),
      },
    );
  });
}

async function poll(client: CatalogClient, jobId: string, base: string, deadline: number, pollMs: { first: number; max: number }, gaveUp: () => Error): Promise<TerminalEvent> {
  let wait = 0;
  let next = pollMs.first;
  for (;;) {
    if (wait) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(0, deadline - Date.now()))));
    if (Date.now() >= deadline) throw gaveUp();
    try {
      const end = endOf(await client.invalidation.get.query({ jobId }));
      if (end) return end;
    } catch (err) {
      const failure = describeFailure(err, base);
      if (!PASSING.has(failure.code)) throw new JobStateUnknown(jobId, `the job ${jobId} was created, but asking for it failed: ${failure.message}`);
    }
    wait = next;
    next = Math.min(next * 2, pollMs.max);
  }
}
