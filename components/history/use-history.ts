'use client';

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { formatSort, sortRows, type Sort } from '~/components/common/sort';
import { useUrlState } from '~/components/common/url-state';
import { useTRPC } from '~/components/trpc/client';
import { HISTORY_PARAMS, historyQuery, historySort, NEWEST_FIRST, type HistoryParams, type HistorySortKey } from './history-query';

export const PAGE_SIZE = 20;

type Job = { createdAt: number; status: string; actor: { label: string }; result: { keysDeleted: number; keysMarkedStale?: number; durationMs: number } | null };
const SORT_VALUE: Record<HistorySortKey, (job: Job) => string | number | null> = {
  when: (j) => j.createdAt,
  by: (j) => j.actor.label,
  status: (j) => j.status,
  keys: (j) => (j.result ? j.result.keysDeleted + (j.result.keysMarkedStale ?? 0) : null),
  duration: (j) => j.result?.durationMs ?? null,
};

/**
 * Newest first, one page per "Load more": the server's nextCursor (a job id) is the page param,
 * so pages never shift when jobs are added meanwhile. Filters (provider, status, date range, job
 * id) and the sort live in the URL; the sort orders the rows loaded so far.
 */
export function useHistory() {
  const trpc = useTRPC();
  const [params, setParams] = useUrlState(HISTORY_PARAMS);
  const query = useInfiniteQuery(
    trpc.invalidation.history.infiniteQueryOptions(historyQuery(params, PAGE_SIZE), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // Keep the old rows on screen while a new filter loads: no flash, no layout jump.
      placeholderData: keepPreviousData,
    }),
  );
  const loaded = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const sort = historySort(params);
  const items = useMemo(() => (sort.key === 'when' && sort.dir === 'desc' ? loaded : sortRows(loaded, SORT_VALUE[sort.key], sort.dir)), [loaded, sort.key, sort.dir]);
  // Provider names for the filter; the history stays usable when the catalog Redis is down.
  const providers = useQuery(trpc.providers.list.queryOptions(undefined, { retry: false, select: (list) => list.map((p) => p.name) }));
  const setSort = (next: Sort<HistorySortKey>) => setParams({ sort: formatSort(next, NEWEST_FIRST) });
  return { query, items, loaded, filters: params, setFilters: setParams as (changed: Partial<HistoryParams>) => void, sort, setSort, providerNames: providers.data ?? [] };
}

export type HistoryItem = ReturnType<typeof useHistory>['loaded'][number];
export type { HistoryParams as HistoryFilters };
