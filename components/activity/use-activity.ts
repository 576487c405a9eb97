'use client';

import { useQueryClient, type QueryClient, type QueryFilters } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback } from 'react';
import { useTRPC } from '~/components/trpc/client';
import type { Connection } from '~/components/jobs/use-invalidation';
import type { Activity } from '~/server/activity/schema';

/**
 * One subscription per page to what happens anywhere (jobs started by anyone, on any instance;
 * catalog rebuilds on the read path) and the refetches it calls for: the provider list when a job
 * ends or the catalog is rebuilt, the history and job records when a job is queued, starts or ends.
 * Progress events refetch only the provider views (see below): the job panels stream the rest themselves.
 */
export function useActivity(): Connection {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onData = useCallback(
    (activity: Activity) => {
      const ended = activity.kind === 'job' && (activity.type === 'completed' || activity.type === 'failed');
      // `started` rides with the batch when the catalog shares the jobs' Redis: a soft job's providers
      // turn Stale at that moment. With the catalog on its own Redis, `started` is written just before
      // the batch, so the first `progress` after it (a refresh step, a further batch) refetches too.
      const started = activity.kind === 'job' && (activity.type === 'started' || activity.type === 'progress');
      if (activity.kind === 'catalog' || ended || started) readAfter(queryClient, trpc.providers.pathFilter());
      // A rebuild or an approval may have published changes: an open Changes page lists them.
      if (activity.kind === 'catalog') void queryClient.invalidateQueries(trpc.catalog.changes.pathFilter());
      // A job's end changes what the instances hold (their next heartbeat says so).
      if (ended) void queryClient.invalidateQueries(trpc.instances.pathFilter());
      if (activity.kind === 'schedules') void queryClient.invalidateQueries(trpc.schedules.pathFilter());
      if (activity.kind === 'job' && activity.type !== 'progress') {
        void queryClient.invalidateQueries(trpc.invalidation.pathFilter());
        // A scheduled run records its job as it is queued: the schedules list shows it.
        if (activity.type === 'queued') void queryClient.invalidateQueries(trpc.schedules.pathFilter());
      }
    },
    [queryClient, trpc],
  );
  // What happened before the feed connected (or while it reconnected) sent no event to this page: a
  // job queued and finished in that gap would be missing from the Jobs view. So, once the feed
  // listens, everyone's recent jobs are read again (a read already in flight may predate it).
  const onStarted = useCallback(() => readAfter(queryClient, trpc.invalidation.recent.pathFilter()), [queryClient, trpc]);
  const sub = useSubscription(trpc.activity.feed.subscriptionOptions(undefined, { onData, onStarted }));
  if (sub.status === 'pending') return 'live';
  if (sub.status === 'connecting') return sub.error ? 'reconnecting' : 'connecting';
  return sub.status === 'error' ? 'ended' : 'idle';
}

/**
 * Refetches so the view ends on a read made after this event. A refetch already in flight may have
 * read before it: it is not cancelled (tRPC does not abort the request, so a cancelled one would
 * still hold one of the browser's six connections while Redis is slow) but followed by one more
 * read once it settles. Events during a slow read therefore cost one further read, not one each.
 */
function readAfter(queryClient: QueryClient, filter: QueryFilters): void {
  const inFlight = queryClient.isFetching(filter) > 0;
  const settled = queryClient.invalidateQueries(filter, { cancelRefetch: false });
  if (inFlight) void settled.then(() => queryClient.invalidateQueries(filter, { cancelRefetch: false }));
}
