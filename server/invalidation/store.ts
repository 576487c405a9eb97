/**
 * Job records, their event streams, the history index, the pending index and the leases, all in
 * Redis under the admin prefix, so any app instance can answer for (and take over) any job. Each
 * write is one round trip: a script (job-scripts.ts) or a MULTI, so a record and its event never
 * disagree.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Activity } from '~/server/activity/schema';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { callScript, defineScripts } from '~/server/redis/scripts';
import { jobNotFound } from '~/server/lib/errors';
import { beginJob, claimExpired, createJob, finishJob, JOB_SCRIPTS, setLeases } from './job-scripts';
import type { Asker, HistoryPage, HistoryQuery, InvalidationRequest, JobEvent, JobRecord, StartResult, StoredEvent } from './schema';
import { askerSchema, jobEventSchema, jobRecordSchema } from './schema';

export interface JobStoreConfig {
  eventsMaxLen: number;
  retentionSeconds: number;
  /** COALESCE_WINDOW_MS: how long after a job sent its deletions a repeat of it waits (0: never). */
  coalesceWindowMs: number;
}

export type JobStore = ReturnType<typeof createJobStore>;

/** Events read per XRANGE: a job has a handful; the cap only bounds a runaway stream. */
export const EVENTS_PAGE = 500;
/** Askers kept per job; `joined` still counts every one. */
export const MAX_ASKERS = 200;

/** Time-sortable: ids compare like their creation times, which the history index relies on. */
export function newJobId(now = Date.now()): string {
  return now.toString(36).padStart(9, '0') + randomBytes(5).toString('hex');
}

const JSON_FIELDS = new Set(['request', 'actor', 'result', 'error', 'askers']);

/** Record fields as hash fields: strings only (Lua would print large numbers in exponent form). */
function toHash(fields: Partial<JobRecord>): Record<string, string> {
  const hash: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue; // absent fields read back as null
    hash[name] = JSON_FIELDS.has(name) ? JSON.stringify(value) : String(value);
  }
  return hash;
}

function fromHash(hash: Record<string, string>, pendingEntry: string | null = null): JobRecord | null {
  if (!hash.id) return null;
  const field = (name: string) => hash[name] ?? null;
  const num = (name: string) => (hash[name] ? Number(hash[name]) : null);
  const json = (name: string) => (hash[name] ? (JSON.parse(hash[name]) as unknown) : null);
  // Until the job starts, its askers live in the pending index (where joins are decided).
  const pending = pendingEntry ? (JSON.parse(pendingEntry) as { askers: unknown; joined: number }) : null;
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
    askers: pending?.askers ?? json('askers') ?? [],
    joined: pending?.joined ?? num('joined') ?? 0,
    attempt: num('attempt') ?? 1,
  });
  return parsed.success ? parsed.data : null;
}

/** The scope as the create script compares it (see COVERS in job-scripts.ts). */
function scopeOf(request: InvalidationRequest, providers: string[]) {
  return {
    p: request.providers === 'all' ? 'all' : [...providers].sort(),
    t: request.cacheType,
    c: request.cascade ? 1 : 0,
    m: request.mode,
    f: (request as { refresh?: boolean }).refresh ? 1 : 0,
  };
}

