/**
 * The live participants, as the panel lists them: heartbeat younger than INSTANCE_TTL_MS. Entries
 * whose heartbeat is older than `forgetAfterMs` are removed by the same round trip (a script), so
 * a registry fed by restarts does not grow without end.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { instanceInfoSchema, type InstanceProtocolKeys } from '~/clients/node/instance-protocol';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';
import type { LiveInstance } from './schema';

/** Removes participants last seen before `before` from both the sorted set and the info hash. */
const forgetOld = luaScript({
  name: 'instancesForget',
  keys: ['live', 'info'],
  args: ['before'],
  lua: `local old = redis.call('ZRANGEBYSCORE', K.live, '-inf', A.before)
for _, id in ipairs(old) do redis.call('HDEL', K.info, id) end
redis.call('ZREMRANGEBYSCORE', K.live, '-inf', A.before)
return #old`,
});

export const INSTANCE_SCRIPTS = [forgetOld];

export function createInstanceRegistry({ redis, keys, ttlMs, forgetAfterMs = 3_600_000, now = Date.now }: { redis: RedisClient; keys: InstanceProtocolKeys; ttlMs: number; forgetAfterMs?: number; now?: () => number }) {
  defineScripts(redis, INSTANCE_SCRIPTS);
  /** Live participants, most recent heartbeat first, with what each reported. */
  async function list(): Promise<LiveInstance[]> {
    const at = now();
    const pipeline = redis.pipeline();
    callScript(pipeline, forgetOld, { live: keys.instancesLive, info: keys.instancesInfo }, { before: at - Math.max(forgetAfterMs, ttlMs) });
    pipeline.zrevrangebyscore(keys.instancesLive, '+inf', at - ttlMs, 'WITHSCORES');
    const replies = (await pipeline.exec()) ?? [];
    const [, liveReply] = replies;
    if (liveReply?.[0]) throw liveReply[0];
    const flat = (liveReply?.[1] as string[] | undefined) ?? [];
    const ids: string[] = [];
    const beats = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      ids.push(flat[i] as string);
      beats.set(flat[i] as string, Number(flat[i + 1]));
    }
    if (!ids.length) return [];
    const infos = await redis.hmget(keys.instancesInfo, ...ids);
    return ids.flatMap((id, i) => {
      const raw = infos[i];
      let parsed: LiveInstance | null = null;
      try {
        const result = raw ? instanceInfoSchema.safeParse(JSON.parse(raw)) : null;
        parsed = result?.success ? result.data : null;
      } catch {
        parsed = null;
      }
      // The sorted set's score is the heartbeat that counts; a participant without info still shows.
      const heartbeatAt = beats.get(id) ?? 0;
      return [parsed ? { ...parsed, heartbeatAt } : { id, kind: 'gateway' as const, version: 'unknown', since: heartbeatAt, heartbeatAt, entries: 0 }];
    });
  }
  return { list };
}
