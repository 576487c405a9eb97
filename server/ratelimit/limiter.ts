/**
 * Rate limits on Redis, atomic across instances: one Lua script per decision (GCRA, the "generic
 * cell rate algorithm"). Each cell stores one number, the theoretical arrival time (TAT); a limit of
 * `limit` per `windowMs` admits a burst of `limit` and then one every `windowMs / limit`.
 *
 * - `take` checks every cell given and charges all of them only if all allow: a request limited
 *   per actor and globally is never charged to one and refused by the other. One round trip.
 * - `refund` gives one unit back (a coalesced invalidation, which costs nothing).
 * - `peek` says whether a `take` would pass, without charging.
 * - `charge` takes one unit whatever the cells say (work already done must be paid for: the debt
 *   pushes the next requests back).
 *
 * The cells of one call must share a hash slot (keys.rateLimit tags them `{ratelimit}`). Time comes
 * from Redis (`TIME`), so instances with skewed clocks agree. Cells expire when they are back to
 * empty, so an idle limiter leaves nothing behind.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';

export interface Limit {
  key: string;
  limit: number;
  windowMs: number;
}

export interface Decision {
  allowed: boolean;
  /** When refused: how long until a `take` would pass. */
  retryAfterMs: number;
}

/**
 * Lua: `gcra(cells, limits, mode)`, the decision itself, for this module's script and for any script
 * that must decide a limit atomically with its own writes (the invalidation's create script).
 * `cells`: keys; `limits`: per cell, its emission interval (ms) then its window (ms); `mode`:
 * 'take', 'peek' or 'charge'. Returns allowed (1|0) and the wait in ms.
 */
export const GCRA_LUA = `local function gcra(cells, limits, mode)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local wait = 0
  local tats = {}
  for i, key in ipairs(cells) do
    local interval = tonumber(limits[i * 2 - 1])
    local window = tonumber(limits[i * 2])
    local tat = tonumber(redis.call('GET', key) or now)
    if tat < now then tat = now end
    local new_tat = tat + interval
    local allow_at = new_tat - window
    if allow_at > now and allow_at - now > wait then wait = allow_at - now end
    tats[i] = new_tat
  end
  if mode == 'peek' then return (wait > 0 and 0 or 1), wait end
  if wait > 0 and mode == 'take' then return 0, wait end
  for i, key in ipairs(cells) do
    redis.call('SET', key, tats[i], 'PX', math.max(1, tats[i] - now))
  end
  return 1, 0
end`;

/** Returns {allowed, retryAfterMs}; see GCRA_LUA. */
const gcra = luaScript({
  name: 'rateLimitGcra',
  keys: [],
  restKeys: 'cells',
  args: ['mode'],
  restArgs: 'limits',
  lua: `${GCRA_LUA}
local allowed, wait = gcra(K.cells, A.limits, A.mode)
return {allowed, wait}`,
});

/** A limit's arguments as GCRA_LUA takes them: its emission interval, then its window. */
export const gcraArgs = (limits: Limit[]) => limits.flatMap((l) => [emissionInterval(l), l.windowMs]);
const emissionInterval = (l: Limit) => Math.max(1, Math.ceil(l.windowMs / l.limit));

/** `cells`: one key per limit; `intervals`: the emission interval of each, given back. */
const refundScript = luaScript({
  name: 'rateLimitRefund',
  keys: [],
  restKeys: 'cells',
  args: [],
  restArgs: 'intervals',
  lua: `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, key in ipairs(K.cells) do
  local tat = tonumber(redis.call('GET', key))
  if tat then
    local back = tat - tonumber(A.intervals[i])
    if back <= now then redis.call('DEL', key) else redis.call('SET', key, back, 'PX', back - now) end
  end
end
return 1`,
});

export const LIMITER_SCRIPTS = [gcra, refundScript];

export type RateLimiter = ReturnType<typeof createRateLimiter>;

export function createRateLimiter(redis: RedisClient) {
  defineScripts(redis, LIMITER_SCRIPTS);
  async function run(limits: Limit[], mode: 'take' | 'peek' | 'charge'): Promise<Decision> {
    const [allowed, wait] = (await callScript(redis, gcra, { cells: limits.map((l) => l.key) }, { mode, limits: gcraArgs(limits) })) as [number, number];
    return { allowed: allowed === 1, retryAfterMs: Number(wait) };
  }

  return {
    take: (limits: Limit[]) => run(limits, 'take'),
    peek: (limits: Limit[]) => run(limits, 'peek'),
    charge: (limits: Limit[]) => run(limits, 'charge'),
    async refund(limits: Limit[]): Promise<void> {
      await callScript(redis, refundScript, { cells: limits.map((l) => l.key) }, { intervals: limits.map(emissionInterval) });
    },
    /** Forgets a cell (a successful sign-in clears that account's failures). */
    async reset(limits: Limit[]): Promise<void> {
      if (limits.length) await redis.del(...limits.map((l) => l.key));
    },
  };
}

/** Whole seconds for Retry-After, never 0 (a client told "0" would retry at once and be refused again). */
export const retryAfterSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
