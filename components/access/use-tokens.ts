'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useAnnounce } from '~/components/common/announcer';
import { useTRPC } from '~/components/trpc/client';

/**
 * The token list newest first, a cursor page per "Show more" (every token is reachable however many
 * were made after it), and create/revoke that refresh it; a new token is held here until dismissed.
 */
export function useTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery(trpc.tokens.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages.at(-1)?.total ?? null;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.infiniteQueryKey() });
  const announce = useAnnounce();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (result, input) => {
        setCreated({ name: input.name, token: result.token });
        announce(`Token ${input.name} created: copy it now, it is shown once`, 'ok');
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => (announce('Token revoked', 'ok'), void refresh()) }));
  return { list, items, total, create, revoke, created, dismiss: () => setCreated(null) };
}
