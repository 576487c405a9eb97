'use client';

import type { RecentJob } from '~/server/invalidation/schema';
import { ConnectionState } from './connection-state';
import { dismissedJobs, scopeLabel } from './job-store';
import { JobFrame } from './job-panel';
import { JobProgress } from './job-progress';
import { actorWords, isUnfinished, recordState, trackedOf } from './shared-jobs';
import { useInvalidation } from './use-invalidation';

/**
 * A job this tab did not start (another admin's, a script's, a schedule's, or one's own from
 * elsewhere), as the shared Jobs view lists it: live over the page's one job stream while it runs,
 * from its record once finished (no stream needed). Named with who started it, so it never reads
 * as a job of this tab.
 */
export function SharedJobPanel({ record }: { record: RecentJob }) {
  const running = isUnfinished(record);
  const live = useInvalidation(record.id, { enabled: running });
  const state = live.status === 'unknown' ? recordState(record) : live;
  const job = trackedOf(record);
  const who = actorWords(record.actor, record.mine);
  const title = record.request.providers === 'all' ? 'All providers' : scopeLabel(record.request.providers);
  const status = state.status === 'unknown' ? record.status : state.status;
  return (
    <JobFrame
      job={{ ...job, status: status === 'missing' ? 'missing' : status }}
      status={status}
      who={who}
      name={`${title}, started by ${who}`}
      onDismiss={() => dismissedJobs.add(record.id)}
      aside={running ? <ConnectionState connection={live.connection} note={live.connectionNote} /> : null}
    >
      <JobProgress state={state} label={`Progress of ${scopeLabel(job.scope)} (job ${record.id})`} mode={record.request.mode} />
    </JobFrame>
  );
}
