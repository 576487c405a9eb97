import 'server-only';
import { TRPCError } from '@trpc/server';
import { requestInfo } from '~/server/auth/request-info';
import { isConnectionError } from '~/server/redis/connection';
import { getServices } from '~/server/app/services';
import type { Context } from './init';

export async function createContext(req: Request): Promise<Context> {
  const services = getServices();
  try {
    const actor = await services.authenticate(req.headers);
    return { services, actor, request: requestInfo(req.headers, services.requestPolicy, req.url), http: {} };
  } catch (err) {
    // Session lookups need Redis: say it is down rather than "unauthorized".
    if (isConnectionError(err)) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'Redis is unavailable; try again when it is back' });
    throw err;
  }
}
