/**
 * The old endpoint, kept for scripts: `POST /api/admin/invalidate-cache?cache_type=models|all
 * [&providers=a,b][&cascade=false][&mode=soft][&refresh=true]` answers 202 at once with the job's id and where to poll it.
 * Operators and admins, within their scope; rate limited (429 + Retry-After) and audited like the tRPC mutation.
 */
import { z } from 'zod';
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';
import { invalidationRequestSchema, type InvalidationRequestInput } from '~/server/invalidation/schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The query string as an invalidation request: one parse, the request schema's own rules and messages. */
const querySchema = z
  .object({
    cache_type: z.enum(['models', 'all']).default('models'),
    providers: z.string().max(100_000, 'providers is longer than 100,000 characters').optional(),
    cascade: z.enum(['true', 'false']).default('true'),
    mode: z.enum(['delete', 'soft']).default('delete'),
    /** Refresh and verify after the deletions (absent: the mode's default). */
    refresh: z.enum(['true', 'false']).optional(),
  })
  .transform((query): InvalidationRequestInput => ({
    providers: query.providers === undefined ? ('all' as const) : query.providers.split(',').map((p) => p.trim()),
    cacheType: query.cache_type,
    cascade: query.cascade === 'true',
    mode: query.mode,
    refresh: query.refresh === undefined ? undefined : query.refresh === 'true',
  }))
  .pipe(invalidationRequestSchema);

export const POST = route('operator', async (req, { principal, info, services, asking }) => {
  const request = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  // A scoped credential: every provider named in its scope ("all" needs an unscoped one), before anything is written.
  const refused = await asking({ providers: request.providers });
  if (refused) return refused;
  // A request covered by a job that has not yet sent its deletions joins it: same 202, that job's URL.
  const { jobId, coalesced } = await services.admitInvalidation(request, principal, 'rest', info);
  const statusUrl = `/api/admin/invalidations/${jobId}`;
  return json({ jobId, statusUrl, coalesced: coalesced === true }, 202, { location: statusUrl });
});