export function createJobStore(redis: Redis, keys: AdminKeys, config: JobStoreConfig) {
  defineScripts(redis, JOB_SCRIPTS);
  const activity = (jobId: string, event: JobEvent) => JSON.stringify({ kind: 'job', jobId, type: event.type, at: event.at } satisfies Activity);
  const appendArgs = (jobId: string, event: JobEvent) => [JSON.stringify(event), activity(jobId, event), config.eventsMaxLen, keys.activity];

  /**
   * Records a new job (record, history, `queued`, pending scope, lease for `owner`) or joins a
   * pending job that covers the request: one round trip, decided atomically in Redis.
   */
  async function createOrJoin(record: JobRecord, providers: string[], asker: Asker, lease: { expiresAt: number; token: string }): Promise<StartResult & { delayMs: number }> {
    const queued: JobEvent = { type: 'queued', at: record.createdAt, providersTotal: record.providersTotal };
    const { askers: _askers, joined: _joined, ...fields } = record;
    const reply = (await callScript(
      redis,
      createJob,
      [keys.pendingJobs, keys.history, keys.jobLeases, keys.jobOwners, keys.job(record.id), keys.jobEvents(record.id), keys.recentJobs],
      [
        ...[record.id, JSON.stringify(scopeOf(record.request, providers)), JSON.stringify(askerSchema.parse(asker)), JSON.stringify(toHash(fields))],
        ...[JSON.stringify(queued), activity(record.id, queued), config.eventsMaxLen, keys.activity, lease.expiresAt, lease.token, MAX_ASKERS],
        ...[record.createdAt, config.coalesceWindowMs],
      ],
    )) as [string, number, number?];
    return { jobId: reply[0], coalesced: Number(reply[1]) === 1, delayMs: Number(reply[2] ?? 0) };
  }

  /** Queues the `started` write (fenced by the lease token) on a MULTI: see Prelude in engine.ts. */
  function queueBegin(multi: ChainableCommander, jobId: string, token: string, fields: Partial<JobRecord>, started: JobEvent): void {
    callScript(multi, beginJob, [keys.pendingJobs, keys.jobOwners, keys.job(jobId), keys.jobEvents(jobId), keys.recentJobs], [jobId, token, JSON.stringify(toHash(fields)), ...appendArgs(jobId, started), started.at]);
  }

  /** The terminal write, only if `token` still holds the lease. False if another runner owns the job. */
  async function finish(jobId: string, token: string, fields: Partial<JobRecord>, terminal: JobEvent): Promise<boolean> {
    const reply = await callScript(
      redis,
      finishJob,
      [keys.pendingJobs, keys.jobLeases, keys.jobOwners, keys.job(jobId), keys.jobEvents(jobId)],
      [jobId, token, JSON.stringify(toHash(fields)), ...appendArgs(jobId, terminal), config.retentionSeconds],
    );
    return Number(reply) === 1;
  }

  /** A progress event between batches of a large plan (plain MULTI: losing one delays a bar, nothing else). */
  async function progress(jobId: string, event: JobEvent): Promise<void> {
    const multi = redis.multi();
    multi.xadd(keys.jobEvents(jobId), 'MAXLEN', '~', config.eventsMaxLen, '*', 'e', JSON.stringify(event));
    multi.publish(keys.activity, activity(jobId, event));
    await execChecked(multi);
  }

  /** Takes expired leases for `token`; returns each job id with the token that held it before. */
  async function claimExpiredLeases(now: number, expiresAt: number, token: string, limit: number): Promise<{ jobId: string; previous: string }[]> {
    const flat = (await callScript(redis, claimExpired, [keys.jobLeases, keys.jobOwners], [now, expiresAt, token, limit])) as string[];
    const claimed = [];
    for (let i = 0; i < flat.length; i += 2) claimed.push({ jobId: flat[i] as string, previous: flat[i + 1] as string });
    return claimed;
  }

  /** Renews (or, with expiry 0, releases) held leases; returns the ids whose lease was lost. */
  async function setLeaseExpiry(expiresAt: number, held: [jobId: string, token: string][]): Promise<string[]> {
    if (!held.length) return [];
    return (await callScript(redis, setLeases, [keys.jobLeases, keys.jobOwners], [expiresAt, ...held.flat()])) as string[];
  }

  async function get(jobId: string): Promise<JobRecord> {
    const pipeline = redis.pipeline();
    pipeline.hgetall(keys.job(jobId));
    pipeline.hget(keys.pendingJobs, jobId);
    const [hash, pending] = (await execChecked(pipeline)) as [Record<string, string>, string | null];
    const record = fromHash(hash, pending);
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
    const record = fromHash(hash, pending);
    if (!record) throw jobNotFound(jobId);
    return { record, events: entries.map(([id, fields]) => toStoredEvent(id, fields)) };
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
      pipeline.hmget(keys.pendingJobs, ...ids);
      const replies = (await pipeline.exec()) ?? [];
      const pendingEntries = (replies[ids.length]?.[1] ?? []) as (string | null)[];
      const expired: string[] = [];
      for (const [i, id] of ids.entries()) {
        scanned += 1;
        cursor = id;
        const record = fromHash((replies[i]?.[1] ?? {}) as Record<string, string>, pendingEntries[i] ?? null);
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

  /** Drops the lease of a job that no longer needs running (expired record, already finished). */
  async function forget(jobId: string): Promise<void> {
    await execChecked(redis.multi().zrem(keys.jobLeases, jobId).hdel(keys.jobOwners, jobId).hdel(keys.pendingJobs, jobId));
  }

  return { multi: () => redis.multi(), createOrJoin, queueBegin, finish, forget, progress, claimExpiredLeases, setLeaseExpiry, get, open, eventsAfter, history };
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
