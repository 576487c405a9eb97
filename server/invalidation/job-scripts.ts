/**
 * The job lifecycle's Redis scripts. Every key they touch carries the `{jobs}` hash tag (keys.ts),
 * so each script is one slot on a cluster, and each costs one round trip.
 *
 * - create: coalescing and the lease, in the round trip that answers the request. A request
 *   covered by a job that has not yet sent its deletions joins it (its asker is recorded);
 *   otherwise the job is recorded, indexed, its `queued` event appended and published, its scope
 *   added to the pending index, and its lease taken by the creating instance.
 * - begin: the `started` write, sent in the same MULTI as the first batch when the catalog shares
 *   the jobs' Redis. It leaves the pending index there, atomically with the deletions: a request
 *   that arrives after it starts a new job, so values rebuilt in between are dropped too.
 * - finish: the terminal write, fenced by the lease token: a runner that lost its lease (it was
 *   presumed dead and another took over) cannot write a second terminal event.
 * - claim / setLeases: takeover of expired leases; renewal (or release, expiry 0) of held ones.
 */
import 'server-only';
import { luaScript } from '~/server/redis/scripts';

/** True when pending job scope `j` covers request scope `r` (both decoded JSON). */
const COVERS = `local function covers(j, r)
  if j.m ~= r.m or j.c < r.c or j.f < r.f then return false end
  if j.t ~= r.t and j.t ~= 'all' then return false end
  if j.p == 'all' then return true end
  if r.p == 'all' then return false end
  local set = {}
  for _, p in ipairs(j.p) do set[p] = true end
  for _, p in ipairs(r.p) do if not set[p] then return false end end
  return true
end`;

/**
 * Appends an event to a job's stream and tells live views, with the new stream id and the event
 * itself in the message: a job stream following the channel yields it without reading the stream.
 * `activity` is a JSON object; its first character is dropped to splice the two fields in front.
 */
const APPEND = `local function append(stream, maxlen, event, channel, activity)
  local id = redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'e', event)
  redis.call('PUBLISH', channel, '{"id":' .. cjson.encode(id) .. ',"event":' .. cjson.encode(event) .. ',' .. string.sub(activity, 2))
end`;

/**
 * Leaves the pending index (no request can join any more) and writes the record's fields, with the
 * askers gathered there while the job was pending.
 */
const LEAVE_PENDING = `local function leavePending(pending, id, record, fieldsJson, recent, now)
  local entry = redis.call('HGET', pending, id)
  redis.call('HDEL', pending, id)
  local fields = cjson.decode(fieldsJson)
  if entry then
    local decoded = cjson.decode(entry)
    fields.askers = cjson.encode(decoded.askers)
    fields.joined = tostring(decoded.joined)
    if recent then redis.call('HSET', recent, id, cjson.encode({scope = decoded.scope, sentAt = tonumber(now)})) end
  end
  for name, value in pairs(fields) do redis.call('HSET', record, name, value) end
end`;

/**
 * KEYS: pending, history, leases, owners, job, events, recent.
 * ARGV: id, scope, asker, record fields (JSON object), queued event, activity, maxlen, channel,
 * lease expiry, owner token, max askers kept, now, repeat window ms. Returns {jobId, coalesced (0|1),
 * delay ms}: a new job covered by one that sent its deletions less than the window ago waits out
 * the rest of that window (pending, so the rest of a burst joins it).
 */
export const createJob = luaScript(
  'jobCreate',
  `${COVERS}
${APPEND}
local scope = cjson.decode(ARGV[2])
local pending = redis.call('HGETALL', KEYS[1])
for i = 1, #pending, 2 do
  local entry = cjson.decode(pending[i + 1])
  if covers(entry.scope, scope) then
    entry.joined = entry.joined + 1
    if #entry.askers < tonumber(ARGV[11]) then table.insert(entry.askers, cjson.decode(ARGV[3])) end
    redis.call('HSET', KEYS[1], pending[i], cjson.encode(entry))
    return {pending[i], 1}
  end
end
local now, window, delay = tonumber(ARGV[12]), tonumber(ARGV[13]), 0
local recent = redis.call('HGETALL', KEYS[7])
for i = 1, #recent, 2 do
  local entry = cjson.decode(recent[i + 1])
  if entry.sentAt + window <= now then
    redis.call('HDEL', KEYS[7], recent[i])
  elseif covers(entry.scope, scope) then
    delay = math.max(delay, entry.sentAt + window - now)
  end
end
local fields = cjson.decode(ARGV[4])
for name, value in pairs(fields) do redis.call('HSET', KEYS[5], name, value) end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
append(KEYS[6], ARGV[7], ARGV[5], ARGV[8], ARGV[6])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({scope = scope, askers = {cjson.decode(ARGV[3])}, joined = 0}))
redis.call('ZADD', KEYS[3], ARGV[9], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[10])
return {ARGV[1], 0, delay}`,
);

/**
 * KEYS: pending, owners, job, events, recent. ARGV: id, owner token, fields (JSON object), started
 * event, activity, maxlen, channel, now. Moves the askers from the pending index into the record and
 * notes when the deletions were sent. 1, or 0 if the lease is not ours (nothing written).
 */
export const beginJob = luaScript(
  'jobBegin',
  `${APPEND}
${LEAVE_PENDING}
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
leavePending(KEYS[1], ARGV[1], KEYS[3], ARGV[3], KEYS[5], ARGV[8])
append(KEYS[4], ARGV[6], ARGV[4], ARGV[7], ARGV[5])
return 1`,
);

/**
 * KEYS: pending, leases, owners, job, events. ARGV: id, owner token, fields (JSON object), terminal
 * event, activity, maxlen, channel, retention seconds. 1, or 0 if the lease is not ours.
 */
export const finishJob = luaScript(
  'jobFinish',
  `${APPEND}
${LEAVE_PENDING}
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
leavePending(KEYS[1], ARGV[1], KEYS[4], ARGV[3])
append(KEYS[5], ARGV[6], ARGV[4], ARGV[7], ARGV[5])
redis.call('EXPIRE', KEYS[4], ARGV[8])
redis.call('EXPIRE', KEYS[5], ARGV[8])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1`,
);

/**
 * KEYS: leases, owners. ARGV: now, new expiry, new token, limit. Takes every expired lease (up to
 * limit) for the caller; returns a flat list of {id, previous token}.
 */
export const claimExpired = luaScript(
  'jobClaimExpired',
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[4]))
local out = {}
for _, id in ipairs(ids) do
  table.insert(out, id)
  table.insert(out, redis.call('HGET', KEYS[2], id) or '')
  redis.call('ZADD', KEYS[1], ARGV[2], id)
  redis.call('HSET', KEYS[2], id, ARGV[3])
end
return out`,
);

/**
 * KEYS: leases, owners. ARGV: expiry, then id/token pairs. Sets the expiry of each lease still held
 * with that token (renewal; or 0 to release it for another instance at once). Returns the ids
 * whose lease was lost.
 */
export const setLeases = luaScript(
  'jobSetLeases',
  `local lost = {}
for i = 2, #ARGV, 2 do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[i + 1] then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost`,
);

export const JOB_SCRIPTS = [createJob, beginJob, finishJob, claimExpired, setLeases];
