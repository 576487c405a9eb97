'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ErrorMessage } from '~/components/common/error-message';
import { isJobNotFound } from '~/components/common/trpc-error';
import { ConnectionState } from '~/components/jobs/connection-state';
import { JobProgress } from '~/components/jobs/job-progress';
import { useInvalidation, type InvalidationState } from '~/components/jobs/use-invalidation';
import { useTRPC } from '~/components/trpc/client';
import { JobRecordCard } from './job-record';
import { JobTimeline } from './job-timeline';
import { WebhookDeliveries } from './webhook-deliveries';

/** One job: its record, and its events replayed from the start, live while it still runs. */
export function JobDetailView({ jobId }: { jobId: string }) {
  const trpc = useTRPC();
  const record = useQuery(trpc.invalidation.get.queryOptions({ jobId }));
  const live = useInvalidation(jobId, { enabled: Boolean(record.data) });
  if (isJobNotFound(record.error)) {
    return (
      <section className="page-head">
        <h1>No invalidation job {jobId}</h1>
        <p className="muted">It never existed, or it ended longer ago than the history keeps jobs.</p>
        <p>
          <Link href="/history">Back to the history</Link>
        </p>
      </section>
    );
  }

  const status: InvalidationState['status'] = live.status === 'unknown' || live.status === 'missing' ? (record.data?.status ?? 'unknown') : live.status;
  // Without events (a stream that expired before the record), the record still tells how it ended.
  const shown: InvalidationState = {
    ...live,
    status,
    result: live.result ?? record.data?.result ?? null,
    refresh: live.refresh.length ? live.refresh : (record.data?.result?.refresh ?? []),
    error: live.error ?? (record.data?.error ? { message: record.data.error.message } : null),
    percent: status === 'completed' ? 100 : live.percent,
  };
  return (
    <section aria-labelledby="job-heading">
      <div className="page-head">
        <p className="crumbs">
          <Link href="/history">History</Link> <span aria-hidden="true">/</span>
        </p>
        <h1 id="job-heading">
          Job <code className="job-id">{jobId}</code>
        </h1>
      </div>
      {record.error && !record.data ? (
        <ErrorMessage error={record.error} title="Could not load the job" onRetry={() => void record.refetch()} />
      ) : !record.data ? (
        <p role="status" className="loading">
          Loading the job…
        </p>
      ) : (
        <div className="detail-grid">
          <div className="detail-main">
            <section className="card" aria-label="Live progress">
              <div className="card-head">
                <h2 className="section-title">Progress</h2>
                <ConnectionState connection={live.connection} note={live.connectionNote} />
              </div>
              <JobProgress state={shown} label={`Progress of job ${jobId}`} />
            </section>
            <JobTimeline events={live.events} waiting={live.connection === 'connecting' || live.connection === 'idle'} />
            <WebhookDeliveries jobId={jobId} finished={status === 'completed' || status === 'failed'} />
          </div>
          <JobRecordCard record={record.data} status={status} />
        </div>
      )}
    </section>
  );
}
