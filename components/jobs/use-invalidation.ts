'use client';

import { useEffect } from 'react';
import { describeError, errorCode } from '~/components/common/trpc-error';
import type { StoredEvent } from '~/server/invalidation/schema';
import { summarize, type JobSummary } from './job-events';
import { useJobStream } from './job-stream';
import { EMPTY_JOB } from './job-stream-state';

/**
 * What the SSE stream is doing, in the words shown to people: `finished` when the job ended and its
 * stream closed as it should, `ended` when the stream stopped otherwise (no such job, an error).
 */
export type Connection = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'finished' | 'ended';

export interface InvalidationState extends Omit<JobSummary, 'status'> {
  jobId: string | null;
  /** `missing` when the server has no such job (unknown id, or expired from history). */
  status: JobSummary['status'] | 'missing';
  events: StoredEvent[];
  connection: Connection;
  /** The job's failure, or why the stream stopped (session ended, no such job). */
  error: { message: string; code?: string } | null;
  /** Why the stream is reconnecting, when the server said. */
  connectionNote: string | null;
}

/**
 * Follows one job's events live, over the page's one job stream (job-stream.tsx): from the start
 * on first follow (so a reload replays them), after the last id on reconnect. Events are keyed by
 * id, so a replay shows nothing twice. The page's activity feed (useActivity) refreshes the
 * provider list and the history when the job ends. Components only render what this returns.
 */
export function useInvalidation(jobId: string | null, options: { enabled?: boolean } = {}): InvalidationState {
  const stream = useJobStream();
  const { follow } = stream;
  const enabled = Boolean(jobId) && options.enabled !== false;
  useEffect(() => (enabled && jobId ? follow(jobId) : undefined), [enabled, jobId, follow]);

  const job = (jobId && stream.held.get(jobId)) || EMPTY_JOB;
  const { events } = job;
  const summary = summarize(events);
  const terminal = summary.status === 'completed' || summary.status === 'failed';
  const inStream = Boolean(jobId && stream.subscribed?.jobIds.includes(jobId));
  const failed = inStream && stream.status === 'error';

  let connection: Connection = 'connecting';
  if (terminal) connection = 'finished';
  else if (job.missing) connection = 'ended';
  else if (!enabled) connection = 'idle';
  else if (!inStream) connection = 'connecting';
  else if (stream.status === 'pending') connection = 'live';
  else if (stream.status === 'connecting') connection = events.length || stream.error ? 'reconnecting' : 'connecting';
  else if (stream.status === 'error' || events.length) connection = 'ended';

  let error: InvalidationState['error'] = summary.failure ? { message: summary.failure.message } : null;
  if (!error && job.missing) error = { message: job.missing, code: 'NOT_FOUND' };
  if (!error && failed) error = { message: describeError(stream.error), code: errorCode(stream.error) };

  return {
    ...summary,
    jobId,
    status: job.missing ? 'missing' : summary.status,
    events,
    connection,
    error,
    connectionNote: inStream && stream.status === 'connecting' && stream.error ? describeError(stream.error) : null,
  };
}
