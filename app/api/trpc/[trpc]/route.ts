import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Level } from '~/server/identity/schema';
import { API_LIMIT_BYTES, BodyTooLarge, capped, tooLarge } from '~/server/http/body';
import { createContext } from '~/server/trpc/context';
import { appRouter } from '~/server/trpc/root';
import { describeForLog } from '~/server/lib/errors';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function handler(incoming: Request) {
  let req: Request;
  try {
    req = await capped(incoming, API_LIMIT_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLarge) return tooLarge(err);
    throw err;
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    // The panel batches a handful of calls; hundreds in one request are someone else.
    maxBatchSize: 50,
    createContext: () => createContext(req),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`[trpc] ${path ?? '?'}: ${describeForLog(error.cause ?? error)}`);
    },
  });
}

/** The door is public; each procedure declares and enforces its own level (server/trpc/init.ts). */
const leveled = Object.assign(handler, { level: 'public' as Level });
export { leveled as GET, leveled as POST };
