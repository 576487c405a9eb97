'use client';

import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { describeError } from '~/components/common/trpc-error';
import { useTRPC } from '~/components/trpc/client';
import type { InvalidationRequestInput } from '~/server/invalidation/schema';
import { isActive, jobStore, type TrackedJob } from './job-store';
import type { InvalidationState } from './use-invalidation';

/** The jobs this tab started, newest first (empty during the server render, then from sessionStorage). */
export function useTrackedJobs(): TrackedJob[] {
  return useSyncExternalStore(jobStore.subscribe, jobStore.getSnapshot, jobStore.getServerSnapshot);
}

/**
 * A request that states every option. The server has defaults for omitted ones (refresh: on for
 * soft, off for delete; mode delete, cache type models, cascade on); the panel would have to copy
 * them to describe the job, so the pages always say what they want (the dialog sends its choices as
 * shown) and the panel records exactly what was asked.
 */
export type StartRequest = Required<InvalidationRequestInput>;

const newKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Starts a job without waiting: the panel (and the row's "Queued…") appear at once, the job id
 * fills in when the server answers, or the panel says why it refused.
 */
export function useStartInvalidation(): (request: StartRequest) => void {
  const trpc = useTRPC();
  const { mutateAsync } = useMutation(trpc.invalidation.start.mutationOptions());
  return useCallback(
    (request) => {
      const key = newKey();
      jobStore.add({
        key,
        jobId: null,
        scope: request.providers,
        cacheType: request.cacheType,
        cascade: request.cascade,
        mode: request.mode,
        refresh: request.refresh,
        createdAt: Date.now(),
        status: 'starting',
      });
      mutateAsync(request).then(
        ({ jobId, coalesced }) => jobStore.update(key, { jobId, coalesced, status: 'queued' }),
        (err: unknown) => jobStore.update(key, { status: 'start-failed', startError: describeError(err) }),
      );
    },
    [mutateAsync],
  );
}

/** Copies a panel's live status into the store, so rows know which providers are busy. */
export function useJobStatusSync(job: TrackedJob, state: InvalidationState): void {
  const { status } = state;
  useEffect(() => {
    if (status !== 'unknown') jobStore.update(job.key, { status });
  }, [job.key, status]);
}

export type BusyLabel = 'Queued…' | 'Running…';

/** provider → what its button says while a job of this tab covers it; `all` covers every provider. */
export function useBusyProviders(jobs: TrackedJob[]): { all: BusyLabel | null; byName: Map<string, BusyLabel> } {
  return useMemo(() => {
    const byName = new Map<string, BusyLabel>();
    let all: BusyLabel | null = null;
    for (const job of jobs.filter(isActive).reverse()) {
      const label: BusyLabel = job.status === 'running' ? 'Running…' : 'Queued…';
      if (job.scope === 'all') all = label;
      else for (const name of job.scope) byName.set(name, label);
    }
    return { all, byName };
  }, [jobs]);
}
