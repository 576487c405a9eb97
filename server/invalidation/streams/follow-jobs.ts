/**
 * Several jobs' events over one stream (`invalidation.jobsEvents`), so a page with twenty running
 * jobs holds one connection, not twenty (a browser allows six per origin over HTTP/1.1).
 *
 * Each job is followed exactly as a stream of its own (followEvents: backlog after its position,
 * then live from the instance's one subscriber), and the jobs' events are merged into one bounded
 * queue (follower.ts): each job's events stay in their order, jobs interleave as they happen.
 * Every item carries the stream's cursor (cursor-schema.ts: each job's last delivered id), which
 * is its SSE id; a resumed stream continues every job after its own last event.
 *
 * A job that does not exist (never did, or expired) is reported as `missing` and the others go on;
 * any other error (this instance stopping, a client too far behind, Redis gone) ends the whole
 * stream, which the client resumes from its cursor. The stream ends once every job has ended.
 */
import 'server-only';
import { createFollower } from '~/server/activity/follower';
import { DomainError } from '~/server/lib/errors';
import { encodeCursor, type StreamPosition } from './cursor-schema';
import { isTerminal, type JobEvent, type StoredEvent } from '../schema';

export type JobsStreamItem = { jobId: string; id: string; event: JobEvent } | { jobId: string; missing: true; message: string };

export interface FollowJobsDeps {
  /** One job's events after `lastEventId` (followEvents), ending at its terminal event or when `signal` aborts. */
  follow(jobId: string, lastEventId: string | null, signal: AbortSignal): AsyncIterable<StoredEvent>;
  /** Items the merged stream may have waiting before it is dropped (STREAM_QUEUE_LIMIT). */
  queueLimit: number;
}

export async function* followJobs(deps: FollowJobsDeps, jobIds: readonly string[], cursor: ReadonlyMap<string, string>, signal?: AbortSignal): AsyncGenerator<{ cursor: string; item: JobsStreamItem }> {
  const positions = new Map<string, StreamPosition>(jobIds.map((id) => [id, cursor.get(id) ?? null]));
  const open = jobIds.filter((id) => positions.get(id) !== 'end');
  if (!open.length) return;
  // Ends every job's follower: the client went away, or the merged stream ended or failed.
  const inner = new AbortController();
  const stop = () => inner.abort();
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  const merged = createFollower<JobsStreamItem>(deps.queueLimit, stop);
  let following = open.length;

  async function pump(jobId: string): Promise<void> {
    try {
      for await (const { id, event } of deps.follow(jobId, positions.get(jobId) ?? null, inner.signal)) merged.push({ jobId, id, event });
    } catch (err) {
      if (!DomainError.is(err) || err.code !== 'NOT_FOUND') {
        merged.end(err);
        return stop();
      }
      merged.push({ jobId, missing: true, message: err.message });
    }
    following -= 1;
    if (following === 0) merged.end();
  }

  for (const jobId of open) void pump(jobId);
  try {
    for await (const item of merged) {
      positions.set(item.jobId, 'missing' in item || isTerminal(item.event) ? 'end' : item.id);
      yield { cursor: encodeCursor(positions), item };
    }
  } finally {
    stop();
    signal?.removeEventListener('abort', stop);
  }
}
