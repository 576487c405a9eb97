/**
 * The one tRPC instance: context, init, procedures. No transformer: the API is plain JSON so curl
 * and any script can call it.
 *
 * Authorization lives here and only here: every procedure is built from `publicProcedure`,
 * `viewerProcedure`, `operatorProcedure` or `adminProcedure`, each of which declares its level as meta (so a test can
 * walk the router and prove every procedure refuses every caller below it) and enforces it in a
 * middleware that runs before input parsing (the decision is server/identity/access.ts's; this
 * maps its reason to a code and audits the refusal). The raw `t.procedure` is not exported.
 */
import 'server-only';
import { initTRPC, TRPCError, type TRPCProcedureType as ProcedureType } from '@trpc/server';
import { z } from 'zod';
import type { RequestInfo } from '~/server/auth/request-info';
import { recordRefusal } from '~/server/audit/refusal';
import { decideAccess, type AccessQuestion, type RefusalReason } from '~/server/identity/access';
import type { Level, Principal } from '~/server/identity/schema';
import { DomainError } from '~/server/lib/errors';
import { describeZodError } from '~/server/lib/validation';
import type { Services } from '~/server/app/services';
import { toTRPCError } from './errors';

export interface Context {
  services: Pick<Services, 'invalidation' | 'cache' | 'registry' | 'activity' | 'streams' | 'access' | 'audit' | 'admitInvalidation' | 'schedules' | 'manageSchedules' | 'webhooks' | 'presence' | 'policies' | 'review' | 'overrides' | 'manageGuard'>;
  actor: Principal | null;
  /** Absent for in-process callers (tests), which carry no cookie and no address. */
  request?: RequestInfo;
  /**
   * What the HTTP answer should say when tRPC cannot: a subscription refused before it streams still
   * answers 200 with an error event, so its procedure notes the status here for `responseMeta`.
   */
  http?: { status?: number; headers?: Record<string, string> };
}

export interface Meta {
  /** Who may call: `public` (anyone), `viewer` (reads), `operator` (previews and invalidations), `admin` (access, schedules, audit). */
  level: Level;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Never send stack traces to clients, whatever NODE_ENV says (tests and dev included).
    isDev: false,
    sse: {
      // Pings every 10 s keep proxies from closing an idle stream; the client reconnects after 25 s of
      // silence. maxDurationMs makes long-lived streams end and resume (with lastEventId) now and then.
      ping: { enabled: true, intervalMs: 10_000 },
      maxDurationMs: 5 * 60_000,
      client: { reconnectAfterInactivityMs: 25_000 },
    },
    errorFormatter({ shape, error }) {
      // A rate limit says when to retry, in the data as well as in words.
      const retryAfterSeconds = DomainError.is(error.cause) ? error.cause.details?.retryAfterSeconds : undefined;
      const data = { ...shape.data, zodError: null, ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}) };
      if (!(error.cause instanceof z.ZodError)) return { ...shape, data };
      // A sentence a person can read ("providers.0: provider name contains a glob character"), plus
      // the structured issues for forms.
      return { ...shape, message: describeZodError(error.cause), data: { ...data, zodError: z.flattenError(error.cause) } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps domain errors (and Redis outages) to TRPCError codes, for every procedure. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok || result.error.cause instanceof z.ZodError) return result;
  // Rethrow only what was mapped to a code; anything else stays the INTERNAL_SERVER_ERROR tRPC made.
  const mapped = toTRPCError(result.error.cause ?? result.error);
  if (mapped instanceof TRPCError && mapped !== result.error) throw mapped;
  return result;
});

/** A refusal's answer here; the decision and its words are server/identity/access.ts's. */
const TRPC_REFUSAL_CODES: Record<RefusalReason, 'UNAUTHORIZED' | 'FORBIDDEN'> = {
  'cross-origin': 'FORBIDDEN',
  'signed-out': 'UNAUTHORIZED',
  'initial-password': 'FORBIDDEN',
  role: 'FORBIDDEN',
  scope: 'FORBIDDEN',
  ceiling: 'FORBIDDEN',
};

/** What a parsed input asks beyond the level: the providers it acts on, the credential it makes. */
export type Asks = Pick<AccessQuestion, 'providers' | 'grants'>;

/** Asks the one decision; a refusal is audited and thrown as its code. */
async function enforce(ctx: Context, type: ProcedureType, path: string, level: Level, asks: Asks = {}): Promise<void> {
  // In-process callers (tests) carry no request: no cookie, so no origin to check.
  const request = { unsafe: type === 'mutation', hasSessionCookie: ctx.request?.hasSessionCookie ?? false, sameOrigin: ctx.request?.sameOrigin ?? false };
  const decision = decideAccess({ principal: ctx.actor, level, request, ...asks });
  if (decision.allow) return;
  const code = TRPC_REFUSAL_CODES[decision.reason];
  const from = ctx.request ?? { address: 'in-process', userAgent: '' };
  await recordRefusal(ctx.services.audit, { principal: ctx.actor, from, target: `trpc ${path}`, answer: { code }, message: decision.message, level });
  throw new TRPCError({ code, message: decision.message });
}

function gated<L extends Level>(level: L) {
  return t.procedure
    .meta({ level })
    .use(domainErrors)
    .use(async ({ ctx, type, path, next }) => {
      await enforce(ctx, type, path, level);
      return next({ ctx: { ...ctx, actor: ctx.actor as L extends 'public' ? Principal | null : Principal } });
    });
}

/**
 * After `.input(…)`: the decision asked again with what the parsed input asks (`.use(asking((input) =>
 * ({ providers: input.providers })))`), before the resolver, so an out-of-scope request writes nothing.
 */
export function asking<I>(pick: (input: I) => Asks) {
  return async <R>(opts: { ctx: Context; type: ProcedureType; path: string; meta: Meta | undefined; input: I; next: () => Promise<R> }): Promise<R> => {
    await enforce(opts.ctx, opts.type, opts.path, opts.meta?.level ?? 'admin', pick(opts.input));
    return opts.next();
  };
}

export const publicProcedure = gated('public');
/** Cache state, history, job details and streams. */
export const viewerProcedure = gated('viewer');
/** Previews and invalidations (refreshes are invalidations): what an operator may do. */
export const operatorProcedure = gated('operator');
/** Accounts, tokens, schedules, the audit trail. */
export const adminProcedure = gated('admin');
