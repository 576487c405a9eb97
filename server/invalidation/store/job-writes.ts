/**
 * The lifecycle writes of a job: create (or join), `started`, progress, the terminal write. Each is
 * one round trip, a script (job-scripts.ts) or a MULTI, so a record and its event never disagree;
 * `started` is queued on the caller's MULTI (see Prelude in ../engine.ts) and costs none of its own.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import type { ChainableCommander } from 'ioredis';
import type { Activity } from '~/server/activity/schema';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { callScript } from '~/server/redis/scripts';
import { encodeScope, scopeOf } from './coalescing-scope';
import { encodeEvent, EVENT_FIELD } from './event-entry';
import type { FinishedIndexBounds } from './finished-index';
import { decodeJobReply, encodeJobFields } from './job-record';
import type { PreparedAudit } from '~/server/audit/trail';
import { gcraArgs, type Limit } from '~/server/ratelimit/limiter';
import { beginJob, createJob, finishJob } from './job-scripts';
import type { Asker, JobEvent, JobRecord, StartResult } from '../schema';
import { askerSchema } from '../schema';

export interface JobWritesConfig {
  eventsMaxLen: number;
  retentionSeconds: number;
  /** COALESCE_WINDOW_MS: how long after a job sent its deletions a repeat of it waits (0: never). */
  coalesceWindowMs: number;
  /** Askers kept per job; `joined` still counts every one. */
  maxAskers: number;
  /** What the finished-jobs index keeps (trimmed in the terminal write): see finished-index.ts. */
  finishedIndex: FinishedIndexBounds;
}

export function createJobWrites(redis: RedisClient, keys: AdminKeys, config: JobWritesConfig) {
  const activity = (jobId: string, event: JobEvent) => JSON.stringify({ kind: 'job', jobId, type: event.type, at: event.at } satisfies Activity);
  const eventArgs = (jobId: string, event: JobEvent) => ({ event: encodeEvent(event), activity: activity(jobId, event), maxlen: config.eventsMaxLen, channel: keys.activity });

  /**
   * Records a new job (record, history, `queued`, pending scope, lease for `owner`) or joins a
   * pending job that covers the request: one round trip, decided atomically in Redis.
   */
  async function createOrJoin(
    record: JobRecord,
    providers: string[],
    asker: Asker,
    lease: { expiresAt: number; token: string },
    limits: Limit[] = [],
    audit?: PreparedAudit,
  ): Promise<StartResult & { delayMs: number; refusedForMs: number }> {
    const queued: JobEvent = { type: 'queued', at: record.createdAt, providersTotal: record.providersTotal };
    const { askers: _askers, joined: _joined, ...fields } = record;
    const reply = (await callScript(
      redis,
      createJob,
      {
        pending: keys.pendingJobs,
        history: keys.history,
        leases: keys.jobLeases,
        owners: keys.jobOwners,
        job: keys.job(record.id),
        events: keys.jobEvents(record.id),
        recent: keys.recentJobs,
        audit: audit?.key ?? keys.pendingJobs,
        cells: limits.map((l) => l.key),
      },
      {
        id: record.id,
        scope: encodeScope(scopeOf(record.request, providers)),
        asker: JSON.stringify(askerSchema.parse(asker)),
        fields: JSON.stringify(encodeJobFields(fields)),
        ...eventArgs(record.id, queued),
        leaseExpiry: lease.expiresAt,
        owner: lease.token,
        maxAskers: config.maxAskers,
        now: record.createdAt,
        windowMs: config.coalesceWindowMs,
        limits: gcraArgs(limits),
        auditEntry: audit?.entry ?? '',
        auditMaxLen: audit?.maxLength ?? 0,
        auditMinId: audit?.minId ?? 0,
      },
    )) as [string, number, number?, number?];
    return { jobId: reply[0], coalesced: Number(reply[1]) === 1, delayMs: Number(reply[2] ?? 0), refusedForMs: Number(reply[3] ?? 0) };
  }

  /** Queues the `started` write (fenced by the lease token) on a MULTI: see Prelude in ../engine.ts. */
  function queueBegin(multi: ChainableCommander, jobId: string, token: string, fields: Partial<JobRecord>, started: JobEvent): void {
    callScript(
      multi,
      beginJob,
      { pending: keys.pendingJobs, owners: keys.jobOwners, job: keys.job(jobId), events: keys.jobEvents(jobId), recent: keys.recentJobs },
      { id: jobId, owner: token, fields: JSON.stringify(encodeJobFields(fields)), ...eventArgs(jobId, started), now: started.at },
    );
  }

  /**
   * The terminal write, only if `token` still holds the lease: the finished record, or null if another
   * runner owns the job. The job enters the finished-jobs index at `fields.finishedAt` (the terminal
   * event's time if absent), in the same script.
   */
  async function finish(jobId: string, token: string, fields: Partial<JobRecord>, terminal: JobEvent): Promise<JobRecord | null> {
    const reply = await callScript(
      redis,
      finishJob,
      { pending: keys.pendingJobs, leases: keys.jobLeases, owners: keys.jobOwners, job: keys.job(jobId), events: keys.jobEvents(jobId), finished: keys.finishedJobs },
      {
        id: jobId,
        owner: token,
        fields: JSON.stringify(encodeJobFields(fields)),
        ...eventArgs(jobId, terminal),
        retentionSeconds: config.retentionSeconds,
        finishedAt: fields.finishedAt ?? terminal.at,
        keepMs: config.finishedIndex.keepMs,
        maxJobs: config.finishedIndex.maxJobs,
      },
    );
    return Array.isArray(reply) ? decodeJobReply(reply as string[]) : null;
  }

  /** A progress event between batches of a large plan (plain MULTI: losing one delays a bar, nothing else). */
  async function progress(jobId: string, event: JobEvent): Promise<void> {
    const multi = redis.multi();
    multi.xadd(keys.jobEvents(jobId), 'MAXLEN', '~', config.eventsMaxLen, '*', EVENT_FIELD, encodeEvent(event));
    multi.publish(keys.activity, activity(jobId, event));
    await execChecked(multi);
  }

  return { createOrJoin, queueBegin, finish, progress };
}
