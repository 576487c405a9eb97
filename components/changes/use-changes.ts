'use client';

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { useTRPC } from '~/components/trpc/client';
import { CHANGE_KINDS, type ChangeKind } from '~/server/catalog/history/schema';

export interface ChangesFilters {
  provider: string;
  kind: ChangeKind | '';
}

export const PAGE_SIZE = 50;

const isKind = (v: string | null): v is ChangeKind => (CHANGE_KINDS as readonly string[]).includes(v ?? '');

/**
 * The catalog's history, newest first, one page per "Load more" (the server's cursor names the last
 * row shown, so pages never shift when changes arrive meanwhile). The filters live in the URL
 * (`?provider=groq&kind=price`): a filtered view can be shared and survives a reload.
 */
export function useChanges() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const kind = params.get('kind');
  const filters: ChangesFilters = { provider: params.get('provider') ?? '', kind: isKind(kind) ? kind : '' };
  const setFilters = useCallback(
    (next: ChangesFilters) => {
      const query = new URLSearchParams();
      if (next.provider) query.set('provider', next.provider);
      if (next.kind) query.set('kind', next.kind);
      const text = query.toString();
      router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  const query = useInfiniteQuery(
    trpc.catalog.changes.infiniteQueryOptions(
      { limit: PAGE_SIZE, provider: filters.provider || undefined, kind: filters.kind || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const providers = useQuery(trpc.providers.list.queryOptions(undefined, { retry: false, select: (list) => list.map((p) => p.name) }));
  return { query, items, filters, setFilters, providerNames: providers.data ?? [], retentionDays: query.data?.pages[0]?.retentionDays ?? null };
}

export type ChangeItem = ReturnType<typeof useChanges>['items'][number];
