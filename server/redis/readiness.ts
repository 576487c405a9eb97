/**
 * Readiness (GET /api/ready): both Redis connections answer and the instance accepts jobs. The
 * reasons say what is missing, in words.
 */
import 'server-only';
import type { RedisClient } from './cluster';

export interface Readiness {
  ready: boolean;
  reasons: string[];
  redis: { admin: 'up' | 'down'; catalog: 'up' | 'down' };
  accepting: boolean;
}

export async function readinessOf(adminRedis: RedisClient, catalogRedis: RedisClient, accepting: boolean): Promise<Readiness> {
  const ping = (redis: RedisClient) => redis.ping().then(() => 'up' as const, () => 'down' as const);
  const [admin, catalog] = await Promise.all([ping(adminRedis), ping(catalogRedis)]);
  const reasons = [
    ...(accepting ? [] : ['shutting down: this instance accepts no new jobs']),
    ...(admin === 'up' ? [] : ['the admin Redis (REDIS_URL) does not answer']),
    ...(catalog === 'up' ? [] : ['the catalog Redis does not answer']),
  ];
  return { ready: reasons.length === 0, reasons, redis: { admin, catalog }, accepting };
}
