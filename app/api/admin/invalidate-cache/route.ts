/**
 * The old endpoint, kept for scripts: `POST /api/admin/invalidate-cache?cache_type=models|all
 * [&providers=a,b][&cascade=false][&mode=soft][&refresh=true]` answers 202 at once with the job's id and where to poll it.
 * Admins only; rate limited (429 + Retry-After) and audited like the tRPC mutation.
 */
import { z } from 'zod';
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';
import { invalidationRequestSchema } from '~/server/invalidation/schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const querySchema = z.object({
  cache_type: z.enum(['models', 'all']).default('models'),
  providers: z.string().max(100_000, 'providers is longer than 100,000 characters').optional(),
  cascade: z.enum(['true', 'false']).default('true'),
  mode: z.enum(['delete', 'soft']).default('delete'),
  /** Refresh and verify after the deletions (absent: the mode's default). */
  refresh: z.enum(['true', 'false']).optional(),
});

export const POST = route('admin', async (req, { principal, info, services }) => {
  const url = new URL(req.url);
  const query = querySchema.parse(Object.fromEntries(url.searchParams));
  const request = invalidationRequestSchema.parse({
    providers: query.providers === undefined ? 'all' : query.providers.split(',').map((p) => p.trim()),
    cacheType: query.cache_type,
    cascade: query.cascade === 'true',
    mode: query.mode,
    refresh: query.refresh === undefined ? undefined : query.refresh === 'true',
  });
  // A request covered by a job that has not yet sent its deletions joins it: same 202, that job's URL.
  const { jobId, coalesced } = await services.admitInvalidation(request, principal, 'rest', info);
  const statusUrl = `/api/admin/invalidations/${jobId}`;
  return json({ jobId, statusUrl, coalesced: coalesced === true }, 202, { location: statusUrl });
});
