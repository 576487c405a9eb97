// @ts-nocheck
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { historyQuerySchema, invalidationRequestSchema, jobIdSchema } from '~/server/invalidation/schema';
import { adminProcedure, router } from '../init';
import { toTRPCError } from '../errors';

export const invalidationRouter = router({
  /** Records the job and returns its id; the deletions run in the background. */
  start: adminProcedure
    .input(invalidationRequestSchema)
    .mutation(({ ctx, input }) => ctx.services.invalidation.start(input, ctx.actor)),

  get: adminProcedure.input(z.object({ jobId: jobIdSchema })).query(({ ctx, input }) => ctx.services.invalidation.get(input.jobId)),

  history: adminProcedure.input(historyQuerySchema).query(({ ctx, input }) => ctx.services.invalidation.history(input)),

  /**
   * Every event of the job from the start, or after `lastEventId` on reconnect, live until the
   * terminal event. The stream id is the SSE id, so a resumed stream neither skips nor repeats.
   */
  events: adminProcedure
    .input(z.object({ jobId: jobIdSchema, lastEventId: z.string().regex(/^\d+-\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      try {
        for await (const item of ctx.services.invalidation.events(input.jobId, input.lastEventId ?? null, signal)) {
          yield tracked(item.id, item.event);
        }
      } catch (err) {
        throw toTRPCError(err);
      }
    }),
});
