import 'server-only';
import { createCallerFactory, router } from './init';
import { accountsRouter } from './routers/accounts';
import { activityRouter } from './routers/activity';
import { auditRouter } from './routers/audit';
import { catalogRouter } from './routers/catalog';
import { instancesRouter } from './routers/instances';
import { invalidationRouter } from './routers/invalidation';
import { policyRouter } from './routers/policy';
import { providersRouter } from './routers/providers';
import { schedulesRouter } from './routers/schedules';
import { sessionRouter } from './routers/session';
import { tokensRouter } from './routers/tokens';
import { webhooksRouter } from './routers/webhooks';

export const appRouter = router({
  providers: providersRouter,
  invalidation: invalidationRouter,
  activity: activityRouter,
  schedules: schedulesRouter,
  session: sessionRouter,
  accounts: accountsRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  webhooks: webhooksRouter,
  instances: instancesRouter,
  policy: policyRouter,
  catalog: catalogRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
