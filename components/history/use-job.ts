'use client';

import { useQuery } from '@tanstack/react-query';
import { isJobNotFound } from '~/components/common/trpc-error';
import { useInvalidation, type InvalidationState } from '~/components/jobs/use-invalidation';
import { useTRPC } from '~/components/trpc/client';
import type { JobRecord } from '~/server/invalidation/schema';

/**
 * The live state, completed by the record where the events say nothing: a stream that expired
 * before the record leaves no events, and the record still tells how the job ended.
 */
export function withRecord(live: InvalidationState, record: Pick<JobRecord, 'status' | 'result' | 'error' | 'finishedAt'> | null): InvalidationState {
  const status = live.status === 'unknown' || live.status === 'missing' ? (record?.status ?? 'unknown') : live.status;
  return {
    ...live,
    status,
    result: live.result ?? record?.result ?? null,
    refresh: live.refresh.length ? live.refresh : (record?.result?.refresh ?? []),
    error: live.error ?? (record?.error ? { message: record.error.message } : null),
    percent: status === 'completed' ? 100 : live.percent,
    endedAt: live.endedAt ?? record?.finishedAt ?? null,
  };
}

/**
 * One job for its detail page: the stored record, and its events replayed from the start, live
 * while it runs. The stream opens only once the record says the job exists. `shown` is what the
 * page renders; `notFound` when the server has no such job (never existed, or expired).
 */
export function useJob(jobId: string) {
  const trpc = useTRPC();
  const record = useQuery(trpc.invalidation.get.queryOptions({ jobId }));
  const live = useInvalidation(jobId, { enabled: Boolean(record.data) });
  return { record, live, shown: withRecord(live, record.data ?? null), notFound: isJobNotFound(record.error) };
}
