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
/** `canRunAgain`: an operator or admin, who gets "Run again" (the providers page's confirmation, prefilled). */
export function JobDetailView({ jobId, canRunAgain = false }: { jobId: string; canRunAgain?: boolean }) {
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
        {canRunAgain && record.data ? (
          <p>
            <Link href={`/?again=${encodeURIComponent(jobId)}`} className="button">
              Run again
            </Link>{' '}
            <span className="muted">opens the confirmation with this job&apos;s providers and choices</span>
          </p>
        ) : null}
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
              <JobProgress state={shown} label={`Progress of job ${jobId}`} mode={record.data.request.mode} />
            </section>
            <JobTimeline events={live.events} waiting={live.connection === 'connecting' || live.connection === 'idle'} mode={record.data.request.mode} />
            <WebhookDeliveries jobId={jobId} finished={shown.status === 'completed' || shown.status === 'failed'} />
          </div>
          {/* The live result once the stream has it (a job that ends while open lists its keys without a reload). */}
          <JobRecordCard record={{ ...record.data, result: shown.result ?? record.data.result }} status={shown.status} />
        </div>
      )}
    </section>
  );
}
