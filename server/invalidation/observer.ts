/**
 * The one hook on a job's lifecycle: the composition root passes an observer (metrics, webhooks)
 * into the service, which calls it where the lifecycle decides something, once per fact: a request
 * created a job or joined one (service.ts), an instance took a job over (worker.ts), a job's terminal
 * write landed (job.ts, worker.ts; only the lease holder's write lands, so exactly once per job).
 * Observers must not throw and must not block: they are told, not asked.
 */
import 'server-only';
import { actorLabel, type Logger } from '~/server/log/logger';
import type { Actor, InvalidationResult, JobError, JobRecord, Via } from './schema';

export interface FinishedJob {
  jobId: string;
  /** The record as the terminal write left it (returned by that write: no second read). */
  record: JobRecord;
  status: 'completed' | 'failed';
  result: InvalidationResult;
  error: JobError | null;
  /** Redis round trips this attempt made, its create round trip included when it is the first attempt. */
  roundTrips?: number;
}

export interface JobObserver {
  created?(e: { jobId: string; coalesced: boolean; actor: Actor; via: Via }): void;
  takenOver?(e: { jobId: string; from: string; by: string; attempt: number }): void;
  finished?(e: FinishedJob): void;
}

/** Calls every observer, keeping one's failure from reaching the job or the others. */
export function observeAll(observers: JobObserver[], onError: (err: unknown) => void = () => {}): Required<JobObserver> {
  const each =
    <K extends keyof JobObserver>(hook: K) =>
    (e: Parameters<Required<JobObserver>[K]>[0]) => {
      for (const o of observers) {
        try {
          (o[hook] as ((arg: typeof e) => void) | undefined)?.(e);
        } catch (err) {
          onError(err);
        }
      }
    };
  return { created: each('created'), takenOver: each('takenOver'), finished: each('finished') };
}

/** The log's part: every request that created or joined a job. */
export function jobLogObserver(log: Logger): JobObserver {
  return {
    created: (e) => log.info({ jobId: e.jobId, actor: actorLabel(e.actor), via: e.via, coalesced: e.coalesced }, e.coalesced ? 'request joined a pending job' : 'job created'),
  };
}
