'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAnnounce } from '~/components/common/announcer';
import { useTRPC } from '~/components/trpc/client';

/** Accounts, create (the initial password held here until dismissed), disable and enable. */
export function useAccounts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.accounts.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.accounts.list.queryKey() });
  const announce = useAnnounce();
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const create = useMutation(
    trpc.accounts.create.mutationOptions({
      onSuccess: (result) => {
        setCreated({ username: result.account.username, password: result.initialPassword });
        announce(`Account ${result.account.username} created: give them the initial password shown`, 'ok');
        void refresh();
      },
    }),
  );
  const disable = useMutation(trpc.accounts.disable.mutationOptions({ onSuccess: () => (announce('Account disabled', 'ok'), void refresh()) }));
  const enable = useMutation(trpc.accounts.enable.mutationOptions({ onSuccess: () => (announce('Account enabled', 'ok'), void refresh()) }));
  return { list, create, disable, enable, created, dismiss: () => setCreated(null) };
}
