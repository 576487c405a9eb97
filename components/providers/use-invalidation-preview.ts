'use client';

import { skipToken, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { describeError } from '~/components/common/trpc-error';
import { useTRPC } from '~/components/trpc/client';
import type { InvalidationRequestInput } from '~/server/invalidation/schema';

/**
 * What `request` would do, read from the server's own planner (invalidation.preview), while the
 * dialog is open; `null` (closed) reads nothing. Never cached (staleTime and gcTime 0): "exists now"
 * must mean now, so every opening and every change of choice reads Redis afresh. The counts shown
 * are the server's (`keysPlanned`, `keysExisting`, `modelsCached`); only the split of the existing
 * keys into marked-stale and deleted is counted here, over the server's own list.
 */
export function useInvalidationPreview(request: InvalidationRequestInput | null) {
  const trpc = useTRPC();
  // abortOnUnmount: a preview the dialog no longer shows (closed, choice changed) is cancelled, so a
  // slow Redis cannot leave it holding one of the browser's six connections to this origin.
  const query = useQuery(trpc.invalidation.preview.queryOptions(request ?? skipToken, { staleTime: 0, gcTime: 0, trpc: { abortOnUnmount: true } }));
  const preview = query.data ?? null;
  // Every planned key in the planner's order: each provider's, then the globals.
  const keys = useMemo(() => (preview ? [...preview.providers.flatMap((p) => p.keys), ...preview.globalKeys] : []), [preview]);
  const markedStale = keys.filter((k) => k.exists && k.action === 'mark-stale').length;
  return { preview, keys, markedStale, error: query.error ? describeError(query.error) : null };
}

export type PreviewState = ReturnType<typeof useInvalidationPreview>;
