'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTRPC } from '~/components/trpc/client';

/**
 * The provider list with its cache state. Jobs refresh it when they end (useInvalidation) and focus
 * refreshes it; the slow interval only keeps TTLs honest for a tab left open.
 */
export function useProviders() {
  const trpc = useTRPC();
  const query = useQuery(trpc.providers.list.queryOptions(undefined, { refetchInterval: 30_000, refetchOnWindowFocus: true }));
  const [search, setSearch] = useState('');
  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = query.data ?? [];
    return needle ? all.filter((p) => p.name.includes(needle) || p.displayName.toLowerCase().includes(needle)) : all;
  }, [query.data, search]);
  return { query, providers: query.data ?? [], visible, search, setSearch };
}

export type ProviderRowData = NonNullable<ReturnType<typeof useProviders>['query']['data']>[number];
