'use client';

import Link from 'next/link';
import { ErrorMessage } from '~/components/common/error-message';
import { ConnectionState } from '~/components/jobs/connection-state';
import { JobProgress } from '~/components/jobs/job-progress';
import { JobRecordCard } from './job-record';
import { JobTimeline } from './job-timeline';
import { useJob } from './use-job';
import { WebhookDeliveries } from './webhook-deliveries';

/** One job: its record, and its events replayed from the start, live while it still runs. */
export function JobDetailView({ jobId }: { jobId: string }) {
  const { record, live, shown, notFound } = useJob(jobId);
  if (notFound) {
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
            <WebhookDeliveries jobId={jobId} finished={shown.status === 'completed' || shown.status === 'failed'} />
          </div>
          <JobRecordCard record={record.data} status={shown.status} />
        </div>
      )}
    </section>
  );
}
