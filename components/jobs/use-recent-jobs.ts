'use client';

import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { useNow } from '~/components/common/use-now';
import { useTRPC } from '~/components/trpc/client';
import { dismissedJobs, type TrackedJob } from './job-store';
import { mergeJobs, type ListedJob } from './shared-jobs';

/**
 * The page's Jobs: this tab's jobs merged with everyone's running and recent ones
 * (`invalidation.recent`). The page's activity feed (useActivity) refetches it whenever any job is
 * queued, starts or ends, on any instance; running jobs' panels then stream their progress.
 */
export function useListedJobs(tab: readonly TrackedJob[]): { jobs: ListedJob[]; error: unknown } {
  const trpc = useTRPC();
  const recent = useQuery(trpc.invalidation.recent.queryOptions());
  const dismissed = useSyncExternalStore(dismissedJobs.subscribe, dismissedJobs.getSnapshot, dismissedJobs.getServerSnapshot);
  // Finished jobs leave the view when their window ends, without a refetch.
  const now = useNow(30_000);
  const data = recent.data;
  return { jobs: mergeJobs(tab, data?.items ?? [], dismissed, now, data?.windowMs ?? 0), error: data ? null : recent.error };
}
