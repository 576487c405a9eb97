/**
 * The one tRPC instance: context, init, procedures. No transformer: the API is plain JSON so curl
 * and any script can call it.
 */
// @ts-nocheck

import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Actor } from '~/server/invalidation/schema';
import { describeZodError } from '~/server/lib/validation';
import type { Services } from '~/server/services';
import { toTRPCError } from './errors';

export interface Context {
  services: Pick<Services, 'invalidation' | 'cache' | 'registry' | 'activity'>;
  actor: Actor | null;
}

const t = initTRPC.context<Context>().create({
  sse: {
    // Pings every 10 s keep proxies from closing an idle stream; the client reconnects after 25 s of
    // silence. maxDurationMs makes long-lived streams end and resume (with lastEventId) now and then.
    ping: { enabled: true, intervalMs: 10_000 },
    maxDurationMs: 5 * 60_000,
    client: { reconnectAfterInactivityMs: 25_000 },
  },
  errorFormatter({ shape, error }) {
    if (!(error.cause instanceof z.ZodError)) return { ...shape, data: { ...shape.data, zodError: null } };
    // A sentence a person can read ("providers.0: provider name contains a glob character"), plus
    // the structured issues for forms.
    return { ...shape, message: describeZodError(error.cause), data: { ...shape.data, zodError: z.flattenError(error.cause) } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** Maps domain errors (and Redis outages) to TRPCError codes, for every procedure. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok || result.error.cause instanceof z.ZodError) return result;
  // Rethrow only what was mapped to a code; anything else stays the INTERNAL_SERVER_ERROR tRPC made.
  const mapped = toTRPCError(result.error.cause ?? result.error);
  if (mapped instanceof TRPCError && mapped !== result.error) throw mapped;
  return result;
});

/** Narrows the context to a non-null admin; everything else is UNAUTHORIZED, with no data. */
export const adminProcedure = t.procedure.use(domainErrors).use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in, or send Authorization: Bearer <ADMIN_TOKEN>' });
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});
