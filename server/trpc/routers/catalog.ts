import 'server-only';
import { z } from 'zod';
import { providerNameSchema } from '~/server/catalog/schema';
import { reviewInputSchema } from '~/server/guard/schema';
import { adminProcedure, router, viewerProcedure } from '../init';

/** The catalog guard's held candidates: listed for viewers, approved or rejected by admins (audited). */
export const catalogRouter = router({
  /** Every held candidate (or one provider's) against the last published catalog, per model and field. */
  held: viewerProcedure.input(z.object({ provider: providerNameSchema.optional() }).optional()).query(({ ctx, input }) => ctx.services.review.list(input?.provider)),

  /** Publishes the candidate named through the fence; CONFLICT when it is gone or an invalidation overtook it. */
  approve: adminProcedure.input(reviewInputSchema).mutation(({ ctx, input }) => ctx.services.manageGuard.approve({ principal: ctx.actor, info: ctx.request }, input)),

  /** Discards the candidate named; readers keep the last published catalog. */
  reject: adminProcedure.input(reviewInputSchema).mutation(({ ctx, input }) => ctx.services.manageGuard.reject({ principal: ctx.actor, info: ctx.request }, input)),
});
