'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useSearch } from '~/components/common/use-search';
import { useStartInvalidation } from '~/components/jobs/use-jobs';
import { useTRPC } from '~/components/trpc/client';

/** The search box matches a provider's id and its display name, as on the providers page. */
const searched = (e: { provider: string; displayName: string }) => [e.provider, e.displayName];

/**
 * What readers get now, per provider, filtered by the search box; and `refresh(provider)`: a soft
 * invalidation with refresh, so readers keep the current copy until the source's answer is
 * verified. The activity feed refetches the catalog when a job ends or a reader rebuilds it.
 */
export function useCatalog() {
  const trpc = useTRPC();
  const query = useQuery(trpc.providers.catalog.queryOptions(undefined, { refetchOnWindowFocus: true }));
  const { search, setSearch, visible } = useSearch(query.data ?? [], searched);
  const start = useStartInvalidation();
  const refresh = useCallback((provider: string) => start({ providers: [provider], mode: 'soft', cacheType: 'models', cascade: true, refresh: true }), [start]);
  return { query, visible, search, setSearch, refresh };
}
