/**
 * Job records, their event streams, the history index, the pending index and the leases, all in
 * Redis under the admin prefix, so any app instance can answer for (and take over) any job. Each
 * write is one round trip: a script (job-scripts.ts) or a MULTI, so a record and its event never
 * disagree.
 */
// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { randomBytes } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Activity } from '~/server/activity/schema';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { callScript, defineScripts } from '~/server/redis/scripts';
import { jobNotFound } from './errors';
import { beginJob, claimExpired, createJob, finishJob, JOB_SCRIPTS, setLeases } from './job-scripts';
import type { Asker, HistoryPage, HistoryQuery, InvalidationRequest, JobEvent, JobRecord, StartResult, StoredEvent } from './schema';
import { askerSchema, jobEventSchema, jobRecordSchema } from './schema';
export interface JobStoreConfig {
  eventsMaxLen: number;
  retentionSeconds: number;
}
export type JobStore = ReturnType<typeof createJobStore>;

/** Events read per XRANGE: a job has a handful; the cap only bounds a runaway stream. */
export const EVENTS_PAGE = 500;
/** Askers kept per job; `joined` still counts every one. */
export const MAX_ASKERS = 200;

/** Time-sortable: ids compare like their creation times, which the history index relies on. */
export function newJobId(now = Date.now()): string {
  if (stryMutAct_9fa48("896")) {
    {}
  } else {
    stryCov_9fa48("896");
    return stryMutAct_9fa48("897") ? now.toString(36).padStart(9, '0') - randomBytes(5).toString('hex') : (stryCov_9fa48("897"), now.toString(36).padStart(9, stryMutAct_9fa48("898") ? "" : (stryCov_9fa48("898"), '0')) + randomBytes(5).toString(stryMutAct_9fa48("899") ? "" : (stryCov_9fa48("899"), 'hex')));
  }
}
const JSON_FIELDS = new Set(stryMutAct_9fa48("900") ? [] : (stryCov_9fa48("900"), [stryMutAct_9fa48("901") ? "" : (stryCov_9fa48("901"), 'request'), stryMutAct_9fa48("902") ? "" : (stryCov_9fa48("902"), 'actor'), stryMutAct_9fa48("903") ? "" : (stryCov_9fa48("903"), 'result'), stryMutAct_9fa48("904") ? "" : (stryCov_9fa48("904"), 'error'), stryMutAct_9fa48("905") ? "" : (stryCov_9fa48("905"), 'askers')]));

