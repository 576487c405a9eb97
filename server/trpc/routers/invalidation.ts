import 'server-only';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { historyQuerySchema, invalidationRequestSchema, jobIdSchema } from '~/server/invalidation/schema';
import { adminProcedure, router, viewerProcedure } from '../init';
import { callerOf } from '../caller';
import { live } from '../live';

export const invalidationRouter = router({
  /**
   * Records the job and returns its id; the deletions run in the background. Rate limited per
   * actor and globally (a request joining a pending job is free) and audited.
   */
  start: adminProcedure
    // Strict at the door: an unknown key (a typo, `__proto__`) is refused rather than silently dropped.
    .input(invalidationRequestSchema.strict())
    .mutation(({ ctx, input }) => ctx.services.admitInvalidation(input, ctx.actor, 'trpc', callerOf(ctx).info)),

  /** What `start` would delete (or mark stale), and the models cached now; changes nothing. */
  preview: adminProcedure.input(invalidationRequestSchema.strict()).query(({ ctx, input }) => ctx.services.invalidation.preview(input)),

  get: viewerProcedure.input(z.object({ jobId: jobIdSchema })).query(({ ctx, input }) => ctx.services.invalidation.get(input.jobId)),

  history: viewerProcedure.input(historyQuerySchema).query(({ ctx, input }) => ctx.services.invalidation.history(input)),

  /**
   * Every event of the job from the start, or after `lastEventId` on reconnect, live until the
   * terminal event. The stream id is the SSE id, so a resumed stream neither skips nor repeats.
   */
  events: viewerProcedure
    .input(z.object({ jobId: jobIdSchema, lastEventId: z.string().regex(/^\d+-\d+$/).nullish() }))
    .subscription(({ ctx, input, signal }) =>
      live(ctx, async function* () {
        for await (const item of ctx.services.invalidation.events(input.jobId, input.lastEventId ?? null, signal)) yield tracked(item.id, item.event);
      }),
    ),
});
