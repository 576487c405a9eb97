import 'server-only';
import { z } from 'zod';
import { jobIdSchema } from '~/server/invalidation/schema';
import { router, viewerProcedure } from '../init';

export const webhooksRouter = router({
  /** The webhook deliveries of a finished job, each with its attempts (time, status, error). */
  deliveries: viewerProcedure.input(z.object({ jobId: jobIdSchema })).query(({ ctx, input }) => ctx.services.webhooks.deliveries(input.jobId)),
});
