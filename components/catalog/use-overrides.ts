'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '~/components/trpc/client';
import type { ModelOverride } from '~/server/guard/overrides-schema';

/**
 * Every per-model override, by provider then model id, and (for admins) save and remove, each
 * refetching the overrides and the catalog (a save rewrites the cached copy at once).
 */
export function useOverrides() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.catalog.overrides.queryOptions(undefined, { refetchOnWindowFocus: true }));
  const byProvider = useMemo(() => {
    const map = new Map<string, Map<string, ModelOverride>>();
    for (const o of query.data ?? []) {
      const forProvider = map.get(o.provider) ?? new Map<string, ModelOverride>();
      forProvider.set(o.model, o);
      map.set(o.provider, forProvider);
    }
    return map;
  }, [query.data]);
  const onSuccess = () => {
    void queryClient.invalidateQueries(trpc.catalog.overrides.pathFilter());
    void queryClient.invalidateQueries(trpc.providers.catalog.pathFilter());
  };
  const save = useMutation(trpc.catalog.saveOverride.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.catalog.removeOverride.mutationOptions({ onSuccess }));
  return { query, byProvider, save, remove };
}

export type Overrides = ReturnType<typeof useOverrides>;
