// @ts-nocheck
'use client';

import { skipToken } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useReducer } from 'react';
import { describeError, errorCode, isJobNotFound } from '~/components/common/trpc-error';
import { useTRPC } from '~/components/trpc/client';
import type { StoredEvent } from '~/server/invalidation/schema';
import { addEvent, summarize, type JobSummary } from './job-events';

/** What the SSE stream is doing, in the words shown to people. */
export type Connection = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'ended';

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

interface Held {
  jobId: string | null;
  events: StoredEvent[];
}

function reduce(state: Held, action: { jobId: string; item: StoredEvent }): Held {
  if (state.jobId !== action.jobId) return { jobId: action.jobId, events: [action.item] };
  const events = addEvent(state.events, action.item);
  return events === state.events ? state : { jobId: state.jobId, events };
}

/**
 * Follows one job's events live: from the start on first subscribe (so a reload replays them),
 * after the last id on reconnect (tRPC sends it back). Refreshes the provider list and the history
 * when the job ends. Components only render what this returns.
 */
export function useInvalidation(jobId: string | null, options: { enabled?: boolean } = {}): InvalidationState {
  const trpc = useTRPC();
  const [held, dispatch] = useReducer(reduce, { jobId: null, events: [] });
  const enabled = Boolean(jobId) && options.enabled !== false;

  // The page's activity feed (useActivity) refreshes the provider list and history when this job ends.
  const onData = useCallback(
    (item: { id: string; data: StoredEvent['event'] }) => {
      if (jobId) dispatch({ jobId, item: { id: item.id, event: item.data } });
    },
    [jobId],
  );

  const sub = useSubscription(
    trpc.invalidation.events.subscriptionOptions(jobId ? { jobId } : skipToken, { enabled, onData }),
  );

  const events = held.jobId === jobId ? held.events : [];
  const summary = summarize(events);
  const terminal = summary.status === 'completed' || summary.status === 'failed';
  const code = sub.status === 'error' ? errorCode(sub.error) : undefined;

  let connection: Connection = 'idle';
  if (sub.status === 'pending') connection = 'live';
  else if (sub.status === 'connecting') connection = events.length || sub.error ? 'reconnecting' : 'connecting';
  else if (sub.status === 'error' || terminal || events.length) connection = 'ended';
  if (!enabled && !terminal) connection = 'idle';

  let error: InvalidationState['error'] = summary.failure ? { message: summary.failure.message } : null;
  if (!error && sub.status === 'error') error = { message: describeError(sub.error), code };

  return {
    ...summary,
    jobId,
    status: sub.status === 'error' && isJobNotFound(sub.error) ? 'missing' : summary.status,
    events,
    connection,
    error,
    connectionNote: sub.status === 'connecting' && sub.error ? describeError(sub.error) : null,
  };
}
