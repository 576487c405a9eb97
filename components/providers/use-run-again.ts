'use client';

import { skipToken, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Scope } from '~/components/jobs/job-store';
import { useTRPC } from '~/components/trpc/client';
import type { InvalidateChoice } from './invalidation-summary';

/**
 * "Run again" from a job's page lands here with `?again=<jobId>`: the job's request, read once, as
 * the confirmation's scope and choices. Nothing starts until the person confirms. `null` while
 * there is nothing to open (no id, not allowed, not read yet, or already offered once): `pending` is null.
 */
export function useRunAgain(jobId: string | null, enabled: boolean) {
  const trpc = useTRPC();
  const [offered, setOffered] = useState(false);
  const query = useQuery(trpc.invalidation.get.queryOptions(jobId && enabled && !offered ? { jobId } : skipToken, { staleTime: Infinity, retry: false }));
  const request = query.data?.request;
  const pending: { scope: Scope; choice: InvalidateChoice } | null =
    request && !offered
      ? { scope: request.providers, choice: { mode: request.mode, cacheType: request.cacheType, cascade: request.cascade, refresh: request.refresh ?? request.mode === 'soft' } }
      : null;
  return { pending, markOffered: () => setOffered(true) };
}
