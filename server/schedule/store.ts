/**
 * Schedules in Redis under the admin prefix: definitions, next fire times and last runs.
 *
 * The claim: the `due` sorted set holds each schedule's next fire time. An instance that finds one
 * due swaps its score, atomically (CLAIM below), from the time it read to `now + lease`; only one
 * swap can match that time, so exactly one instance fires each period however many tick. The
 * winner starts the job, then ADVANCE moves the score to the next fire time and records the run.
 * If the winner dies in between, the score is a lease that expires: the schedule is due again and
 * whichever instance ticks next fires it (at worst the period runs twice, if the job was created
 * just before the crash; an invalidation is idempotent). `claims` remembers when the period was
 * due, so the run taken over still reports its own period. Cost: one round trip to find due
 * schedules, then two per fire (claim, advance) besides the job itself.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { scheduleDefinitionSchema, scheduleRunSchema, type Schedule, type ScheduleDefinition, type ScheduleRun } from './schema';

/**
 * KEYS: due, claims. ARGV: id, the score read, lease expiry. Returns the time the claimed period was
 * due (kept in `claims` across an expired claim taken over), or false when another instance won.
 */
const CLAIM = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  local due = redis.call('HGET', KEYS[2], ARGV[1])
  if not due then
    due = ARGV[2]
    redis.call('HSET', KEYS[2], ARGV[1], due)
  end
  return due
end
return false`;

/** KEYS: due, runs, definitions, claims. ARGV: id, lease expiry, next fire time, run (JSON). 1 if it moved the time. */
const ADVANCE = `
redis.call('HDEL', KEYS[4], ARGV[1])
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0`;

interface ScheduleScripts {
  claimSchedule(due: string, claims: string, id: string, expected: string, leaseUntil: number): Promise<string | null>;
  advanceSchedule(due: string, runs: string, defs: string, claims: string, id: string, leaseUntil: number, nextAt: number, run: string): Promise<number>;
}

export const newScheduleId = () => `s${randomBytes(6).toString('hex')}`;

export type ScheduleStore = ReturnType<typeof createScheduleStore>;

export function createScheduleStore(redis: Redis, keys: AdminKeys) {
  if (!('claimSchedule' in redis)) {
    redis.defineCommand('claimSchedule', { numberOfKeys: 2, lua: CLAIM });
    redis.defineCommand('advanceSchedule', { numberOfKeys: 4, lua: ADVANCE });
  }
  const scripts = redis as unknown as ScheduleScripts;

  async function list(): Promise<Schedule[]> {
    const [defs, due, runs] = (await execChecked(
      redis.pipeline().hgetall(keys.schedules).zrange(keys.scheduleDue, '0', '-1', 'WITHSCORES').hgetall(keys.scheduleRuns),
    )) as [Record<string, string>, string[], Record<string, string>];
    const nextAt = new Map<string, number>();
    for (let i = 0; i + 1 < due.length; i += 2) nextAt.set(due[i] as string, Number(due[i + 1]));
    return Object.values(defs)
      .map((raw) => scheduleDefinitionSchema.safeParse(JSON.parse(raw)))
      .flatMap((parsed) => (parsed.success ? [parsed.data] : []))
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((def) => ({ ...def, nextAt: nextAt.get(def.id) ?? null, lastRun: parseRun(runs[def.id]) }));
  }

  async function get(id: string): Promise<ScheduleDefinition | null> {
    const raw = await redis.hget(keys.schedules, id);
    const parsed = raw ? scheduleDefinitionSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  /** Saves the definition and its next fire time together (null: disabled, never due). */
  async function save(def: ScheduleDefinition, nextAt: number | null): Promise<void> {
    // A new timing starts afresh: a claim left by a dead instance must not report its old due time.
    const multi = redis.multi().hset(keys.schedules, def.id, JSON.stringify(def)).hdel(keys.scheduleClaims, def.id);
    if (nextAt === null) multi.zrem(keys.scheduleDue, def.id);
    else multi.zadd(keys.scheduleDue, nextAt, def.id);
    await execChecked(multi);
  }

  /** True when it existed. */
  async function remove(id: string): Promise<boolean> {
    const [removed] = (await execChecked(
      redis.multi().hdel(keys.schedules, id).zrem(keys.scheduleDue, id).hdel(keys.scheduleRuns, id).hdel(keys.scheduleClaims, id),
    )) as number[];
    return removed === 1;
  }

  /** Schedules due at `now`, with the score each was read at (what a claim must match). */
  async function due(now: number, limit = 50): Promise<{ id: string; score: string }[]> {
    const flat = await redis.zrangebyscore(keys.scheduleDue, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit);
    const found: { id: string; score: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) found.push({ id: flat[i] as string, score: flat[i + 1] as string });
    return found;
  }

  /** The time the claimed period was due, or null when another instance has it. */
  async function claim(id: string, score: string, leaseUntil: number): Promise<number | null> {
    const due = await scripts.claimSchedule(keys.scheduleDue, keys.scheduleClaims, id, score, leaseUntil);
    return due === null ? null : Number(due);
  }

  /** Records the run and moves the schedule to its next time, if this instance still holds the claim. */
  const advance = async (id: string, leaseUntil: number, nextAt: number, run: ScheduleRun) =>
    (await scripts.advanceSchedule(keys.scheduleDue, keys.scheduleRuns, keys.schedules, keys.scheduleClaims, id, leaseUntil, nextAt, JSON.stringify(run))) === 1;

  return { list, get, save, remove, due, claim, advance };
}

function parseRun(raw: string | undefined): ScheduleRun | null {
  if (!raw) return null;
  const parsed = scheduleRunSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}
