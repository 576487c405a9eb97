// @ts-nocheck
import { adminProcedure, router } from '../init';

export const providersRouter = router({
  /** Every provider with its cache state, read in one Redis round trip. */
  list: adminProcedure.query(({ ctx }) => ctx.services.cache.state()),
});
