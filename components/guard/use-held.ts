'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/components/trpc/client';

/** One provider's held candidate (or none), and approve/reject that refetch it and the providers' cache state. */
export function useHeld(provider: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.catalog.held.queryOptions({ provider }, { refetchOnWindowFocus: true }));
  const onSettled = () => {
    void queryClient.invalidateQueries(trpc.catalog.held.pathFilter());
    void queryClient.invalidateQueries(trpc.providers.pathFilter());
  };
  const approve = useMutation(trpc.catalog.approve.mutationOptions({ onSettled }));
  const reject = useMutation(trpc.catalog.reject.mutationOptions({ onSettled }));
  return { query, held: query.data?.[0] ?? null, approve, reject };
}
