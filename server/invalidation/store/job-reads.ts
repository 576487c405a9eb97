/**
 * Reading one job: its record (with its pending entry, where its askers live until it starts) and
 * its events after a given stream id. Each read is one round trip.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { jobNotFound } from '~/server/lib/errors';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { toStoredEvent } from './event-entry';
import { decodeJobRecord } from './job-record';
import type { JobRecord, StoredEvent } from '../schema';

/** Events read per XRANGE: a job has a handful; the cap only bounds a runaway stream. */
export const EVENTS_PAGE = 500;

export function createJobReads(redis: RedisClient, keys: AdminKeys) {
  async function get(jobId: string): Promise<JobRecord> {
    const pipeline = redis.pipeline();
    pipeline.hgetall(keys.job(jobId));
    pipeline.hget(keys.pendingJobs, jobId);
    const [hash, pending] = (await execChecked(pipeline)) as [Record<string, string>, string | null];
    const record = decodeJobRecord(hash, pending);
    if (!record) throw jobNotFound(jobId);
    return record;
  }

  /**
   * Opening a subscription: the record (NOT_FOUND if none) and the events after `afterId`
   * (exclusive), in one round trip.
   */
  async function open(jobId: string, afterId: string | null): Promise<{ record: JobRecord; events: StoredEvent[] }> {
    const pipeline = redis.pipeline();
    pipeline.hgetall(keys.job(jobId));
    pipeline.hget(keys.pendingJobs, jobId);
    pipeline.xrange(keys.jobEvents(jobId), afterId ? `(${afterId}` : '-', '+', 'COUNT', EVENTS_PAGE);
    const [hash, pending, entries] = (await execChecked(pipeline)) as [Record<string, string>, string | null, [string, string[]][]];
    const record = decodeJobRecord(hash, pending);
    if (!record) throw jobNotFound(jobId);
    return { record, events: entries.map(([id, fields]) => toStoredEvent(id, fields)) };
  }

  /** Events after `afterId` (exclusive), oldest first. */
  async function eventsAfter(jobId: string, afterId: string | null, count = EVENTS_PAGE): Promise<StoredEvent[]> {
    const start = afterId ? `(${afterId}` : '-';
    const entries = await redis.xrange(keys.jobEvents(jobId), start, '+', 'COUNT', count);
    return entries.map(([id, fields]) => toStoredEvent(id, fields));
  }

  return { get, open, eventsAfter };
}
