import 'server-only';
import { z } from 'zod';
import { scheduleIdSchema, scheduleInputSchema, timingSchema, type ScheduleInput } from '~/server/schedule/schema';
import { adminProcedure, asking, router, viewerProcedure } from '../init';

export const schedulesRouter = router({
  /** Every schedule with its next fire time and last run. */
  list: viewerProcedure.query(({ ctx }) => ctx.services.schedules.list()),

  /** A timing's next three runs if saved now, or why saving it would be refused; changes nothing. */
  preview: adminProcedure.input(z.object({ timing: timingSchema })).query(({ ctx, input }) => ctx.services.schedules.preview(input.timing)),

  /** Creates a schedule (no id) or replaces one (with its id); its next time is computed from now. */
  save: adminProcedure
    .input(scheduleInputSchema.strict())
    // A schedule acts on its providers like an invalidation (admins are unscoped today; the rule holds for any role given schedules).
    .use(asking((input: ScheduleInput) => ({ providers: input.providers })))
    .mutation(({ ctx, input }) => ctx.services.manageSchedules.save({ principal: ctx.actor, info: ctx.request }, input)),

  /** Audited, as every change is. */
  remove: adminProcedure.input(z.object({ id: scheduleIdSchema })).mutation(({ ctx, input }) => ctx.services.manageSchedules.remove({ principal: ctx.actor, info: ctx.request }, input.id)),
});
