/**
 * The job lifecycle's Redis scripts. Every key they touch carries the `{jobs}` hash tag (keys.ts),
 * so each script is one slot on a cluster, and each costs one round trip. The record and pending
 * entry are written through their codec (job-record.ts), events through theirs (event-entry.ts),
 * the scope compared through its own (coalescing-scope.ts); the lease scripts live with the leases (job-leases.ts).
 *
 * - create: coalescing and the lease, in the round trip that answers the request. A request
 *   covered by a job that has not yet sent its deletions joins it (its asker is recorded);
 *   otherwise the job is recorded, indexed, its `queued` event appended and published, its scope
 *   added to the pending index, and its lease taken by the creating instance.
 * - begin: the `started` write, sent in the same MULTI as the first batch when the catalog shares
 *   the jobs' Redis. It leaves the pending index there, atomically with the deletions: a request
 *   that arrives after it starts a new job, so values rebuilt in between are dropped too.
 * - finish: the terminal write, fenced by the lease token: a runner that lost its lease (it was
 *   presumed dead and another took over) cannot write a second terminal event. It returns the
 *   finished record (0 when the lease was lost), so what is told of the job needs no second read.
 *   In the same script the job enters the finished-jobs index (scored by when it finished) and the
 *   index is trimmed to what its reader keeps (finished-index.ts): older than `keepMs` before this
 *   job's end, then the oldest beyond `maxJobs`. A job failed by the instance that took it over
 *   (worker.ts) ends through this script too, so no terminal write misses the index.
 */
import 'server-only';
import { AUDIT_APPEND_LUA } from '~/server/audit/trail';
import { GCRA_LUA } from '~/server/ratelimit/limiter';
import { luaScript } from '~/server/redis/scripts';
import { COVERS_LUA } from './coalescing-scope';
import { APPEND_EVENT_LUA } from './event-entry';
import { JOB_RECORD_LUA } from './job-record';

/** The arguments of an event append, in every script that appends one. */
const EVENT_ARGS = ['event', 'activity', 'maxlen', 'channel'] as const;

/**
 * Returns {jobId, coalesced (0|1), delay ms, refused wait ms}: a new job covered by one that sent
 * its deletions less than `windowMs` ago waits out the rest of that window (pending, so the rest of
 * a burst joins it). `asker`, `scope` and `fields` are JSON; `fields` as `encodeJobFields` made them.
 *
 * The rate limits (`cells`, in the `{jobs}` slot, with their GCRA `limits`) are decided here too,
 * after the coalescing (a request that joins a pending job costs nothing and is never refused) and
 * before anything is written: a refused request returns an empty id and the wait, a created job is
 * charged in the same script. So limits are exact however many requests race, and the click's
 * admission is this one round trip. With an `auditEntry`, the request's audit entry is appended here
 * as well, its outcome filled in (joined, created or refused): what the trail says is what happened.
 * Without one (schedules, the bench), `audit` is a key of the jobs' own slot, never written.
 */
