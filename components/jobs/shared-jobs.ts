/**
 * The shared Jobs view as plain data (tests/components/shared-jobs.test.ts): who started a job in
 * a word, a job record as a panel's state, and this tab's jobs merged with everyone's.
 */
import type { Actor, JobRecord, RecentJob } from '~/server/invalidation/schema';
import type { TrackedJob } from './job-store';
import type { InvalidationState } from './use-invalidation';

/** "you", "ana", "token ci-deploy", "admin", "a schedule": short enough for a panel's meta line. */
export function actorWords(actor: Actor, mine: boolean): string {
  if (mine) return 'you';
  if (actor.kind === 'schedule') return 'a schedule';
  if (actor.bootstrap) return actor.kind === 'token' ? 'admin (API token)' : 'admin';
  if (actor.tokenName) return `token ${actor.tokenName}`;
  return actor.username ?? actor.label;
}

export const isUnfinished = (record: Pick<JobRecord, 'status'>) => record.status === 'queued' || record.status === 'running';

/** The record as the panel's frame reads a job of this tab. */
export function trackedOf(record: JobRecord): TrackedJob {
  const { request } = record;
  return {
    key: record.id,
    jobId: record.id,
    scope: request.providers,
    cacheType: request.cacheType,
    cascade: request.cascade,
    refresh: request.refresh,
    mode: request.mode,
    createdAt: record.createdAt,
    status: record.status,
  };
}

/** What a record says of its job, as a live panel's state (a finished job needs no stream). */
export function recordState(record: JobRecord): InvalidationState {
  const { result, error } = record;
  return {
    jobId: record.id,
    status: record.status,
    percent: record.status === 'completed' ? 100 : 0,
    providersDone: result?.providersInvalidated ?? 0,
    providersTotal: record.providersTotal,
    keysDeleted: result?.keysDeleted ?? 0,
    keysPlanned: null,
    result,
    failure: error,
    refresh: result?.refresh ?? [],
    refreshing: false,
    endedAt: record.finishedAt,
    events: [],
    connection: 'idle',
    error: error ? { message: error.message } : null,
    connectionNote: null,
  };
}

export type ListedJob = { kind: 'tab'; job: TrackedJob; at: number } | { kind: 'shared'; record: RecentJob; at: number };

/** Finished jobs of others shown at most; running ones always. The History page has the rest. */
export const MAX_FINISHED_SHARED = 10;

/**
 * This tab's jobs (richer: they exist before the server answers) and everyone's recent jobs not
 * among them, newest first; finished ones leave after `windowMs`, or when dismissed here.
 */
export function mergeJobs(tab: readonly TrackedJob[], recent: readonly RecentJob[], dismissed: ReadonlySet<string>, now: number, windowMs: number): ListedJob[] {
  const inTab = new Set(tab.map((j) => j.jobId).filter(Boolean));
  let finished = 0;
  const shared: ListedJob[] = [];
  for (const record of recent) {
    if (inTab.has(record.id) || dismissed.has(record.id)) continue;
    if (!isUnfinished(record)) {
      if ((record.finishedAt ?? 0) < now - windowMs || finished >= MAX_FINISHED_SHARED) continue;
      finished += 1;
    }
    shared.push({ kind: 'shared', record, at: record.createdAt });
  }
  const own: ListedJob[] = tab.map((job) => ({ kind: 'tab', job, at: job.jobId ? job.createdAt : Number.MAX_SAFE_INTEGER }));
  return [...own, ...shared].sort((a, b) => b.at - a.at);
}
