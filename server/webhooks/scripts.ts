/**
 * The outbox's Lua, beside the store that calls it (store.ts). Every key is passed in; all share the
 * `{webhooks}` hash tag. What they guarantee:
 * - ENQUEUE is idempotent per delivery id (a repeated enqueue of the same job changes nothing).
 * - CLAIM moves each due delivery's score from "due" to "claimed until": one instance wins each
 *   (a second claim sees a future score), and a claimer that dies loses it when that time passes.
 * - RECORD writes an attempt only if the score is still the caller's claim: an instance that lost
 *   its claim (it stalled past the lease and another took over) cannot record over the new owner.
 * Not guaranteed: a receiver that answered 2xx to an instance that died before RECORD gets the same
 * delivery again after the lease (same webhook-id): at least once, deduplicated by id, as the
 * Standard Webhooks spec expects of receivers.
 */
import 'server-only';
import { luaScript } from '~/server/redis/scripts';

/** Stores a delivery (its fields as a flat field/value list) and makes it due. Returns 1 if new, 0 if it existed. */
export const enqueueDelivery = luaScript({
  name: 'webhookEnqueue',
  keys: ['due', 'delivery', 'jobDeliveries'],
  args: ['id', 'dueAt', 'retentionSeconds'],
  restArgs: 'fields',
  lua: `
if redis.call('EXISTS', K.delivery) == 1 then return 0 end
redis.call('HSET', K.delivery, unpack(A.fields))
redis.call('ZADD', K.due, A.dueAt, A.id)
redis.call('RPUSH', K.jobDeliveries, A.id)
redis.call('EXPIRE', K.jobDeliveries, A.retentionSeconds)
return 1
`,
});

/** Returns the ids due by `now` (at most `limit`); their score is now the claim (`claimUntil`). */
export const claimDeliveries = luaScript({
  name: 'webhookClaim',
  keys: ['due'],
  args: ['now', 'claimUntil', 'limit'],
  lua: `
local due = redis.call('ZRANGEBYSCORE', K.due, '-inf', A.now, 'LIMIT', 0, tonumber(A.limit))
for _, id in ipairs(due) do redis.call('ZADD', K.due, 'XX', A.claimUntil, id) end
return due
`,
});

/**
 * Records an attempt (JSON) with its outcome (delivered, retry, failed) only if the caller's claim
 * still holds. 1 if recorded, 0 if the claim was lost.
 */
export const recordAttempt = luaScript({
  name: 'webhookRecord',
  keys: ['due', 'delivery', 'attempts'],
  args: ['id', 'claim', 'attempt', 'outcome', 'nextAt', 'error', 'retentionSeconds'],
  lua: `
if redis.call('ZSCORE', K.due, A.id) ~= A.claim then return 0 end
redis.call('RPUSH', K.attempts, A.attempt)
if A.outcome == 'retry' then
  redis.call('ZADD', K.due, A.nextAt, A.id)
  redis.call('HSET', K.delivery, 'nextAt', A.nextAt)
  return 1
end
redis.call('ZREM', K.due, A.id)
redis.call('HSET', K.delivery, 'status', A.outcome, 'error', A.error)
redis.call('HDEL', K.delivery, 'nextAt', 'body')
redis.call('EXPIRE', K.delivery, A.retentionSeconds)
redis.call('EXPIRE', K.attempts, A.retentionSeconds)
return 1
`,
});

export const WEBHOOK_SCRIPTS = [enqueueDelivery, claimDeliveries, recordAttempt];
