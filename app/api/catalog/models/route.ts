/**
 * The public read path: `GET /api/catalog/models?provider=<name>` (one provider) or without it (the
 * full catalog), served from Redis and rebuilt from the sources on a miss.
 */
import { z } from 'zod';
import { providerNameSchema } from '~/server/catalog/schema';
import { errorResponse, json } from '~/server/http/respond';
import { DomainError } from '~/server/invalidation/errors';
import { getServices } from '~/server/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const querySchema = z.object({ provider: providerNameSchema.optional() });

export async function GET(req: Request) {
  try {
    const { provider } = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const { cache, registry } = getServices();
    if (!provider) {
      const { catalog, hit } = await cache.getFull();
      return json(catalog, 200, { 'x-cache': hit ? 'HIT' : 'MISS' });
    }
    if (!registry.has(provider)) throw new DomainError('NOT_FOUND', `Unknown provider: ${provider}`);
    const { catalog, hit } = await cache.getProvider(provider);
    return json(catalog, 200, { 'x-cache': hit ? 'HIT' : 'MISS' });
  } catch (err) {
    return errorResponse(err);
  }
}
