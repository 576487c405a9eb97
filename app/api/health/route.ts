/** Liveness and Redis reachability, for load balancers. Public: it reveals no data. */
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route('public', async (_req, { services: { adminRedis, catalogRedis } }) => {
  const ping = (redis: typeof adminRedis) => redis.ping().then(() => 'up' as const, () => 'down' as const);
  const [admin, catalog] = await Promise.all([ping(adminRedis), ping(catalogRedis)]);
  const ok = admin === 'up' && catalog === 'up';
  return json({ ok, redis: { admin, catalog } }, ok ? 200 : 503);
});
