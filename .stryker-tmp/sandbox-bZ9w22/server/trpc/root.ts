// @ts-nocheck
import { createCallerFactory, router } from './init';
import { activityRouter } from './routers/activity';
import { invalidationRouter } from './routers/invalidation';
import { providersRouter } from './routers/providers';

export const appRouter = router({
  providers: providersRouter,
  invalidation: invalidationRouter,
  activity: activityRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
