/**
 * Prometheus metrics of this instance, in the text exposition format: readable by an admin (token
 * or session) or with METRICS_TOKEN, a token good for nothing else. Counters are per instance.
 */
import { route } from '~/server/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route(
  'admin',
  async (_req, { services: { metrics } }) => new Response(await metrics.render(), { status: 200, headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' } }),
  { alsoBearer: (services) => services.env.METRICS_TOKEN },
);
