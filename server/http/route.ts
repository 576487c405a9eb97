/**
 * Every REST route handler is made here, declaring its level: `route('admin', handler)`. The
 * decision is server/identity/access.ts's (origin, signed in, initial password, role); this door
 * maps its reason to 401 or 403 and audits the refusal. The level is attached to the handler so a
 * test can walk every route file and prove each one refuses every caller below it.
 */
import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { requestInfo, type RequestInfo } from '~/server/auth/request-info';
import type { AuditTrail } from '~/server/audit/trail';
import { recordRefusal } from '~/server/audit/refusal';
import { decideAccess, type AccessQuestion, type RefusalReason } from '~/server/identity/access';
import type { Level, Principal } from '~/server/identity/schema';
import { getServices, type Services } from '~/server/app/services';
import { errorResponse, json } from './respond';

export interface RouteContext<P extends Principal | null> {
  principal: P;
  info: RequestInfo;
  services: Services;
  /**
   * The decision asked again with what the parsed request asks (the providers it acts on): null to
   * go on, or the refusal's answer (403 naming the provider), audited. Call it before writing anything.
   */
  asking(asks: Asks): Promise<Response | null>;
}

/** What a parsed request asks beyond the level: the providers it acts on, the credential it makes. */
export type Asks = Pick<AccessQuestion, 'providers' | 'grants'>;

type Handler<P extends Principal | null, A extends unknown[]> = (req: Request, ctx: RouteContext<P>, ...args: A) => Promise<Response>;
export type LeveledHandler<A extends unknown[]> = ((req: Request, ...args: A) => Promise<Response>) & { level: Level };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RouteOptions {
  /** The password change itself: open to an account that still has its initial password. */
  allowInitialPassword?: boolean;
  /**
   * A bearer token that also passes, besides the level (METRICS_TOKEN for /api/metrics): compared
   * in constant time; its caller has no principal.
   */
  alsoBearer?: (services: Services) => string | undefined;
}

function bearerMatches(headers: Headers, expected: string | undefined): boolean {
  const sent = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')?.[1];
  if (!expected || !sent) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** A refusal's answer here; the decision and its words are server/identity/access.ts's. */
const HTTP_REFUSAL_STATUS: Record<RefusalReason, 401 | 403> = {
  'cross-origin': 403,
  'signed-out': 401,
  'initial-password': 403,
  role: 403,
  scope: 403,
  ceiling: 403,
};

/**
 * The door itself, apart from Next and the services (so the access test walks it): null to go on,
 * or the refusal's answer (401 with WWW-Authenticate: Bearer, or 403; the reason in `error`), audited.
 */
export async function admit(
  level: Level,
  principal: Principal | null,
  req: Request,
  info: RequestInfo,
  audit: Pick<AuditTrail, 'record'>,
  options: Pick<RouteOptions, 'allowInitialPassword'> = {},
  asks: Asks = {},
): Promise<Response | null> {
  const request = { unsafe: !SAFE_METHODS.has(req.method), hasSessionCookie: info.hasSessionCookie, sameOrigin: info.sameOrigin };
  const decision = decideAccess({ principal, level, request, passwordChange: options.allowInitialPassword, ...asks });
  if (decision.allow) return null;
  const status = HTTP_REFUSAL_STATUS[decision.reason];
  const target = `${req.method} ${new URL(req.url).pathname.slice(0, 200)}`;
  await recordRefusal(audit, { principal, from: info, target, answer: { status }, message: decision.message, level });
  return json({ error: decision.message }, status, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
}

/** The services' log, when they could be built (a bad environment fails before any exists). */
function logOf() {
  try {
    return getServices().log.child({ component: 'http' });
  } catch {
    return undefined;
  }
}

export function route<A extends unknown[]>(level: 'public', handler: Handler<Principal | null, A>, options?: RouteOptions): LeveledHandler<A>;
export function route<A extends unknown[]>(level: Exclude<Level, 'public'>, handler: Handler<Principal, A>, options?: RouteOptions): LeveledHandler<A>;
export function route<A extends unknown[]>(level: Level, handler: Handler<never, A>, options: RouteOptions = {}): LeveledHandler<A> {
  const run = async (req: Request, ...args: A): Promise<Response> => {
    try {
      const services = getServices();
      const info = requestInfo(req.headers, services.requestPolicy, req.url);
      if (options.alsoBearer && bearerMatches(req.headers, options.alsoBearer(services))) {
        // METRICS_TOKEN's caller has no principal and no scope: its route names no provider.
        return await (handler as Handler<Principal | null, A>)(req, { principal: null, info, services, asking: async () => null }, ...args);
      }
      const principal = await services.authenticate(req.headers);
      const refused = await admit(level, principal, req, info, services.audit, options);
      if (refused) return refused;
      const asking = (asks: Asks) => admit(level, principal, req, info, services.audit, options, asks);
      return await (handler as Handler<Principal | null, A>)(req, { principal, info, services, asking }, ...args);
    } catch (err) {
      return errorResponse(err, logOf());
    }
  };
  return Object.assign(run, { level });
}
