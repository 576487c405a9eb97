/**
 * Job leases in Redis: `…{jobs}:leases` (job id → expiry, ms) and `…{jobs}:owners` (job id → the
 * token of the runner holding it, the fence of every job write). The create script takes a job's
 * first lease; the worker (../worker.ts) renews the ones it holds and takes over expired ones through
 * the scripts below, one round trip each.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { callScript, luaScript } from '~/server/redis/scripts';

/**
 * Takes every expired lease (up to `limit`) for the caller, with the new expiry and token; returns a
 * flat list of {id, previous token}.
 */
const claimExpired = luaScript({
  name: 'jobClaimExpired',
  keys: ['leases', 'owners'],
  args: ['now', 'expiresAt', 'token', 'limit'],
  lua: `local ids = redis.call('ZRANGEBYSCORE', K.leases, '-inf', A.now, 'LIMIT', 0, tonumber(A.limit))
local out = {}
for _, id in ipairs(ids) do
  table.insert(out, id)
  table.insert(out, redis.call('HGET', K.owners, id) or '')
  redis.call('ZADD', K.leases, A.expiresAt, id)
  redis.call('HSET', K.owners, id, A.token)
end
return out`,
});

/**
 * Sets the expiry of each lease in `held` (flat id/token pairs) still held with that token
 * (renewal; or 0 to release it for another instance at once). Returns the ids whose lease was lost.
 */
const setLeases = luaScript({
  name: 'jobSetLeases',
  keys: ['leases', 'owners'],
  args: ['expiresAt'],
  restArgs: 'held',
  lua: `local lost = {}
for i = 1, #A.held, 2 do
  local id, token = A.held[i], A.held[i + 1]
  if redis.call('HGET', K.owners, id) == token then
    redis.call('ZADD', K.leases, 'XX', A.expiresAt, id)
  else
    table.insert(lost, id)
  end
end
return lost`,
});

export const LEASE_SCRIPTS = [claimExpired, setLeases];

export function createJobLeases(redis: RedisClient, keys: AdminKeys) {
  const leaseKeys = { leases: keys.jobLeases, owners: keys.jobOwners };

  /** Takes expired leases for `token`; returns each job id with the token that held it before. */
  async function claimExpiredLeases(now: number, expiresAt: number, token: string, limit: number): Promise<{ jobId: string; previous: string }[]> {
    const flat = (await callScript(redis, claimExpired, leaseKeys, { now, expiresAt, token, limit })) as string[];
    const claimed = [];
    for (let i = 0; i < flat.length; i += 2) claimed.push({ jobId: flat[i] as string, previous: flat[i + 1] as string });
    return claimed;
  }

  /** Renews (or, with expiry 0, releases) held leases; returns the ids whose lease was lost. */
  async function setLeaseExpiry(expiresAt: number, held: [jobId: string, token: string][]): Promise<string[]> {
    if (!held.length) return [];
    return (await callScript(redis, setLeases, leaseKeys, { expiresAt, held: held.flat() })) as string[];
  }

  /** Drops the lease of a job that no longer needs running (expired record, already finished). */
  async function forget(jobId: string): Promise<void> {
    await execChecked(redis.multi().zrem(keys.jobLeases, jobId).hdel(keys.jobOwners, jobId).hdel(keys.pendingJobs, jobId));
  }

  return { claimExpiredLeases, setLeaseExpiry, forget };
}
