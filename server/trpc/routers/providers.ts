import 'server-only';
import { z } from 'zod';
import { providerNameSchema } from '~/server/catalog/schema';
import { catalogView } from '~/server/catalog/view';
import { router, viewerProcedure } from '../init';

export const providersRouter = router({
  /** Every provider with its cache state, read in one Redis round trip. */
  list: viewerProcedure.query(({ ctx }) => ctx.services.cache.state()),

  /** The models cached now per provider (all, or one), with age, TTL and source. */
  catalog: viewerProcedure
    .input(z.object({ provider: providerNameSchema.optional() }).optional())
    .query(({ ctx, input }) => catalogView(ctx.services.cache, input?.provider)),
});
