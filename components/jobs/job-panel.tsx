'use client';

import Link from 'next/link';
import { useEffect, useRef, type ReactNode } from 'react';
import { formatClock } from '~/components/common/format';
import { StatusBadge } from '~/components/common/status-badge';
import { ConnectionState } from './connection-state';
import { dismissedJobs, isActive, jobStore, scopeLabel, type TrackedJob } from './job-store';
import { JobProgress } from './job-progress';
import { useJobStatusSync } from './use-jobs';
import { useInvalidation } from './use-invalidation';

/** One job of this tab: a placeholder until the server answers with an id, then live. */
export function JobPanel({ job }: { job: TrackedJob }) {
  return job.jobId ? <LiveJobPanel job={job} jobId={job.jobId} /> : <StartingJobPanel job={job} />;
}

function LiveJobPanel({ job, jobId }: { job: TrackedJob; jobId: string }) {
  const state = useInvalidation(jobId);
  useJobStatusSync(job, state);
  const status = state.status === 'unknown' ? job.status : state.status;
  return (
    <JobFrame job={job} status={status} aside={<ConnectionState connection={state.connection} note={state.connectionNote} />}>
      <JobProgress state={state} label={`Progress of ${scopeLabel(job.scope)} (job ${jobId})`} mode={job.mode} />
    </JobFrame>
  );
}

function StartingJobPanel({ job }: { job: TrackedJob }) {
  const label = `Progress of ${scopeLabel(job.scope)} (not started yet)`;
  return (
    <JobFrame job={job} status={job.status} aside={null} reveal={job.status === 'starting'}>
      <div role="progressbar" aria-valuenow={0} aria-valuemin={0} aria-valuemax={100} aria-label={label} className="progress">
        <div className="progress-fill" style={{ width: '0%' }} />
      </div>
      <div className="job-outcome">
        {job.status === 'start-failed' ? (
          <div role="alert" className="outcome-bad">
            <p>
              <strong>The job was not started: </strong>
              {job.startError}
            </p>
          </div>
        ) : (
          <p className="muted">Sending the request…</p>
        )}
      </div>
    </JobFrame>
  );
}

interface FrameProps {
  job: TrackedJob;
  status: string;
  aside: ReactNode;
  children: ReactNode;
  /** Who started it, in words ("you" marks one's own); this tab's jobs are the viewer's own. */
  who?: string;
  /** The article's name when it must differ from the title (a job from elsewhere names who started it). */
  name?: string;
  /** Dismisses a finished job from this tab's view (default: this tab's own job). */
  onDismiss?: () => void;
  /** Just started here: scrolled into view (on a phone the Jobs list is below the table, out of sight). */
  reveal?: boolean;
}

/** A job's panel: what it covers and who started it, its status, the progress and links. */
export function JobFrame({ job, status, aside, children, who = 'you', name, onDismiss, reveal = false }: FrameProps) {
  const titleId = `job-${job.key}-title`;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!reveal) return;
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    ref.current?.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
  }, [reveal]);
  const title = job.scope === 'all' ? 'All providers' : scopeLabel(job.scope);
  const dismiss =
    onDismiss ??
    (() => {
      jobStore.remove(job.key);
      if (job.jobId) dismissedJobs.add(job.jobId);
    });
  const finished = !isActive(job) && status !== 'queued' && status !== 'running';
  return (
    <article ref={ref} className={`job${who === 'you' ? ' job-mine' : ''}`} aria-labelledby={name ? undefined : titleId} aria-label={name}>
      <header className="job-head">
        <h3 id={titleId} className="job-title">
          {title}
        </h3>
        {who === 'you' ? <span className="tag-mine">Yours</span> : null}
        <StatusBadge status={status} />
      </header>
      <p className="job-meta">
        <span>by {who}</span>
        <span>{job.mode === 'soft' ? 'Soft (mark stale)' : job.cacheType === 'all' ? 'Every cache' : 'Models cache'}</span>
        <span>{job.cascade ? 'with full catalog' : 'no cascade'}</span>
        {job.refresh ? <span>then refresh</span> : null}
        <span>at {formatClock(job.createdAt)}</span>
        {job.coalesced ? <span>joined a pending job that covers it</span> : null}
      </p>
      {children}
      <footer className="job-foot">
        {aside ?? <span />}
        <span className="job-actions">
          {job.jobId ? (
            <Link className="link-quiet" href={`/history/${job.jobId}`} aria-label={`Details of job ${job.jobId}`}>
              Details
            </Link>
          ) : null}
          {finished ? (
            <button type="button" className="link-quiet" onClick={dismiss} aria-label={`Dismiss ${title} job`}>
              Dismiss
            </button>
          ) : null}
        </span>
      </footer>
    </article>
  );
}