/** Record fields as hash fields: strings only (Lua would print large numbers in exponent form). */
function toHash(fields: Partial<JobRecord>): Record<string, string> {
  if (stryMutAct_9fa48("906")) {
    {}
  } else {
    stryCov_9fa48("906");
    const hash: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (stryMutAct_9fa48("907")) {
        {}
      } else {
        stryCov_9fa48("907");
        if (stryMutAct_9fa48("910") ? value === undefined && value === null : stryMutAct_9fa48("909") ? false : stryMutAct_9fa48("908") ? true : (stryCov_9fa48("908", "909", "910"), (stryMutAct_9fa48("912") ? value !== undefined : stryMutAct_9fa48("911") ? false : (stryCov_9fa48("911", "912"), value === undefined)) || (stryMutAct_9fa48("914") ? value !== null : stryMutAct_9fa48("913") ? false : (stryCov_9fa48("913", "914"), value === null)))) continue; // absent fields read back as null
        hash[name] = JSON_FIELDS.has(name) ? JSON.stringify(value) : String(value);
      }
    }
    return hash;
  }
}
function fromHash(hash: Record<string, string>, pendingEntry: string | null = null): JobRecord | null {
  if (stryMutAct_9fa48("915")) {
    {}
  } else {
    stryCov_9fa48("915");
    if (stryMutAct_9fa48("918") ? false : stryMutAct_9fa48("917") ? true : stryMutAct_9fa48("916") ? hash.id : (stryCov_9fa48("916", "917", "918"), !hash.id)) return null;
    const field = stryMutAct_9fa48("919") ? () => undefined : (stryCov_9fa48("919"), (() => {
      const field = (name: string) => stryMutAct_9fa48("920") ? hash[name] && null : (stryCov_9fa48("920"), hash[name] ?? null);
      return field;
    })());
    const num = stryMutAct_9fa48("921") ? () => undefined : (stryCov_9fa48("921"), (() => {
      const num = (name: string) => hash[name] ? Number(hash[name]) : null;
      return num;
    })());
    const json = stryMutAct_9fa48("922") ? () => undefined : (stryCov_9fa48("922"), (() => {
      const json = (name: string) => hash[name] ? JSON.parse(hash[name]) as unknown : null;
      return json;
    })());
    // Until the job starts, its askers live in the pending index (where joins are decided).
    const pending = pendingEntry ? JSON.parse(pendingEntry) as {
      askers: unknown;
      joined: number;
    } : null;
    const parsed = jobRecordSchema.safeParse(stryMutAct_9fa48("923") ? {} : (stryCov_9fa48("923"), {
      id: field(stryMutAct_9fa48("924") ? "" : (stryCov_9fa48("924"), 'id')),
      status: field(stryMutAct_9fa48("925") ? "" : (stryCov_9fa48("925"), 'status')),
      request: json(stryMutAct_9fa48("926") ? "" : (stryCov_9fa48("926"), 'request')),
      actor: json(stryMutAct_9fa48("927") ? "" : (stryCov_9fa48("927"), 'actor')),
      providersTotal: num(stryMutAct_9fa48("928") ? "" : (stryCov_9fa48("928"), 'providersTotal')),
      createdAt: num(stryMutAct_9fa48("929") ? "" : (stryCov_9fa48("929"), 'createdAt')),
      startedAt: num(stryMutAct_9fa48("930") ? "" : (stryCov_9fa48("930"), 'startedAt')),
      finishedAt: num(stryMutAct_9fa48("931") ? "" : (stryCov_9fa48("931"), 'finishedAt')),
      result: json(stryMutAct_9fa48("932") ? "" : (stryCov_9fa48("932"), 'result')),
      error: json(stryMutAct_9fa48("933") ? "" : (stryCov_9fa48("933"), 'error')),
      askers: stryMutAct_9fa48("934") ? (pending?.askers ?? json('askers')) && [] : (stryCov_9fa48("934"), (stryMutAct_9fa48("935") ? pending?.askers && json('askers') : (stryCov_9fa48("935"), (stryMutAct_9fa48("936") ? pending.askers : (stryCov_9fa48("936"), pending?.askers)) ?? json(stryMutAct_9fa48("937") ? "" : (stryCov_9fa48("937"), 'askers')))) ?? (stryMutAct_9fa48("938") ? ["Stryker was here"] : (stryCov_9fa48("938"), []))),
      joined: stryMutAct_9fa48("939") ? (pending?.joined ?? num('joined')) && 0 : (stryCov_9fa48("939"), (stryMutAct_9fa48("940") ? pending?.joined && num('joined') : (stryCov_9fa48("940"), (stryMutAct_9fa48("941") ? pending.joined : (stryCov_9fa48("941"), pending?.joined)) ?? num(stryMutAct_9fa48("942") ? "" : (stryCov_9fa48("942"), 'joined')))) ?? 0),
      attempt: stryMutAct_9fa48("943") ? num('attempt') && 1 : (stryCov_9fa48("943"), num(stryMutAct_9fa48("944") ? "" : (stryCov_9fa48("944"), 'attempt')) ?? 1)
    }));
    return parsed.success ? parsed.data : null;
  }
}

