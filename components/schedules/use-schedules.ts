'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAnnounce } from '~/components/common/announcer';
import { describeError } from '~/components/common/trpc-error';
import { useTRPC } from '~/components/trpc/client';

/** The schedules, and save/remove that refetch them and say so (announced). The activity feed refetches when a scheduled run is queued. */
export function useSchedules() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.schedules.list.queryOptions(undefined, { refetchOnWindowFocus: true }));
  const announce = useAnnounce();
  const refetch = () => void queryClient.invalidateQueries(trpc.schedules.pathFilter());
  const onError = (err: unknown) => announce(`Not saved: ${describeError(err)}`, 'bad');
  const save = useMutation(
    trpc.schedules.save.mutationOptions({
      onSuccess: (_schedule, input) => (refetch(), announce(input.id ? 'Schedule saved' : 'Schedule created', 'ok')),
      onError,
    }),
  );
  const remove = useMutation(trpc.schedules.remove.mutationOptions({ onSuccess: () => (refetch(), announce('Schedule deleted', 'ok')), onError }));
  return { query, schedules: query.data ?? [], save, remove };
}

export type ScheduleRow = NonNullable<ReturnType<typeof useSchedules>['query']['data']>[number];
