/**
 * A second app instance in its own process: the real router and services over HTTP (tRPC's
 * standalone adapter), configured from the environment like the app. Prints `listening <port>`.
 */
// @ts-nocheck

import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { getEnv } from '~/server/env';
import { createServices } from '~/server/services';
import { appRouter } from '~/server/trpc/root';

const services = createServices(getEnv());

const server = createHTTPServer({
  router: appRouter,
  basePath: '/api/trpc/',
  async createContext({ req }) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const actor = await services.authenticate(headers);
    return { services, actor };
  },
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});

process.on('SIGTERM', () => {
  server.close();
  services.adminRedis.disconnect();
  services.catalogRedis.disconnect();
  process.exit(0);
});
