import 'server-only';
import { z } from 'zod';
import { providerNameSchema } from '~/server/catalog/schema';
import { adminProcedure, asking, operatorProcedure, router, viewerProcedure } from '../init';
import { overrideInputSchema, overrideRefSchema } from '~/server/guard/overrides-schema';
import { reviewInputSchema, type ReviewInput } from '~/server/guard/schema';
import { changesInputSchema } from '~/server/catalog/history/schema';

/**
 * The catalog guard's held candidates (listed for viewers, approved or rejected by operators within
 * their scope) and the per-model overrides (listed for viewers, changed by admins); every change audited.
 */
export const catalogRouter = router({
  /** Every held candidate (or one provider's) against the last published catalog, per model and field. */
  held: viewerProcedure.input(z.object({ provider: providerNameSchema.optional() }).optional()).query(({ ctx, input }) => ctx.services.review.list(input?.provider)),

  /** The catalog's own history: every published change, one row per model, newest first; filters provider and kind, cursor pages. */
  changes: viewerProcedure.input(changesInputSchema).query(({ ctx, input }) => ctx.services.cache.changes(input)),

  /** Publishes the candidate named through the fence; CONFLICT when it is gone or an invalidation overtook it. */
  approve: operatorProcedure
    .input(reviewInputSchema)
    .use(asking((input: ReviewInput) => ({ providers: [input.provider] })))
    .mutation(({ ctx, input }) => ctx.services.manageGuard.approve({ principal: ctx.actor, info: ctx.request }, input)),

  /** Discards the candidate named; readers keep the last published catalog. */
  reject: operatorProcedure
    .input(reviewInputSchema)
    .use(asking((input: ReviewInput) => ({ providers: [input.provider] })))
    .mutation(({ ctx, input }) => ctx.services.manageGuard.reject({ principal: ctx.actor, info: ctx.request }, input)),

  /** Every per-model override (or one provider's), sorted by provider and model. */
  overrides: viewerProcedure.input(z.object({ provider: providerNameSchema.optional() }).optional()).query(({ ctx, input }) => ctx.services.overrides.list(input?.provider)),

  /** Stores one model's override, replacing any before it; readers get it at once where the provider is cached. */
  saveOverride: adminProcedure.input(overrideInputSchema).mutation(({ ctx, input }) => ctx.services.manageGuard.saveOverride({ principal: ctx.actor, info: ctx.request }, input)),

  /** Removes one model's override; NOT_FOUND when there is none. Readers get the source's value again. */
  removeOverride: adminProcedure.input(overrideRefSchema).mutation(({ ctx, input }) => ctx.services.manageGuard.removeOverride({ principal: ctx.actor, info: ctx.request }, input)),
});
