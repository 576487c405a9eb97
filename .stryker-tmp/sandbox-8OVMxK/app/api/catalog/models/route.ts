/**
 * The public read path: `GET /api/catalog/models?provider=<name>` (one provider) or without it (the
 * full catalog), served from Redis and rebuilt from the sources on a miss.
 */
// @ts-nocheck

import { z } from 'zod';
import type { CacheRead } from '~/server/catalog/cache';
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
      return served(await cache.getFull());
    }
    if (!registry.has(provider)) throw new DomainError('NOT_FOUND', `Unknown provider: ${provider}`);
    return served(await cache.getProvider(provider));
  } catch (err) {
    return errorResponse(err);
  }
}

/** `x-cache`: HIT, STALE (soft-invalidated, one refresh running) or MISS; `x-cache-write: fenced` when an invalidation dropped what this read fetched. */
function served({ catalog, cache, fenced }: CacheRead<unknown>): Response {
  return json(catalog, 200, { 'x-cache': cache, ...(fenced ? { 'x-cache-write': 'fenced' } : {}) });
}
