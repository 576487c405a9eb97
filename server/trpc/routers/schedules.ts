import { z } from 'zod';
import { scheduleIdSchema, scheduleInputSchema } from '~/server/schedule/schema';
import { adminProcedure, router } from '../init';

export const schedulesRouter = router({
  /** Every schedule with its next fire time and last run. */
  list: adminProcedure.query(({ ctx }) => ctx.services.schedules.list()),

  /** Creates a schedule (no id) or replaces one (with its id); its next time is computed from now. */
  save: adminProcedure.input(scheduleInputSchema).mutation(({ ctx, input }) => ctx.services.schedules.save(input, ctx.actor)),

  remove: adminProcedure.input(z.object({ id: scheduleIdSchema })).mutation(({ ctx, input }) => ctx.services.schedules.remove(input.id)),
});
