'use client';

import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { describeError } from '~/components/common/trpc-error';
import { useTRPC } from '~/components/trpc/client';
import type { InvalidationRequestInput } from '~/server/invalidation/schema';
import { useAnnounce } from '~/components/common/announcer';
import { isActive, jobStore, jobTitle, type TrackedJob } from './job-store';
import { endAnnouncement } from './outcome-words';
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
  const announce = useAnnounce();
  return useCallback(
    (request) => {
      const key = newKey();
      const title = jobTitle(request.providers);
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
      announce(`${title}: sending the invalidation…`);
      mutateAsync(request).then(
        ({ jobId, coalesced }) => {
          jobStore.update(key, { jobId, coalesced, status: 'queued' });
          announce(coalesced ? `${title}: joined a pending job that covers it (job ${jobId})` : `${title}: invalidation started (job ${jobId})`);
        },
        (err: unknown) => {
          const startError = describeError(err);
          jobStore.update(key, { status: 'start-failed', startError });
          announce(`${title}: the job was not started: ${startError}`, 'bad');
        },
      );
    },
    [mutateAsync, announce],
  );
}

/**
 * Copies a panel's live status into the store, so rows know which providers are busy, and
 * announces the job's end once (a toast and the live region; not again after a reload).
 */
export function useJobStatusSync(job: TrackedJob, state: InvalidationState): void {
  const { status } = state;
  const announce = useAnnounce();
  const ended = job.announced ? null : endAnnouncement(jobTitle(job.scope), state, job.mode);
  const message = ended?.message;
  const tone = ended?.tone;
  useEffect(() => {
    if (status !== 'unknown') jobStore.update(job.key, { status });
  }, [job.key, status]);
  useEffect(() => {
    if (!message) return;
    jobStore.update(job.key, { announced: true });
    announce(message, tone);
  }, [job.key, message, tone, announce]);
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
