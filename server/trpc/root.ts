import { createCallerFactory, router } from './init';
import { invalidationRouter } from './routers/invalidation';
import { providersRouter } from './routers/providers';

export const appRouter = router({
  providers: providersRouter,
  invalidation: invalidationRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
