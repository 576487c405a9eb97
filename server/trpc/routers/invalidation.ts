import 'server-only';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { decodeCursor, MAX_STREAM_JOBS, STREAM_CURSOR } from '~/server/invalidation/streams/cursor-schema';
import { historyQuerySchema, invalidationRequestSchema, jobIdSchema, type InvalidationRequest } from '~/server/invalidation/schema';
import { asking, operatorProcedure, router, viewerProcedure } from '../init';
import { callerOf } from '../caller';
import { live } from '../live';

export const invalidationRouter = router({
  /**
   * Records the job and returns its id; the deletions run in the background. Rate limited per
   * actor and globally (a request joining a pending job is free) and audited.
   */
  start: operatorProcedure
    // Strict at the door: an unknown key (a typo, `__proto__`) is refused rather than silently dropped.
    .input(invalidationRequestSchema.strict())
    // A scoped credential: every provider named must be in its scope ("all" needs an unscoped one).
    .use(asking((input: InvalidationRequest) => ({ providers: input.providers })))
    .mutation(({ ctx, input }) => ctx.services.admitInvalidation(input, ctx.actor, 'trpc', callerOf(ctx).info)),

  /** What `start` would delete (or mark stale), and the models cached now; changes nothing. */
  preview: operatorProcedure
    .input(invalidationRequestSchema.strict())
    .use(asking((input: InvalidationRequest) => ({ providers: input.providers })))
    .query(({ ctx, input }) => ctx.services.invalidation.preview(input)),

  get: viewerProcedure.input(z.object({ jobId: jobIdSchema })).query(({ ctx, input }) => ctx.services.invalidation.get(input.jobId)),

  history: viewerProcedure.input(historyQuerySchema).query(({ ctx, input }) => ctx.services.invalidation.history(input)),

  /** The shared Jobs view: running jobs and those finished in the last 15 minutes, whoever started them; `mine` marks the caller's. */
  recent: viewerProcedure.query(({ ctx }) => ctx.services.invalidation.recent(ctx.actor)),

  /**
   * Every event of the job from the start, or after `lastEventId` on reconnect, live until the
   * terminal event. The stream id is the SSE id, so a resumed stream neither skips nor repeats.
   */
  events: viewerProcedure
    .input(z.object({ jobId: jobIdSchema, lastEventId: z.string().regex(/^\d+-\d+$/).nullish() }))
    .subscription(({ ctx, input, signal }) =>
      live(ctx, signal, async function* () {
        for await (const item of ctx.services.invalidation.events(input.jobId, input.lastEventId ?? null, signal)) yield tracked(item.id, item.event);
      }),
    ),

  /**
   * Several jobs over one stream (a page follows all its jobs with one connection): every event of
   * each, in order per job, as `{ jobId, id, event }`, or `{ jobId, missing, message }` for a job
   * that does not exist; ends when every job has. The SSE id is the cursor of every job's last
   * event, so a resumed stream (tRPC sends it back as `lastEventId`) neither skips nor repeats; a
   * page that reopens it for a changed set of jobs sends its cursor too. Counts as one live stream.
   */
  jobsEvents: viewerProcedure
    .input(
      z.object({
        jobIds: z
          .array(jobIdSchema)
          .min(1, 'jobIds is empty: name at least one job')
          .max(MAX_STREAM_JOBS, `at most ${MAX_STREAM_JOBS} jobs per stream`)
          .refine((ids) => new Set(ids).size === ids.length, 'jobIds names a job twice'),
        lastEventId: z.string().regex(STREAM_CURSOR, 'lastEventId is not a cursor of this stream').nullish(),
      }),
    )
    .subscription(({ ctx, input, signal }) =>
      live(ctx, signal, async function* () {
        for await (const { cursor, item } of ctx.services.invalidation.followJobs(input.jobIds, decodeCursor(input.lastEventId), signal)) yield tracked(cursor, item);
      }),
    ),
});
