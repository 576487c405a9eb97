/**
 * The job lifecycle as metrics: jobs created and joined, taken over, finished (duration, keys,
 * round trips) and the instances that confirmed them.
 */
import 'server-only';
import type { JobObserver } from '~/server/invalidation/observer';
import type { Metrics } from './metrics';

export function jobMetricsObserver(metrics: Metrics): JobObserver {
  return {
    created: (e) => metrics.jobCreated(e.coalesced),
    takenOver: () => metrics.jobTakenOver(),
    finished: (e) => {
      metrics.jobFinished({ status: e.status, durationMs: e.result.durationMs, keysDeleted: e.result.keysDeleted, keysMarkedStale: e.result.keysMarkedStale, roundTrips: e.roundTrips });
      if (e.result.instances) metrics.jobInstances(e.result.instances.confirmed, e.result.instances.missing.length);
    },
  };
}