/** The scope as the create script compares it (see COVERS in job-scripts.ts). */
function scopeOf(request: InvalidationRequest, providers: string[]) {
  if (stryMutAct_9fa48("945")) {
    {}
  } else {
    stryCov_9fa48("945");
    return stryMutAct_9fa48("946") ? {} : (stryCov_9fa48("946"), {
      p: (stryMutAct_9fa48("949") ? request.providers !== 'all' : stryMutAct_9fa48("948") ? false : stryMutAct_9fa48("947") ? true : (stryCov_9fa48("947", "948", "949"), request.providers === (stryMutAct_9fa48("950") ? "" : (stryCov_9fa48("950"), 'all')))) ? stryMutAct_9fa48("951") ? "" : (stryCov_9fa48("951"), 'all') : stryMutAct_9fa48("952") ? [...providers] : (stryCov_9fa48("952"), (stryMutAct_9fa48("953") ? [] : (stryCov_9fa48("953"), [...providers])).sort()),
      t: request.cacheType,
      c: request.cascade ? 1 : 0,
      m: request.mode,
      f: (request as {
        refresh?: boolean;
      }).refresh ? 1 : 0
    });
  }
}
export function createJobStore(redis: Redis, keys: AdminKeys, config: JobStoreConfig) {
  if (stryMutAct_9fa48("954")) {
    {}
  } else {
    stryCov_9fa48("954");
    defineScripts(redis, JOB_SCRIPTS);
    const activity = stryMutAct_9fa48("955") ? () => undefined : (stryCov_9fa48("955"), (() => {
      const activity = (jobId: string, event: JobEvent) => JSON.stringify((stryMutAct_9fa48("956") ? {} : (stryCov_9fa48("956"), {
        kind: stryMutAct_9fa48("957") ? "" : (stryCov_9fa48("957"), 'job'),
        jobId,
        type: event.type,
        at: event.at
      })) satisfies Activity);
      return activity;
    })());
    const appendArgs = stryMutAct_9fa48("958") ? () => undefined : (stryCov_9fa48("958"), (() => {
      const appendArgs = (jobId: string, event: JobEvent) => stryMutAct_9fa48("959") ? [] : (stryCov_9fa48("959"), [JSON.stringify(event), activity(jobId, event), config.eventsMaxLen, keys.activity]);
      return appendArgs;
    })());

    /**
     * Records a new job (record, history, `queued`, pending scope, lease for `owner`) or joins a
     * pending job that covers the request: one round trip, decided atomically in Redis.
     */
    async function createOrJoin(record: JobRecord, providers: string[], asker: Asker, lease: {
      expiresAt: number;
      token: string;
    }): Promise<StartResult> {
      if (stryMutAct_9fa48("960")) {
        {}
      } else {
        stryCov_9fa48("960");
        const queued: JobEvent = stryMutAct_9fa48("961") ? {} : (stryCov_9fa48("961"), {
          type: stryMutAct_9fa48("962") ? "" : (stryCov_9fa48("962"), 'queued'),
          at: record.createdAt,
          providersTotal: record.providersTotal
        });
        const {
          askers: _askers,
          joined: _joined,
          ...fields
        } = record;
        const reply = (await callScript(redis, createJob, [keys.pendingJobs, keys.history, keys.jobLeases, keys.jobOwners, keys.job(record.id), keys.jobEvents(record.id)], [record.id, JSON.stringify(scopeOf(record.request, providers)), JSON.stringify(askerSchema.parse(asker)), JSON.stringify(toHash(fields)), JSON.stringify(queued), activity(record.id, queued), config.eventsMaxLen, keys.activity, lease.expiresAt, lease.token, MAX_ASKERS])) as [string, number];
        return stryMutAct_9fa48("963") ? {} : (stryCov_9fa48("963"), {
          jobId: reply[0],
          coalesced: stryMutAct_9fa48("966") ? Number(reply[1]) !== 1 : stryMutAct_9fa48("965") ? false : stryMutAct_9fa48("964") ? true : (stryCov_9fa48("964", "965", "966"), Number(reply[1]) === 1)
        });
      }
    }

    /** Queues the `started` write (fenced by the lease token) on a MULTI: see Prelude in engine.ts. */
    function queueBegin(multi: ChainableCommander, jobId: string, token: string, fields: Partial<JobRecord>, started: JobEvent): void {
      if (stryMutAct_9fa48("967")) {
        {}
      } else {
        stryCov_9fa48("967");
        callScript(multi, beginJob, stryMutAct_9fa48("968") ? [] : (stryCov_9fa48("968"), [keys.pendingJobs, keys.jobOwners, keys.job(jobId), keys.jobEvents(jobId)]), stryMutAct_9fa48("969") ? [] : (stryCov_9fa48("969"), [jobId, token, JSON.stringify(toHash(fields)), ...appendArgs(jobId, started)]));
      }
    }

    /** The terminal write, only if `token` still holds the lease. False if another runner owns the job. */
    async function finish(jobId: string, token: string, fields: Partial<JobRecord>, terminal: JobEvent): Promise<boolean> {
      if (stryMutAct_9fa48("970")) {
        {}
      } else {
        stryCov_9fa48("970");
        const reply = await callScript(redis, finishJob, stryMutAct_9fa48("971") ? [] : (stryCov_9fa48("971"), [keys.pendingJobs, keys.jobLeases, keys.jobOwners, keys.job(jobId), keys.jobEvents(jobId)]), stryMutAct_9fa48("972") ? [] : (stryCov_9fa48("972"), [jobId, token, JSON.stringify(toHash(fields)), ...appendArgs(jobId, terminal), config.retentionSeconds]));
        return stryMutAct_9fa48("975") ? Number(reply) !== 1 : stryMutAct_9fa48("974") ? false : stryMutAct_9fa48("973") ? true : (stryCov_9fa48("973", "974", "975"), Number(reply) === 1);
      }
    }

    /** A progress event between batches of a large plan (plain MULTI: losing one delays a bar, nothing else). */
    async function progress(jobId: string, event: JobEvent): Promise<void> {
      if (stryMutAct_9fa48("976")) {
        {}
      } else {
        stryCov_9fa48("976");
        const multi = redis.multi();
        multi.xadd(keys.jobEvents(jobId), stryMutAct_9fa48("977") ? "" : (stryCov_9fa48("977"), 'MAXLEN'), stryMutAct_9fa48("978") ? "" : (stryCov_9fa48("978"), '~'), config.eventsMaxLen, stryMutAct_9fa48("979") ? "" : (stryCov_9fa48("979"), '*'), stryMutAct_9fa48("980") ? "" : (stryCov_9fa48("980"), 'e'), JSON.stringify(event));
        multi.publish(keys.activity, activity(jobId, event));
        await execChecked(multi);
      }
    }

    /** Takes expired leases for `token`; returns each job id with the token that held it before. */
    async function claimExpiredLeases(now: number, expiresAt: number, token: string, limit: number): Promise<{
      jobId: string;
      previous: string;
    }[]> {
      if (stryMutAct_9fa48("981")) {
        {}
      } else {
        stryCov_9fa48("981");
        const flat = (await callScript(redis, claimExpired, [keys.jobLeases, keys.jobOwners], [now, expiresAt, token, limit])) as string[];
        const claimed = stryMutAct_9fa48("982") ? ["Stryker was here"] : (stryCov_9fa48("982"), []);
        for (let i = 0; stryMutAct_9fa48("985") ? i >= flat.length : stryMutAct_9fa48("984") ? i <= flat.length : stryMutAct_9fa48("983") ? false : (stryCov_9fa48("983", "984", "985"), i < flat.length); stryMutAct_9fa48("986") ? i -= 2 : (stryCov_9fa48("986"), i += 2)) claimed.push(stryMutAct_9fa48("987") ? {} : (stryCov_9fa48("987"), {
          jobId: flat[i] as string,
          previous: flat[i + 1] as string
        }));
        return claimed;
      }
    }

    /** Renews (or, with expiry 0, releases) held leases; returns the ids whose lease was lost. */
    async function setLeaseExpiry(expiresAt: number, held: [jobId: string, token: string][]): Promise<string[]> {
      if (stryMutAct_9fa48("988")) {
        {}
      } else {
        stryCov_9fa48("988");
        if (stryMutAct_9fa48("991") ? false : stryMutAct_9fa48("990") ? true : stryMutAct_9fa48("989") ? held.length : (stryCov_9fa48("989", "990", "991"), !held.length)) return stryMutAct_9fa48("992") ? ["Stryker was here"] : (stryCov_9fa48("992"), []);
        return (await callScript(redis, setLeases, [keys.jobLeases, keys.jobOwners], [expiresAt, ...held.flat()])) as string[];
      }
    }
    async function get(jobId: string): Promise<JobRecord> {
      if (stryMutAct_9fa48("993")) {
        {}
      } else {
        stryCov_9fa48("993");
        const pipeline = redis.pipeline();
        pipeline.hgetall(keys.job(jobId));
        pipeline.hget(keys.pendingJobs, jobId);
        const [hash, pending] = (await execChecked(pipeline)) as [Record<string, string>, string | null];
        const record = fromHash(hash, pending);
        if (stryMutAct_9fa48("996") ? false : stryMutAct_9fa48("995") ? true : stryMutAct_9fa48("994") ? record : (stryCov_9fa48("994", "995", "996"), !record)) throw jobNotFound(jobId);
        return record;
      }
    }

    /**
     * Opening a subscription: the record (NOT_FOUND if none) and the events after `afterId`
     * (exclusive), in one round trip.
     */
    async function open(jobId: string, afterId: string | null): Promise<{
      record: JobRecord;
      events: StoredEvent[];
    }> {
      if (stryMutAct_9fa48("997")) {
        {}
      } else {
        stryCov_9fa48("997");
        const pipeline = redis.pipeline();
        pipeline.hgetall(keys.job(jobId));
        pipeline.hget(keys.pendingJobs, jobId);
        pipeline.xrange(keys.jobEvents(jobId), afterId ? stryMutAct_9fa48("998") ? `` : (stryCov_9fa48("998"), `(${afterId}`) : stryMutAct_9fa48("999") ? "" : (stryCov_9fa48("999"), '-'), stryMutAct_9fa48("1000") ? "" : (stryCov_9fa48("1000"), '+'), stryMutAct_9fa48("1001") ? "" : (stryCov_9fa48("1001"), 'COUNT'), EVENTS_PAGE);
        const [hash, pending, entries] = (await execChecked(pipeline)) as [Record<string, string>, string | null, [string, string[]][]];
        const record = fromHash(hash, pending);
        if (stryMutAct_9fa48("1004") ? false : stryMutAct_9fa48("1003") ? true : stryMutAct_9fa48("1002") ? record : (stryCov_9fa48("1002", "1003", "1004"), !record)) throw jobNotFound(jobId);
        return stryMutAct_9fa48("1005") ? {} : (stryCov_9fa48("1005"), {
          record,
          events: entries.map(stryMutAct_9fa48("1006") ? () => undefined : (stryCov_9fa48("1006"), ([id, fields]) => toStoredEvent(id, fields)))
        });
      }
    }

    /** Events after `afterId` (exclusive), oldest first. */
    async function eventsAfter(jobId: string, afterId: string | null, count = EVENTS_PAGE): Promise<StoredEvent[]> {
      if (stryMutAct_9fa48("1007")) {
        {}
      } else {
        stryCov_9fa48("1007");
        const start = afterId ? stryMutAct_9fa48("1008") ? `` : (stryCov_9fa48("1008"), `(${afterId}`) : stryMutAct_9fa48("1009") ? "" : (stryCov_9fa48("1009"), '-');
        const entries = await redis.xrange(keys.jobEvents(jobId), start, stryMutAct_9fa48("1010") ? "" : (stryCov_9fa48("1010"), '+'), stryMutAct_9fa48("1011") ? "" : (stryCov_9fa48("1011"), 'COUNT'), count);
        return entries.map(stryMutAct_9fa48("1012") ? () => undefined : (stryCov_9fa48("1012"), ([id, fields]) => toStoredEvent(id, fields)));
      }
    }

    /**
     * Newest first, cursor = the last id of the previous page. Filters are applied to the records read,
     * scanning at most `scanLimit` ids per call; a page may then hold fewer items but still a cursor.
     */
    async function history(query: HistoryQuery, scanLimit = 500): Promise<HistoryPage> {
      if (stryMutAct_9fa48("1013")) {
        {}
      } else {
        stryCov_9fa48("1013");
        const items: JobRecord[] = stryMutAct_9fa48("1014") ? ["Stryker was here"] : (stryCov_9fa48("1014"), []);
        let cursor = stryMutAct_9fa48("1015") ? query.cursor && null : (stryCov_9fa48("1015"), query.cursor ?? null);
        let scanned = 0;
        while (stryMutAct_9fa48("1017") ? items.length < query.limit || scanned < scanLimit : stryMutAct_9fa48("1016") ? false : (stryCov_9fa48("1016", "1017"), (stryMutAct_9fa48("1020") ? items.length >= query.limit : stryMutAct_9fa48("1019") ? items.length <= query.limit : stryMutAct_9fa48("1018") ? true : (stryCov_9fa48("1018", "1019", "1020"), items.length < query.limit)) && (stryMutAct_9fa48("1023") ? scanned >= scanLimit : stryMutAct_9fa48("1022") ? scanned <= scanLimit : stryMutAct_9fa48("1021") ? true : (stryCov_9fa48("1021", "1022", "1023"), scanned < scanLimit)))) {
          if (stryMutAct_9fa48("1024")) {
            {}
          } else {
            stryCov_9fa48("1024");
            const want = stryMutAct_9fa48("1025") ? Math.max(Math.max(query.limit * 2, 20), scanLimit - scanned) : (stryCov_9fa48("1025"), Math.min(stryMutAct_9fa48("1026") ? Math.min(query.limit * 2, 20) : (stryCov_9fa48("1026"), Math.max(stryMutAct_9fa48("1027") ? query.limit / 2 : (stryCov_9fa48("1027"), query.limit * 2), 20)), stryMutAct_9fa48("1028") ? scanLimit + scanned : (stryCov_9fa48("1028"), scanLimit - scanned)));
            const ids = await redis.zrange(keys.history, cursor ? stryMutAct_9fa48("1029") ? `` : (stryCov_9fa48("1029"), `(${cursor}`) : stryMutAct_9fa48("1030") ? "" : (stryCov_9fa48("1030"), '+'), stryMutAct_9fa48("1031") ? "" : (stryCov_9fa48("1031"), '-'), stryMutAct_9fa48("1032") ? "" : (stryCov_9fa48("1032"), 'BYLEX'), stryMutAct_9fa48("1033") ? "" : (stryCov_9fa48("1033"), 'REV'), stryMutAct_9fa48("1034") ? "" : (stryCov_9fa48("1034"), 'LIMIT'), 0, want);
            if (stryMutAct_9fa48("1037") ? false : stryMutAct_9fa48("1036") ? true : stryMutAct_9fa48("1035") ? ids.length : (stryCov_9fa48("1035", "1036", "1037"), !ids.length)) return stryMutAct_9fa48("1038") ? {} : (stryCov_9fa48("1038"), {
              items,
              nextCursor: null
            });
            const pipeline = redis.pipeline();
            for (const id of ids) pipeline.hgetall(keys.job(id));
            pipeline.hmget(keys.pendingJobs, ...ids);
            const replies = stryMutAct_9fa48("1039") ? (await pipeline.exec()) && [] : (stryCov_9fa48("1039"), (await pipeline.exec()) ?? (stryMutAct_9fa48("1040") ? ["Stryker was here"] : (stryCov_9fa48("1040"), [])));
            const pendingEntries = (replies[ids.length]?.[1] ?? []) as (string | null)[];
            const expired: string[] = stryMutAct_9fa48("1041") ? ["Stryker was here"] : (stryCov_9fa48("1041"), []);
            for (const [i, id] of ids.entries()) {
              if (stryMutAct_9fa48("1042")) {
                {}
              } else {
                stryCov_9fa48("1042");
                stryMutAct_9fa48("1043") ? scanned -= 1 : (stryCov_9fa48("1043"), scanned += 1);
                cursor = id;
                const record = fromHash((replies[i]?.[1] ?? {}) as Record<string, string>, stryMutAct_9fa48("1044") ? pendingEntries[i] && null : (stryCov_9fa48("1044"), pendingEntries[i] ?? null));
                if (stryMutAct_9fa48("1047") ? false : stryMutAct_9fa48("1046") ? true : stryMutAct_9fa48("1045") ? record : (stryCov_9fa48("1045", "1046", "1047"), !record)) {
                  if (stryMutAct_9fa48("1048")) {
                    {}
                  } else {
                    stryCov_9fa48("1048");
                    expired.push(id);
                    continue;
                  }
                }
                if (stryMutAct_9fa48("1050") ? false : stryMutAct_9fa48("1049") ? true : (stryCov_9fa48("1049", "1050"), matches(record, query))) items.push(record);
                if (stryMutAct_9fa48("1053") ? items.length !== query.limit : stryMutAct_9fa48("1052") ? false : stryMutAct_9fa48("1051") ? true : (stryCov_9fa48("1051", "1052", "1053"), items.length === query.limit)) break;
              }
            }
            if (stryMutAct_9fa48("1055") ? false : stryMutAct_9fa48("1054") ? true : (stryCov_9fa48("1054", "1055"), expired.length)) await redis.zrem(keys.history, ...expired);
            if (stryMutAct_9fa48("1058") ? ids.length < want || items.length < query.limit : stryMutAct_9fa48("1057") ? false : stryMutAct_9fa48("1056") ? true : (stryCov_9fa48("1056", "1057", "1058"), (stryMutAct_9fa48("1061") ? ids.length >= want : stryMutAct_9fa48("1060") ? ids.length <= want : stryMutAct_9fa48("1059") ? true : (stryCov_9fa48("1059", "1060", "1061"), ids.length < want)) && (stryMutAct_9fa48("1064") ? items.length >= query.limit : stryMutAct_9fa48("1063") ? items.length <= query.limit : stryMutAct_9fa48("1062") ? true : (stryCov_9fa48("1062", "1063", "1064"), items.length < query.limit)))) return stryMutAct_9fa48("1065") ? {} : (stryCov_9fa48("1065"), {
              items,
              nextCursor: null
            });
          }
        }
        return stryMutAct_9fa48("1066") ? {} : (stryCov_9fa48("1066"), {
          items,
          nextCursor: cursor
        });
      }
    }

    /** Drops the lease of a job that no longer needs running (expired record, already finished). */
    async function forget(jobId: string): Promise<void> {
      if (stryMutAct_9fa48("1067")) {
        {}
      } else {
        stryCov_9fa48("1067");
        await execChecked(redis.multi().zrem(keys.jobLeases, jobId).hdel(keys.jobOwners, jobId).hdel(keys.pendingJobs, jobId));
      }
    }
    return stryMutAct_9fa48("1068") ? {} : (stryCov_9fa48("1068"), {
      multi: stryMutAct_9fa48("1069") ? () => undefined : (stryCov_9fa48("1069"), () => redis.multi()),
      createOrJoin,
      queueBegin,
      finish,
      forget,
      progress,
      claimExpiredLeases,
      setLeaseExpiry,
      get,
      open,
      eventsAfter,
      history
    });
  }
}
function matches(record: JobRecord, query: HistoryQuery): boolean {
  if (stryMutAct_9fa48("1070")) {
    {}
  } else {
    stryCov_9fa48("1070");
    if (stryMutAct_9fa48("1073") ? query.status || record.status !== query.status : stryMutAct_9fa48("1072") ? false : stryMutAct_9fa48("1071") ? true : (stryCov_9fa48("1071", "1072", "1073"), query.status && (stryMutAct_9fa48("1075") ? record.status === query.status : stryMutAct_9fa48("1074") ? true : (stryCov_9fa48("1074", "1075"), record.status !== query.status)))) return stryMutAct_9fa48("1076") ? true : (stryCov_9fa48("1076"), false);
    const providers = record.request.providers;
    if (stryMutAct_9fa48("1079") ? query.provider && providers !== 'all' || !providers.includes(query.provider) : stryMutAct_9fa48("1078") ? false : stryMutAct_9fa48("1077") ? true : (stryCov_9fa48("1077", "1078", "1079"), (stryMutAct_9fa48("1081") ? query.provider || providers !== 'all' : stryMutAct_9fa48("1080") ? true : (stryCov_9fa48("1080", "1081"), query.provider && (stryMutAct_9fa48("1083") ? providers === 'all' : stryMutAct_9fa48("1082") ? true : (stryCov_9fa48("1082", "1083"), providers !== (stryMutAct_9fa48("1084") ? "" : (stryCov_9fa48("1084"), 'all')))))) && (stryMutAct_9fa48("1085") ? providers.includes(query.provider) : (stryCov_9fa48("1085"), !providers.includes(query.provider))))) return stryMutAct_9fa48("1086") ? true : (stryCov_9fa48("1086"), false);
    return stryMutAct_9fa48("1087") ? false : (stryCov_9fa48("1087"), true);
  }
}
export function toStoredEvent(id: string, fields: string[]): StoredEvent {
  if (stryMutAct_9fa48("1088")) {
    {}
  } else {
    stryCov_9fa48("1088");
    const index = fields.indexOf(stryMutAct_9fa48("1089") ? "" : (stryCov_9fa48("1089"), 'e'));
    return stryMutAct_9fa48("1090") ? {} : (stryCov_9fa48("1090"), {
      id,
      event: jobEventSchema.parse(JSON.parse(stryMutAct_9fa48("1091") ? fields[index + 1] && 'null' : (stryCov_9fa48("1091"), fields[stryMutAct_9fa48("1092") ? index - 1 : (stryCov_9fa48("1092"), index + 1)] ?? (stryMutAct_9fa48("1093") ? "" : (stryCov_9fa48("1093"), 'null')))))
    });
  }
}