/**
 * A second app instance in its own process: the real router and services over HTTP (tRPC's
 * standalone adapter), configured from the environment like the app. Prints `listening <port>`.
 */
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { requestInfo } from '~/server/auth/request-info';
import { getEnv } from '~/server/env';
import { createServices } from '~/server/app/services';
import { appRouter } from '~/server/trpc/root';

const services = createServices(getEnv());
// As runInstance does for `next start`: this instance ticks for scheduled refreshes too.
services.schedules.scheduler.start();

const server = createHTTPServer({
  router: appRouter,
  basePath: '/api/trpc/',
  async createContext({ req }) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const actor = await services.authenticate(headers);
    return { services, actor, request: requestInfo(headers, services.requestPolicy) };
  },
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});

process.on('SIGTERM', () => {
  void services.schedules.scheduler.stop();
  server.close();
  services.adminRedis.disconnect();
  services.catalogRedis.disconnect();
  process.exit(0);
});
