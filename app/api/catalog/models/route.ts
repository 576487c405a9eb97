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

export const GET = route('public', async (req, { services: { cache, registry, metrics } }) => {
  const { provider } = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  if (!provider) {
    const full = counted(await cache.getFull(), 'full', metrics);
    return served({ ...full, held: false }, full.catalog.held);
  }
  if (!registry.has(provider)) throw new DomainError('NOT_FOUND', `Unknown provider: ${provider}`);
  return served(counted(await cache.getProvider(provider), 'provider', metrics));
});

/** Read-path hits, misses and stale answers, as the reader got them. */
function counted<T extends CacheRead<unknown>>(read: T, scope: 'provider' | 'full', metrics: { catalogRead(scope: 'provider' | 'full', result: CacheRead<unknown>['cache'], tier?: 'process' | 'redis'): void }): T {
  metrics.catalogRead(scope, read.cache, read.tier ?? 'redis');
  return read;
}

/**
 * `x-cache`: HIT, STALE (soft-invalidated, one refresh running) or MISS; `x-cache-tier`: `process`
 * (this instance's memory, no Redis round trip) or `redis`; `x-cache-write: fenced` when an
 * invalidation dropped what this read fetched; `x-catalog-held: true` when the catalog guard holds
 * a newer candidate of the provider, so this is its last published catalog; on the full catalog,
 * `x-catalog-held: groq, xai` names the providers held when it was assembled (`heldProviders`).
 */
function served({ catalog, cache, fenced, tier, held }: CacheRead<unknown>, heldProviders?: string[]): Response {
  return json(catalog, 200, {
    'x-cache': cache,
    'x-cache-tier': tier ?? 'redis',
    ...(fenced ? { 'x-cache-write': 'fenced' } : {}),
    ...(held ? { 'x-catalog-held': 'true' } : {}),
    ...(heldProviders?.length ? { 'x-catalog-held': heldProviders.join(', ') } : {}),
  });
}
