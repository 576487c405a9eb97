import { createCallerFactory, router } from './init';
import { activityRouter } from './routers/activity';
import { invalidationRouter } from './routers/invalidation';
import { providersRouter } from './routers/providers';
import { schedulesRouter } from './routers/schedules';

export const appRouter = router({
  providers: providersRouter,
  invalidation: invalidationRouter,
  activity: activityRouter,
  schedules: schedulesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
