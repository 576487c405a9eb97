'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useSearch } from '~/components/common/use-search';
import { useTRPC } from '~/components/trpc/client';

/** The search box matches a provider's id and its display name. */
const searched = (p: { name: string; displayName: string }) => [p.name, p.displayName];

/**
 * The provider list with its cache state. The activity feed refreshes it when a job ends or the
 * catalog is rebuilt; TTLs count down locally. No event says a key expired, so it refetches once
 * when the soonest TTL runs out, rather than polling.
 */
export function useProviders() {
  const trpc = useTRPC();
  const query = useQuery(trpc.providers.list.queryOptions(undefined, { refetchOnWindowFocus: true }));
  const { refetch, data, dataUpdatedAt } = query;
  useEffect(() => {
    const soonest = Math.min(...(data ?? []).map((p) => p.ttlMs ?? Infinity));
    if (!Number.isFinite(soonest)) return;
    const timer = setTimeout(() => void refetch(), Math.max(0, dataUpdatedAt + soonest - Date.now()) + 500);
    return () => clearTimeout(timer);
  }, [data, dataUpdatedAt, refetch]);
  const providers = data ?? [];
  const { search, setSearch, visible } = useSearch(providers, searched);
  return { query, providers, visible, search, setSearch };
}

export type ProviderRowData = NonNullable<ReturnType<typeof useProviders>['query']['data']>[number];
