'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/components/trpc/client';

/** The schedules, and save/remove that refetch them. The activity feed refetches when a scheduled run is queued. */
export function useSchedules() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.schedules.list.queryOptions(undefined, { refetchOnWindowFocus: true }));
  const onSuccess = () => void queryClient.invalidateQueries(trpc.schedules.pathFilter());
  const save = useMutation(trpc.schedules.save.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.schedules.remove.mutationOptions({ onSuccess }));
  return { query, schedules: query.data ?? [], save, remove };
}

export type ScheduleRow = NonNullable<ReturnType<typeof useSchedules>['query']['data']>[number];
