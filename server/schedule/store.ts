/**
 * Schedules in Redis under the admin prefix: definitions, next fire times and last runs.
 *
 * The claim: the `due` sorted set holds each schedule's next fire time. An instance that finds one
 * due swaps its score, atomically (the claim script below), from the time it read to `now + lease`; only one
 * swap can match that time, so exactly one instance fires each period however many tick. The
 * winner starts the job, then the advance script moves the score to the next fire time and records the run.
 * If the winner dies in between, the score is a lease that expires: the schedule is due again and
 * whichever instance ticks next fires it (at worst the period runs twice, if the job was created
 * just before the crash; an invalidation is idempotent). `claims` remembers when the period was
 * due, so the run taken over still reports its own period. Cost: one round trip to find due
 * schedules, then two per fire (claim, advance) besides the job itself.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { randomBytes } from 'node:crypto';
import { execChecked } from '~/server/redis/exec';
import type { AdminKeys } from '~/server/redis/keys';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';
import { scheduleDefinitionSchema, scheduleRunSchema, type Schedule, type ScheduleDefinition, type ScheduleRun } from './schema';

/**
 * Swaps the score of `id` from `expected` (the score read) to `leaseUntil`. Returns the time the
 * claimed period was due (kept in `claims` across an expired claim taken over), or false when
 * another instance won.
 */
const claimScript = luaScript({
  name: 'claimSchedule',
  keys: ['due', 'claims'],
  args: ['id', 'expected', 'leaseUntil'],
  lua: `local score = redis.call('ZSCORE', K.due, A.id)
if score and tonumber(score) == tonumber(A.expected) then
  redis.call('ZADD', K.due, A.leaseUntil, A.id)
  local due = redis.call('HGET', K.claims, A.id)
  if not due then
    due = A.expected
    redis.call('HSET', K.claims, A.id, due)
  end
  return due
end
return false`,
});

/** Records the run and, if this instance's claim (`leaseUntil`) still holds, moves the score to `nextAt`. 1 if it moved the time. */
const advanceScript = luaScript({
  name: 'advanceSchedule',
  keys: ['due', 'runs', 'definitions', 'claims'],
  args: ['id', 'leaseUntil', 'nextAt', 'run'],
  lua: `redis.call('HDEL', K.claims, A.id)
if redis.call('HEXISTS', K.definitions, A.id) == 0 then return 0 end
redis.call('HSET', K.runs, A.id, A.run)
local score = redis.call('ZSCORE', K.due, A.id)
if score and tonumber(score) == tonumber(A.leaseUntil) then
  redis.call('ZADD', K.due, A.nextAt, A.id)
  return 1
end
return 0`,
});

export const SCHEDULE_SCRIPTS = [claimScript, advanceScript];

export const newScheduleId = () => `s${randomBytes(6).toString('hex')}`;

export type ScheduleStore = ReturnType<typeof createScheduleStore>;

export function createScheduleStore(redis: RedisClient, keys: AdminKeys) {
  defineScripts(redis, SCHEDULE_SCRIPTS);

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
    const due = (await callScript(redis, claimScript, { due: keys.scheduleDue, claims: keys.scheduleClaims }, { id, expected: score, leaseUntil })) as string | null;
    return due === null ? null : Number(due);
  }

  /** Records the run and moves the schedule to its next time, if this instance still holds the claim. */
  const advance = async (id: string, leaseUntil: number, nextAt: number, run: ScheduleRun) =>
    (await callScript(
      redis,
      advanceScript,
      { due: keys.scheduleDue, runs: keys.scheduleRuns, definitions: keys.schedules, claims: keys.scheduleClaims },
      { id, leaseUntil, nextAt, run: JSON.stringify(run) },
    )) === 1;

  return { list, get, save, remove, due, claim, advance };
}

function parseRun(raw: string | undefined): ScheduleRun | null {
  if (!raw) return null;
  const parsed = scheduleRunSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}
