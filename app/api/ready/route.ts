/**
 * Readiness, for load balancers and deploys: 200 only when both Redis connections answer and this
 * instance accepts jobs; 503 with the reasons in words otherwise (shutting down, a Redis down).
 * `/api/health` stays the liveness check. Public: it reveals no data.
 */
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route('public', async (_req, { services }) => {
  const state = await services.readiness();
  return json(state, state.ready ? 200 : 503);
});
