import 'server-only';
import { auditQuerySchema } from '~/server/audit/schema';
import { adminProcedure, router } from '../init';

export const auditRouter = router({
  /** Newest first, filtered by actor name and action, in cursor pages. */
  list: adminProcedure.input(auditQuerySchema).query(({ ctx, input }) => ctx.services.audit.list(input)),
});
