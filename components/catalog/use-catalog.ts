'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useUrlState } from '~/components/common/url-state';
import { useStartInvalidation } from '~/components/jobs/use-jobs';
import { useTRPC } from '~/components/trpc/client';

import { searchCatalog } from './catalog-search';

const PARAMS = ['q'] as const;

/**
 * What readers get now, per provider, filtered by the search box (providers and their models; kept
 * in the URL as `?q=`); and `refresh(provider)`: a soft
 * invalidation with refresh, so readers keep the current copy until the source's answer is
 * verified. The activity feed refetches the catalog when a job ends or a reader rebuilds it.
 */
export function useCatalog() {
  const trpc = useTRPC();
  const query = useQuery(trpc.providers.catalog.queryOptions(undefined, { refetchOnWindowFocus: true }));
  const [{ q: search }, setParams] = useUrlState(PARAMS);
  const setSearch = useCallback((q: string) => setParams({ q }), [setParams]);
  const visible = useMemo(() => searchCatalog(query.data ?? [], search), [query.data, search]);
  const start = useStartInvalidation();
  const refresh = useCallback((provider: string) => start({ providers: [provider], mode: 'soft', cacheType: 'models', cascade: true, refresh: true }), [start]);
  return { query, visible, search, setSearch, refresh };
}
