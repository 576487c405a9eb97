import { z } from 'zod';
import { catalogView } from '~/server/catalog/view';
import { providerNameSchema } from '~/server/catalog/schema';
import { adminProcedure, router } from '../init';

export const providersRouter = router({
  /** Every provider with its cache state, read in one Redis round trip. */
  list: adminProcedure.query(({ ctx }) => ctx.services.cache.state()),

  /** The models cached now per provider (all, or one), with age, TTL and source. */
  catalog: adminProcedure
    .input(z.object({ provider: providerNameSchema.optional() }).optional())
    .query(({ ctx, input }) => catalogView(ctx.services.cache, input?.provider)),
});
