'use client';

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTRPC } from '~/components/trpc/client';
import type { AuditAction } from '~/server/audit/schema';

export interface AuditFilters {
  actor: string;
  action: AuditAction | '';
}

/** The audit trail newest first, a cursor page per "Load more", and the export URL for the same filters. */
export function useAudit() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<AuditFilters>({ actor: '', action: '' });
  const input = { limit: 50, actor: filters.actor.trim() || undefined, action: filters.action || undefined };
  const query = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData }),
  );
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const params = new URLSearchParams();
  if (input.actor) params.set('actor', input.actor);
  if (input.action) params.set('action', input.action);
  const exportUrl = `/api/admin/audit${params.size ? `?${params}` : ''}`;
  return { query, items, filters, setFilters, exportUrl };
}
