// @ts-nocheck
'use client';

import { JobPanel } from './job-panel';
import type { TrackedJob } from './job-store';

/** The jobs of this tab, newest on top, each with its own live panel. */
export function JobList({ jobs }: { jobs: TrackedJob[] }) {
  return (
    <section className="jobs" aria-labelledby="jobs-heading">
      <h2 id="jobs-heading" className="section-title">
        Jobs
      </h2>
      {jobs.length === 0 ? (
        <p className="empty">No jobs in this tab yet. Invalidate a provider and its progress shows here, live.</p>
      ) : (
        <ul className="job-list">
          {jobs.map((job) => (
            <li key={job.key}>
              <JobPanel job={job} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
