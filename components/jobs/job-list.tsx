'use client';

import { ErrorMessage } from '~/components/common/error-message';
import { JobPanel } from './job-panel';
import type { TrackedJob } from './job-store';
import { SharedJobPanel } from './shared-job-panel';
import { useListedJobs } from './use-recent-jobs';

/**
 * The shared Jobs view: this tab's jobs and everyone's running jobs and those finished in the last
 * 15 minutes (other admins', scripts', schedules'), newest on top, each with its own live panel.
 */
export function JobList({ jobs: tab }: { jobs: TrackedJob[] }) {
  const { jobs, error } = useListedJobs(tab);
  return (
    <section className="jobs" aria-labelledby="jobs-heading">
      <h2 id="jobs-heading" className="section-title">
        Jobs
      </h2>
      {error ? <ErrorMessage error={error} title="Could not load everyone's jobs" /> : null}
      {jobs.length === 0 ? (
        <p className="empty">No job is running or finished in the last 15 minutes. Jobs started here, by other admins, scripts or schedules show here, live.</p>
      ) : (
        <ul className="job-list">
          {jobs.map((item) => (
            <li key={item.kind === 'tab' ? item.job.key : item.record.id}>{item.kind === 'tab' ? <JobPanel job={item.job} /> : <SharedJobPanel record={item.record} />}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
