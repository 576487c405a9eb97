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

/** KEYS: due, delivery, job list. ARGV: delivery id, due at, retention seconds, then field/value pairs. 1 if new. */
export const enqueueDelivery = luaScript(
  'webhookEnqueue',
  `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[3])
return 1
`,
);

/** KEYS: due. ARGV: now, claim until, limit. Returns the claimed ids; their score is now the claim. */
export const claimDeliveries = luaScript(
  'webhookClaim',
  `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id) end
return due
`,
);

/**
 * KEYS: due, delivery, attempts. ARGV: delivery id, claim, attempt JSON, outcome (delivered, retry,
 * failed), next due at, error, retention seconds. 1 if recorded, 0 if the claim was lost.
 */
export const recordAttempt = luaScript(
  'webhookRecord',
  `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('RPUSH', KEYS[3], ARGV[3])
if ARGV[4] == 'retry' then
  redis.call('ZADD', KEYS[1], ARGV[5], ARGV[1])
  redis.call('HSET', KEYS[2], 'nextAt', ARGV[5])
  return 1
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'status', ARGV[4], 'error', ARGV[6])
redis.call('HDEL', KEYS[2], 'nextAt', 'body')
redis.call('EXPIRE', KEYS[2], ARGV[7])
redis.call('EXPIRE', KEYS[3], ARGV[7])
return 1
`,
);

export const WEBHOOK_SCRIPTS = [enqueueDelivery, claimDeliveries, recordAttempt];
