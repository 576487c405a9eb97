/**
 * The public read path: `GET /api/catalog/models?provider=<name>` (one provider) or without it (the
 * full catalog), served from Redis and rebuilt from the sources on a miss.
 */
import { z } from 'zod';
import type { CacheRead } from '~/server/catalog/cache';
import { providerNameSchema } from '~/server/catalog/schema';
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';
import { DomainError } from '~/server/lib/errors';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const querySchema = z.object({ provider: providerNameSchema.optional() });

export const GET = route('public', async (req, { services: { cache, registry } }) => {
  const { provider } = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  if (!provider) return served(await cache.getFull());
  if (!registry.has(provider)) throw new DomainError('NOT_FOUND', `Unknown provider: ${provider}`);
  return served(await cache.getProvider(provider));
});

/** `x-cache`: HIT, STALE (soft-invalidated, one refresh running) or MISS; `x-cache-write: fenced` when an invalidation dropped what this read fetched. */
function served({ catalog, cache, fenced }: CacheRead<unknown>): Response {
  return json(catalog, 200, { 'x-cache': cache, ...(fenced ? { 'x-cache-write': 'fenced' } : {}) });
}
