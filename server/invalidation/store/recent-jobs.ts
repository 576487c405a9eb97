/**
 * The shared Jobs view's read: every job not yet finished (queued or running, whoever started it)
 * and those finished in the last window, newest first. Bounded and cheap: two round trips whatever
 * the history's size. The first reads the ids: the history index from the window's start (ids sort
 * by creation time, so `ZRANGE … BYLEX` stops there), the pending index (queued jobs) and the leases
 * (running jobs, however old); the second reads those records. Every key is in the `{jobs}` slot,
 * so each round trip is one pipeline to one node on a cluster too.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { decodeJobRecord } from './job-record';
import type { JobRecord } from '../schema';

export interface RecentQuery {
  now: number;
  /** Finished jobs older than this (by `finishedAt`) are left out. */
  windowMs: number;
  /** At most this many ids read from each index. */
  limit: number;
}

/** The smallest id created at `ms` or later (ids are the creation time in base 36, then random hex). */
export const idFloor = (ms: number) => Math.max(0, Math.floor(ms)).toString(36).padStart(9, '0');

export async function readRecentJobs(redis: RedisClient, keys: AdminKeys, { now, windowMs, limit }: RecentQuery): Promise<JobRecord[]> {
  // A job created before the window may have finished inside it: look back one more window for those.
  const floor = idFloor(now - 2 * windowMs);
  const [historyIds, pendingIds, leasedIds] = (await execChecked(
    redis
      .pipeline()
      .zrange(keys.history, '+', `[${floor}`, 'BYLEX', 'REV', 'LIMIT', 0, limit)
      .hkeys(keys.pendingJobs)
      .zrange(keys.jobLeases, '0', String(limit - 1)),
  )) as [string[], string[], string[]];
  const ids = [...new Set([...historyIds, ...pendingIds.slice(0, limit), ...leasedIds])];
  if (!ids.length) return [];

  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hgetall(keys.job(id));
  pipeline.hmget(keys.pendingJobs, ...ids);
  const replies = (await execChecked(pipeline)) as unknown[];
  const pending = replies[ids.length] as (string | null)[];
  const since = now - windowMs;
  const jobs: JobRecord[] = [];
  for (const i of ids.keys()) {
    const record = decodeJobRecord((replies[i] ?? {}) as Record<string, string>, pending[i] ?? null);
    if (!record) continue; // expired: the history's own read drops it from the index
    const unfinished = record.status === 'queued' || record.status === 'running';
    if (unfinished || (record.finishedAt ?? 0) >= since) jobs.push(record);
  }
  return jobs.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
