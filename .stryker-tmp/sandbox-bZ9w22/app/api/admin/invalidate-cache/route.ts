/**
 * The old endpoint, kept for scripts: `POST /api/admin/invalidate-cache?cache_type=models|all
 * [&providers=a,b][&cascade=false][&mode=soft]` answers 202 at once with the job's id and where to poll it.
 */
// @ts-nocheck

import { z } from 'zod';
import { asAdmin, json } from '~/server/http/respond';
import { invalidationRequestSchema } from '~/server/invalidation/schema';
import { getServices } from '~/server/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const querySchema = z.object({
  cache_type: z.enum(['models', 'all']).default('models'),
  providers: z.string().optional(),
  cascade: z.enum(['true', 'false']).default('true'),
  mode: z.enum(['delete', 'soft']).default('delete'),
});

export function POST(req: Request) {
  return asAdmin(req, async (actor) => {
    const url = new URL(req.url);
    const query = querySchema.parse(Object.fromEntries(url.searchParams));
    const request = invalidationRequestSchema.parse({
      providers: query.providers === undefined ? 'all' : query.providers.split(',').map((p) => p.trim()),
      cacheType: query.cache_type,
      cascade: query.cascade === 'true',
      mode: query.mode,
    });
    // A request covered by a job that has not yet sent its deletions joins it: same 202, that job's URL.
    const { jobId, coalesced } = await getServices().invalidation.start(request, actor, 'rest');
    const statusUrl = `/api/admin/invalidations/${jobId}`;
    return json({ jobId, statusUrl, coalesced }, 202, { location: statusUrl });
  });
}
