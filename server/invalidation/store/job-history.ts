/**
 * The history: a sorted set of time-sortable job ids (all scores 0, ordered by id), read newest
 * first with the last id of a page as the cursor (`ZRANGE … BYLEX REV`). Ids whose record has
 * expired are dropped from the index when read.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { AdminKeys } from '~/server/redis/keys';
import { decodeJobRecord } from './job-record';
import type { HistoryPage, HistoryQuery, JobRecord } from '../schema';

/** The time part of a job id: ids created at `ms` start with it, and sort like their times. */
export function jobIdTime(ms: number): string {
  return ms.toString(36).padStart(9, '0');
}

/**
 * The lex bounds of a history read, newest first: below the cursor and below `to`'s next
 * millisecond (exclusive), at or above `from`'s prefix. The date range costs no scanning.
 */
export function historyBounds(query: Pick<HistoryQuery, 'from' | 'to'>, cursor: string | null): { max: string; min: string } {
  const end = query.to === undefined ? null : jobIdTime(query.to + 1);
  const below = cursor !== null && (end === null || cursor < end) ? cursor : end;
  return { max: below === null ? '+' : `(${below}`, min: query.from === undefined ? '-' : `[${jobIdTime(query.from)}` };
}

/**
 * Newest first, cursor = the last id of the previous page. Filters are applied to the records read,
 * scanning at most `scanLimit` ids per call; a page may then hold fewer items but still a cursor.
 * Cost: two round trips per scan step (ids, then records with their pending entries).
 */
export async function readHistory(redis: RedisClient, keys: AdminKeys, query: HistoryQuery, scanLimit = 500): Promise<HistoryPage> {
  const items: JobRecord[] = [];
  let cursor = query.cursor ?? null;
  let scanned = 0;
  while (items.length < query.limit && scanned < scanLimit) {
    const want = Math.min(Math.max(query.limit * 2, 20), scanLimit - scanned);
    const { max, min } = historyBounds(query, cursor);
    const ids = await redis.zrange(keys.history, max, min, 'BYLEX', 'REV', 'LIMIT', 0, want);
    if (!ids.length) return { items, nextCursor: null };
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.job(id));
    pipeline.hmget(keys.pendingJobs, ...ids);
    const replies = (await pipeline.exec()) ?? [];
    const pendingEntries = (replies[ids.length]?.[1] ?? []) as (string | null)[];
    const expired: string[] = [];
    for (const [i, id] of ids.entries()) {
      scanned += 1;
      cursor = id;
      const record = decodeJobRecord((replies[i]?.[1] ?? {}) as Record<string, string>, pendingEntries[i] ?? null);
      if (!record) {
        expired.push(id);
        continue;
      }
      if (matches(record, query)) items.push(record);
      if (items.length === query.limit) break;
    }
    if (expired.length) await redis.zrem(keys.history, ...expired);
    if (ids.length < want && items.length < query.limit) return { items, nextCursor: null };
  }
  return { items, nextCursor: cursor };
}

function matches(record: JobRecord, query: HistoryQuery): boolean {
  if (query.status && record.status !== query.status) return false;
  if (query.jobId && !record.id.includes(query.jobId)) return false;
  const providers = record.request.providers;
  if (query.provider && providers !== 'all' && !providers.includes(query.provider)) return false;
  return true;
}
