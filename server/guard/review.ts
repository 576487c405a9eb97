/**
 * The review of held candidates: what `catalog.held` lists (each candidate against the last
 * published catalog, per model and field), and an admin's approval (published through the fence,
 * catalog/held.ts) or rejection (discarded; readers keep the last published catalog).
 */
import 'server-only';
import type { CatalogCache } from '~/server/catalog/cache';
import type { ProviderRegistry } from '~/server/catalog/sources/registry';
import { DomainError, unknownProviders } from '~/server/lib/errors';
import { modelChanges } from './changes';
import type { HeldView, ReviewInput } from './schema';

export type Review = ReturnType<typeof createReview>;

export function createReview(deps: { cache: Pick<CatalogCache, 'held' | 'approveHeld' | 'rejectHeld'>; registry: Pick<ProviderRegistry, 'has' | 'names'> }) {
  const known = (provider: string) => {
    if (!deps.registry.has(provider)) throw unknownProviders([provider]);
  };
  const gone = (provider: string) =>
    new DomainError('CONFLICT', `The candidate of ${provider} you reviewed is no longer held (approved, rejected or replaced by a newer fetch); reload the review`);

  return {
    /** Every held candidate (or one provider's), in one round trip. */
    async list(provider?: string): Promise<HeldView[]> {
      if (provider) known(provider);
      const reads = await deps.cache.held(provider ? [provider] : deps.registry.names());
      return reads.flatMap(({ provider: name, held, published }) =>
        held
          ? [
              {
                provider: name,
                id: held.id,
                heldAt: held.heldAt,
                breaches: held.breaches,
                candidateModels: held.candidate.models.length,
                publishedModels: published?.models.length ?? null,
                publishedAt: published?.cachedAt ?? null,
                changes: modelChanges(published?.models ?? [], held.candidate.models),
              },
            ]
          : [],
      );
    },

    /** Publishes the candidate named, through the fence; CONFLICT in words when it is gone or an invalidation overtook it. */
    async approve({ provider, id }: ReviewInput, by = ''): Promise<void> {
      known(provider);
      const result = await deps.cache.approveHeld(provider, id, by);
      if (result === 'gone') throw gone(provider);
      if (result === 'overtaken') {
        throw new DomainError('CONFLICT', `An invalidation of ${provider} ran after this candidate was fetched, so it was not published; refresh ${provider} and review the new answer`);
      }
    },

    /** Discards the candidate named; readers keep the last published catalog. */
    async reject({ provider, id }: ReviewInput): Promise<void> {
      known(provider);
      if (!(await deps.cache.rejectHeld(provider, id))) throw gone(provider);
    },
  };
}
