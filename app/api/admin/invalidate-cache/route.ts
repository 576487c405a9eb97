/**
 * The old endpoint, kept for scripts: `POST /api/admin/invalidate-cache?cache_type=models|all
 * [&providers=a,b][&cascade=false][&refresh=true]` answers 202 at once with the job's id and where to poll it.
 */
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
  /** Refresh and verify after the deletions (absent: the mode's default). */
  refresh: z.enum(['true', 'false']).optional(),
});

export function POST(req: Request) {
  return asAdmin(req, async (actor) => {
    const url = new URL(req.url);
    const query = querySchema.parse(Object.fromEntries(url.searchParams));
    const request = invalidationRequestSchema.parse({
      providers: query.providers === undefined ? 'all' : query.providers.split(',').map((p) => p.trim()),
      cacheType: query.cache_type,
      cascade: query.cascade === 'true',
      refresh: query.refresh === undefined ? undefined : query.refresh === 'true',
    });
    const { jobId } = await getServices().invalidation.start(request, actor);
    const statusUrl = `/api/admin/invalidations/${jobId}`;
    return json({ jobId, statusUrl }, 202, { location: statusUrl });
  });
}
