'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAnnounce } from '~/components/common/announcer';
import { describeError } from '~/components/common/trpc-error';
import { useTRPC } from '~/components/trpc/client';

/**
 * The catalog guard's policy, the providers one can override it for (admins only), and a save
 * that refetches the policy and says how it went (announced; the error stays on `save.error`).
 */
export function usePolicy(canEdit: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const query = useQuery(trpc.policy.get.queryOptions(undefined, { refetchOnWindowFocus: false }));
  const providers = useQuery(trpc.providers.list.queryOptions(undefined, { enabled: canEdit, select: (list) => list.map((p) => p.name) }));
  const save = useMutation(
    trpc.policy.save.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.policy.get.queryKey(), saved);
        announce('Policy saved', 'ok');
      },
      onError: (err) => announce(`Policy not saved: ${describeError(err)}`, 'bad'),
    }),
  );
  return { query, providerNames: providers.data ?? [], save };
}