export const createJob = luaScript({
  name: 'jobCreate',
  keys: ['pending', 'history', 'leases', 'owners', 'job', 'events', 'recent', 'audit'],
  restKeys: 'cells',
  args: ['id', 'scope', 'asker', 'fields', ...EVENT_ARGS, 'leaseExpiry', 'owner', 'maxAskers', 'now', 'windowMs', 'auditEntry', 'auditMaxLen', 'auditMinId'],
  restArgs: 'limits',
  lua: `${COVERS_LUA}
${APPEND_EVENT_LUA}
${JOB_RECORD_LUA}
${GCRA_LUA}
${AUDIT_APPEND_LUA}
local function audited(outcome, target, details)
  if A.auditEntry == '' then return end
  local entry = cjson.decode(A.auditEntry)
  entry.outcome = outcome
  entry.target = target
  for name, value in pairs(details) do entry.details[name] = value end
  appendAudit(K.audit, A.auditMaxLen, A.auditMinId, entry)
end
local scope = cjson.decode(A.scope)
local pending = redis.call('HGETALL', K.pending)
for i = 1, #pending, 2 do
  local entry = cjson.decode(pending[i + 1])
  if covers(entry.scope, scope) then
    redis.call('HSET', K.pending, pending[i], joinPending(entry, cjson.decode(A.asker), tonumber(A.maxAskers)))
    audited('success', pending[i], {jobId = pending[i], coalesced = true})
    return {pending[i], 1}
  end
end
if #K.cells > 0 then
  local allowed, wait = gcra(K.cells, A.limits, 'take')
  if allowed == 0 then
    local seconds = math.max(1, math.ceil(wait / 1000))
    audited('refused', cjson.null, {reason = 'rate limited', retryAfterSeconds = seconds})
    return {'', 0, 0, wait}
  end
end
local now, window, delay = tonumber(A.now), tonumber(A.windowMs), 0
local recent = redis.call('HGETALL', K.recent)
for i = 1, #recent, 2 do
  local entry = cjson.decode(recent[i + 1])
  if entry.sentAt + window <= now then
    redis.call('HDEL', K.recent, recent[i])
  elseif covers(entry.scope, scope) then
    delay = math.max(delay, entry.sentAt + window - now)
  end
end
writeRecord(K.job, A.fields)
redis.call('ZADD', K.history, 0, A.id)
append(K.events, A.maxlen, A.event, A.channel, A.activity)
redis.call('HSET', K.pending, A.id, pendingEntry(scope, cjson.decode(A.asker)))
redis.call('ZADD', K.leases, A.leaseExpiry, A.id)
redis.call('HSET', K.owners, A.id, A.owner)
audited('success', A.id, {jobId = A.id, coalesced = false})
return {A.id, 0, delay}`,
});

/**
 * Moves the askers from the pending index into the record and notes when the deletions were sent.
 * 1, or 0 if the lease is not ours (nothing written).
 */
export const beginJob = luaScript({
  name: 'jobBegin',
  keys: ['pending', 'owners', 'job', 'events', 'recent'],
  args: ['id', 'owner', 'fields', ...EVENT_ARGS, 'now'],
  lua: `${APPEND_EVENT_LUA}
${JOB_RECORD_LUA}
if redis.call('HGET', K.owners, A.id) ~= A.owner then return 0 end
leavePending(K.pending, A.id, K.job, A.fields, K.recent, A.now)
append(K.events, A.maxlen, A.event, A.channel, A.activity)
return 1`,
});

/**
 * The terminal write; the record and its events then expire after `retentionSeconds`. The finished
 * record, or 0 if the lease is not ours (nothing written, the index untouched).
 */
export const finishJob = luaScript({
  name: 'jobFinish',
  keys: ['pending', 'leases', 'owners', 'job', 'events', 'finished'],
  args: ['id', 'owner', 'fields', ...EVENT_ARGS, 'retentionSeconds', 'finishedAt', 'keepMs', 'maxJobs'],
  lua: `${APPEND_EVENT_LUA}
${JOB_RECORD_LUA}
if redis.call('HGET', K.owners, A.id) ~= A.owner then return 0 end
leavePending(K.pending, A.id, K.job, A.fields)
append(K.events, A.maxlen, A.event, A.channel, A.activity)
redis.call('EXPIRE', K.job, A.retentionSeconds)
redis.call('EXPIRE', K.events, A.retentionSeconds)
redis.call('ZREM', K.leases, A.id)
redis.call('HDEL', K.owners, A.id)
local finishedAt = tonumber(A.finishedAt)
redis.call('ZADD', K.finished, finishedAt, A.id)
redis.call('ZREMRANGEBYSCORE', K.finished, '-inf', '(' .. (finishedAt - tonumber(A.keepMs)))
redis.call('ZREMRANGEBYRANK', K.finished, 0, -(tonumber(A.maxJobs) + 1))
return redis.call('HGETALL', K.job)`,
});

export const LIFECYCLE_SCRIPTS = [createJob, beginJob, finishJob];
