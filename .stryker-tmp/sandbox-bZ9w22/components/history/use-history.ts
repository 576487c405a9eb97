// @ts-nocheck
'use client';

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTRPC } from '~/components/trpc/client';
import type { JobStatus } from '~/server/invalidation/schema';

export interface HistoryFilters {
  provider: string;
  status: JobStatus | '';
}

export const PAGE_SIZE = 20;

/**
 * Newest first, one page per "Load more": the server's nextCursor (a job id) is the page param,
 * so pages never shift when jobs are added meanwhile.
 */
export function useHistory() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<HistoryFilters>({ provider: '', status: '' });
  const query = useInfiniteQuery(
    trpc.invalidation.history.infiniteQueryOptions(
      { limit: PAGE_SIZE, provider: filters.provider || undefined, status: filters.status || undefined },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        // Keep the old rows on screen while a new filter loads: no flash, no layout jump.
        placeholderData: keepPreviousData,
      },
    ),
  );
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  // Provider names for the filter; the history stays usable when the catalog Redis is down.
  const providers = useQuery(trpc.providers.list.queryOptions(undefined, { retry: false, select: (list) => list.map((p) => p.name) }));
  return { query, items, filters, setFilters, providerNames: providers.data ?? [] };
}

export type HistoryItem = ReturnType<typeof useHistory>['items'][number];
