// @ts-nocheck
'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback } from 'react';
import { useTRPC } from '~/components/trpc/client';
import type { Connection } from '~/components/jobs/use-invalidation';
import type { Activity } from '~/server/activity/schema';

/**
 * One subscription per page to what happens anywhere (jobs started by anyone, on any instance;
 * catalog rebuilds on the read path) and the refetches it calls for: the provider list when a job
 * ends or the catalog is rebuilt, the history and job records when a job is queued, starts or ends.
 * Progress events refetch nothing: the job panels stream those themselves.
 */
export function useActivity(): Connection {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onData = useCallback(
    (activity: Activity) => {
      const ended = activity.kind === 'job' && (activity.type === 'completed' || activity.type === 'failed');
      if (activity.kind === 'catalog' || ended) void queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey() });
      if (activity.kind === 'job' && activity.type !== 'progress') void queryClient.invalidateQueries(trpc.invalidation.pathFilter());
    },
    [queryClient, trpc],
  );
  const sub = useSubscription(trpc.activity.feed.subscriptionOptions(undefined, { onData }));
  if (sub.status === 'pending') return 'live';
  if (sub.status === 'connecting') return sub.error ? 'reconnecting' : 'connecting';
  return sub.status === 'error' ? 'ended' : 'idle';
}
