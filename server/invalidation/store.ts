/**
 * Job records, their event streams and the history index, all in Redis under the admin prefix, so
 * any app instance can answer for any job. Each write is one MULTI: a record and its event never
 * disagree.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Activity } from '~/server/activity/schema';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { jobNotFound } from './errors';
import type { HistoryPage, HistoryQuery, JobEvent, JobRecord, StoredEvent } from './schema';
import { isTerminal, jobEventSchema, jobRecordSchema } from './schema';

export interface JobStoreConfig {
  eventsMaxLen: number;
  retentionSeconds: number;
}

export type JobStore = ReturnType<typeof createJobStore>;

/** Events read per XRANGE: a job has a handful; the cap only bounds a runaway stream. */
export const EVENTS_PAGE = 500;

/** Time-sortable: ids compare like their creation times, which the history index relies on. */
export function newJobId(now = Date.now()): string {
  return now.toString(36).padStart(9, '0') + randomBytes(5).toString('hex');
}

const JSON_FIELDS = new Set(['request', 'actor', 'result', 'error']);

function toHash(fields: Partial<JobRecord>): Record<string, string> {
  const hash: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue; // absent fields read back as null
    hash[name] = JSON_FIELDS.has(name) ? JSON.stringify(value) : String(value);
  }
  return hash;
}

function fromHash(hash: Record<string, string>): JobRecord | null {
  if (!hash.id) return null;
  const field = (name: string) => hash[name] ?? null;
  const num = (name: string) => (hash[name] ? Number(hash[name]) : null);
  const json = (name: string) => (hash[name] ? (JSON.parse(hash[name]) as unknown) : null);
  const parsed = jobRecordSchema.safeParse({
    id: field('id'),
    status: field('status'),
    request: json('request'),
    actor: json('actor'),
    providersTotal: num('providersTotal'),
    createdAt: num('createdAt'),
    startedAt: num('startedAt'),
    finishedAt: num('finishedAt'),
    result: json('result'),
    error: json('error'),
  });
  return parsed.success ? parsed.data : null;
}

export function createJobStore(redis: Redis, keys: AdminKeys, config: JobStoreConfig) {
  function queueEvent(multi: ReturnType<Redis['multi']>, jobId: string, event: JobEvent) {
    multi.xadd(keys.jobEvents(jobId), 'MAXLEN', '~', config.eventsMaxLen, '*', 'e', JSON.stringify(event));
    // Tell live views on every instance, in the same round trip.
    const activity: Activity = { kind: 'job', jobId, type: event.type, at: event.at };
    multi.publish(keys.activity, JSON.stringify(activity));
  }

  /** Writes the record, indexes it and appends `queued`, in one round trip. */
  async function create(record: JobRecord, queued: JobEvent): Promise<void> {
    const multi = redis.multi();
    multi.hset(keys.job(record.id), toHash(record));
    multi.zadd(keys.history, 0, record.id);
    queueEvent(multi, record.id, queued);
    await execChecked(multi);
  }

  /** Updates the record and appends the event that explains the update, in one round trip. */
  async function update(jobId: string, fields: Partial<JobRecord>, event: JobEvent): Promise<void> {
    const multi = redis.multi();
    if (Object.keys(fields).length) multi.hset(keys.job(jobId), toHash(fields));
    queueEvent(multi, jobId, event);
    if (isTerminal(event)) {
      // Finished jobs are kept for the retention period; the history index drops them lazily after.
      multi.expire(keys.job(jobId), config.retentionSeconds);
      multi.expire(keys.jobEvents(jobId), config.retentionSeconds);
    }
    await execChecked(multi);
  }

  async function get(jobId: string): Promise<JobRecord> {
    const record = fromHash(await redis.hgetall(keys.job(jobId)));
    if (!record) throw jobNotFound(jobId);
    return record;
  }

  /** Events after `afterId` (exclusive), oldest first. */
  async function eventsAfter(jobId: string, afterId: string | null, count = EVENTS_PAGE): Promise<StoredEvent[]> {
    const start = afterId ? `(${afterId}` : '-';
    const entries = await redis.xrange(keys.jobEvents(jobId), start, '+', 'COUNT', count);
    return entries.map(([id, fields]) => toStoredEvent(id, fields));
  }

  /**
   * Newest first, cursor = the last id of the previous page. Filters are applied to the records read,
   * scanning at most `scanLimit` ids per call; a page may then hold fewer items but still a cursor.
   */
  async function history(query: HistoryQuery, scanLimit = 500): Promise<HistoryPage> {
    const items: JobRecord[] = [];
    let cursor = query.cursor ?? null;
    let scanned = 0;
    while (items.length < query.limit && scanned < scanLimit) {
      const want = Math.min(Math.max(query.limit * 2, 20), scanLimit - scanned);
      const ids = await redis.zrange(keys.history, cursor ? `(${cursor}` : '+', '-', 'BYLEX', 'REV', 'LIMIT', 0, want);
      if (!ids.length) return { items, nextCursor: null };
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(keys.job(id));
      const replies = (await pipeline.exec()) ?? [];
      const expired: string[] = [];
      for (const [i, id] of ids.entries()) {
        scanned += 1;
        cursor = id;
        const record = fromHash((replies[i]?.[1] ?? {}) as Record<string, string>);
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

  return { create, update, get, eventsAfter, history };
}

function matches(record: JobRecord, query: HistoryQuery): boolean {
  if (query.status && record.status !== query.status) return false;
  const providers = record.request.providers;
  if (query.provider && providers !== 'all' && !providers.includes(query.provider)) return false;
  return true;
}

export function toStoredEvent(id: string, fields: string[]): StoredEvent {
  const index = fields.indexOf('e');
  return { id, event: jobEventSchema.parse(JSON.parse(fields[index + 1] ?? 'null')) };
}
