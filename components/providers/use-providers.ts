'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useUrlState } from '~/components/common/url-state';
import { useTRPC } from '~/components/trpc/client';

import { PROVIDER_PARAMS, visibleProviders } from './provider-view-state';

/**
 * The provider list with its cache state. The activity feed refreshes it when a job ends or the
 * catalog is rebuilt; TTLs count down locally. No event says a key expired, so it refetches once
 * when the soonest TTL runs out, rather than polling. The search, state filter and sort live in the URL.
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
  const providers = useMemo(() => data ?? [], [data]);
  const [params, setParams] = useUrlState(PROVIDER_PARAMS);
  const visible = useMemo(() => visibleProviders(providers, params), [providers, params]);
  return { query, providers, visible, params, setParams };
}

export type ProviderRowData = NonNullable<ReturnType<typeof useProviders>['query']['data']>[number];
