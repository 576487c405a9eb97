/**
 * Every REST route handler is made here, declaring its level: `route('admin', handler)`. In order:
 * a state-changing method (POST) carrying the session cookie from another origin is 403 (CSRF);
 * for `viewer`/`admin`, nobody is 401, an account whose initial password is unchanged or whose
 * role is below the level is 403. Refusals are audited. The level is attached to the handler so a
 * test can walk every route file and prove each one refuses every caller below it.
 */
import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { requestInfo, type RequestInfo } from '~/server/auth/request-info';
import { actorOf, allows, type Level, type Principal } from '~/server/identity/schema';
import { getServices, type Services } from '~/server/app/services';
import { errorResponse, json } from './respond';

export interface RouteContext<P extends Principal | null> {
  principal: P;
  info: RequestInfo;
  services: Services;
}

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

function refusal(level: Level, principal: Principal | null, info: RequestInfo, method: string, options: RouteOptions): { status: 401 | 403; error: string } | null {
  if (!SAFE_METHODS.has(method) && info.hasSessionCookie && !info.sameOrigin) {
    return { status: 403, error: 'Forbidden: a request carrying the session cookie must come from this app (Origin)' };
  }
  if (level === 'public') return null;
  if (!principal) return { status: 401, error: 'Unauthorized: sign in, or send Authorization: Bearer <token>' };
  if (principal.mustChangePassword && !options.allowInitialPassword) return { status: 403, error: 'Forbidden: change your initial password first (at /account/password)' };
  if (!allows(principal.role, level)) return { status: 403, error: `Forbidden: only an ${level} may do this; you are a ${principal.role}` };
  return null;
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
export function route<A extends unknown[]>(level: 'viewer' | 'admin', handler: Handler<Principal, A>, options?: RouteOptions): LeveledHandler<A>;
export function route<A extends unknown[]>(level: Level, handler: Handler<never, A>, options: RouteOptions = {}): LeveledHandler<A> {
  const run = async (req: Request, ...args: A): Promise<Response> => {
    try {
      const services = getServices();
      const info = requestInfo(req.headers, services.requestPolicy, req.url);
      if (options.alsoBearer && bearerMatches(req.headers, options.alsoBearer(services))) {
        return await (handler as Handler<Principal | null, A>)(req, { principal: null, info, services }, ...args);
      }
      const principal = await services.authenticate(req.headers);
      const refused = refusal(level, principal, info, req.method, options);
      if (refused) {
        await services.audit
          .record({
            action: 'call.refused',
            outcome: 'refused',
            actor: principal ? actorOf(principal) : null,
            actorName: principal?.name,
            address: info.address,
            userAgent: info.userAgent,
            target: `${req.method} ${new URL(req.url).pathname.slice(0, 200)}`,
            details: { status: refused.status, reason: refused.error, level },
          })
          .catch(() => {}); // a refusal stays a refusal when the audit write fails
        return json({ error: refused.error }, refused.status, refused.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      }
      return await (handler as Handler<Principal | null, A>)(req, { principal, info, services }, ...args);
    } catch (err) {
      return errorResponse(err, logOf());
    }
  };
  return Object.assign(run, { level });
}
