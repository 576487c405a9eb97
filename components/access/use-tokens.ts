'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/components/trpc/client';

/** The token list, and create/revoke that refresh it; a new token is held here until dismissed. */
export function useTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.tokens.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (result, input) => {
        setCreated({ name: input.name, token: result.token });
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => void refresh() }));
  return { list, create, revoke, created, dismiss: () => setCreated(null) };
}
