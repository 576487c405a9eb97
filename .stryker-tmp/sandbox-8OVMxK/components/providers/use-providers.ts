// @ts-nocheck
'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTRPC } from '~/components/trpc/client';

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
  const [search, setSearch] = useState('');
  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = query.data ?? [];
    return needle ? all.filter((p) => p.name.includes(needle) || p.displayName.toLowerCase().includes(needle)) : all;
  }, [query.data, search]);
  return { query, providers: query.data ?? [], visible, search, setSearch };
}

export type ProviderRowData = NonNullable<ReturnType<typeof useProviders>['query']['data']>[number];
