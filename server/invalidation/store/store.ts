/**
 * The job store: records, their event streams, the history index, the pending index and the
 * leases, all in Redis under the admin prefix, so any app instance can answer for (and take over)
 * any job. Assembled from one module per concern: the lifecycle writes (job-writes.ts), the leases
 * (job-leases.ts), the reads of one job (job-reads.ts), the history (job-history.ts), the
 * finished-jobs index (finished-index.ts) and the shared Jobs view's read (recent-jobs.ts); the
 * stored shapes each have one codec (job-record.ts, event-entry.ts, coalescing-scope.ts).
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { randomBytes } from 'node:crypto';
import type { AdminKeys } from '~/server/redis/keys';
import { defineScripts } from '~/server/redis/scripts';
import { readFinished, type FinishedCursor, type FinishedIndexBounds } from './finished-index';
import { jobIdTime, readHistory } from './job-history';
import { readRecentJobs, type RecentQuery } from './recent-jobs';
import { createJobLeases, LEASE_SCRIPTS } from './job-leases';
import { createJobReads } from './job-reads';
import { LIFECYCLE_SCRIPTS } from './job-scripts';
import { createJobWrites } from './job-writes';
import type { HistoryQuery } from '../schema';

export { EVENTS_PAGE } from './job-reads';
export type { FinishedCursor, FinishedIndexBounds, FinishedPage } from './finished-index';

export interface JobStoreConfig {
  eventsMaxLen: number;
  retentionSeconds: number;
  /** COALESCE_WINDOW_MS: how long after a job sent its deletions a repeat of it waits (0: never). */
  coalesceWindowMs: number;
  /** What the finished-jobs index keeps, as its reader (the webhook sweep) needs it. */
  finishedIndex: FinishedIndexBounds;
}

export type JobStore = ReturnType<typeof createJobStore>;

/** Askers kept per job; `joined` still counts every one. */
export const MAX_ASKERS = 200;

/** Every script of the job store: defined on the admin connection, and on the catalog's when `started` rides in its MULTI. */
export const JOB_SCRIPTS = [...LIFECYCLE_SCRIPTS, ...LEASE_SCRIPTS];

/** Time-sortable: ids compare like their creation times, which the history index relies on. */
export function newJobId(now = Date.now()): string {
  return jobIdTime(now) + randomBytes(5).toString('hex');
}

export function createJobStore(redis: RedisClient, keys: AdminKeys, config: JobStoreConfig) {
  defineScripts(redis, JOB_SCRIPTS);
  return {
    multi: () => redis.multi(),
    ...createJobWrites(redis, keys, { ...config, maxAskers: MAX_ASKERS }),
    ...createJobLeases(redis, keys),
    ...createJobReads(redis, keys),
    history: (query: HistoryQuery, scanLimit?: number) => readHistory(redis, keys, query, scanLimit),
    /** The jobs that finished within `range` (ms), oldest end first, a page of `count` ids from `cursor` on. */
    finished: (range: { from: number; to: number }, cursor: FinishedCursor | null, count: number) => readFinished(redis, keys, range, cursor, count),
    recent: (query: RecentQuery) => readRecentJobs(redis, keys, query),
  };
}
