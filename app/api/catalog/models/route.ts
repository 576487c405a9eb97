/**
 * The public read path: `GET /api/catalog/models?provider=<name>` (one provider) or without it (the
 * full catalog), served from Redis and rebuilt from the sources on a miss.
 */
import { z } from 'zod';
import { providerNameSchema } from '~/server/catalog/schema';
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';
import { DomainError } from '~/server/invalidation/errors';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const querySchema = z.object({ provider: providerNameSchema.optional() });

export const GET = route('public', async (req, { services: { cache, registry } }) => {
  const { provider } = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  if (!provider) {
    const { catalog, hit } = await cache.getFull();
    return json(catalog, 200, { 'x-cache': hit ? 'HIT' : 'MISS' });
  }
  if (!registry.has(provider)) throw new DomainError('NOT_FOUND', `Unknown provider: ${provider}`);
  const { catalog, hit } = await cache.getProvider(provider);
  return json(catalog, 200, { 'x-cache': hit ? 'HIT' : 'MISS' });
});
