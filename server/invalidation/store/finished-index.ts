/**
 * The finished-jobs index: a sorted set job id → when it finished (ms), in the `{jobs}` slot. The
 * terminal write's script (job-scripts.ts) adds the job and trims the index in the same round trip,
 * to the bounds its reader asked for (`FinishedIndexBounds`), so the index never outgrows them.
 *
 * Read oldest first by a score range, a page at a time. The cursor is the last score read and the
 * ids read at that score (ties are rare, jobs ending in the same millisecond), not an offset: a trim
 * (which removes the oldest) between two pages then skips nothing that is still in the index. Ids
 * that enter the range behind the cursor (a job whose end was stamped before a slower one's) are
 * read by the next sweep.
 * Cost: two round trips per page (the ids, then their records in one pipeline).
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { decodeJobRecord } from './job-record';
import type { JobRecord } from '../schema';

/** What the index keeps: jobs that ended within `keepMs` of the newest end, at most `maxJobs` (the newest). */
export interface FinishedIndexBounds {
  keepMs: number;
  maxJobs: number;
}

/** Where the next page starts: at score `from`, leaving out the ids already read at that score. */
export interface FinishedCursor {
  from: number;
  seen: string[];
}

export interface FinishedPage {
  /** The records of the page's jobs, oldest end first (a job whose record has expired is left out). */
  records: JobRecord[];
  /** Null when the range has no more ids. */
  next: FinishedCursor | null;
}

/** The jobs that finished within [from, to] (ms, inclusive), `count` ids per page, from `cursor` on. */
export async function readFinished(
  redis: RedisClient,
  keys: AdminKeys,
  range: { from: number; to: number },
  cursor: FinishedCursor | null,
  count: number,
): Promise<FinishedPage> {
  const from = cursor?.from ?? range.from;
  const seen = new Set(cursor?.seen ?? []);
  if (from > range.to) return { records: [], next: null };
  // Reading as many more as were already read at `from` gives a full page of unread ids whenever there is one.
  const limit = count + seen.size;
  const flat = (await redis.zrange(keys.finishedJobs, from, String(range.to), 'BYSCORE', 'LIMIT', 0, limit, 'WITHSCORES')) as string[];
  const ids: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const id = flat[i] as string;
    if (seen.has(id)) continue;
    ids.push(id);
    scores.push(Number(flat[i + 1]));
  }
  const last = scores[scores.length - 1];
  // A full read may have more behind it; the next page starts at its last score, leaving out what was read there.
  const atLast = ids.filter((_, i) => scores[i] === last);
  const next = last !== undefined && flat.length === 2 * limit ? { from: last, seen: last === from ? [...seen, ...atLast] : atLast } : null;
  if (!ids.length) return { records: [], next };
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hgetall(keys.job(id));
  const hashes = (await execChecked(pipeline)) as Record<string, string>[];
  const records = hashes.map((hash) => decodeJobRecord(hash, null)).filter((record): record is JobRecord => record !== null);
  return { records, next };
}
