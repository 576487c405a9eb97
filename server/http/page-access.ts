import 'server-only';
import { decideAccess, PAGE_REQUEST, type RefusalReason } from '~/server/identity/access';
import type { Principal, Role } from '~/server/identity/schema';

/** What a page needs to know about who is looking: it decides which controls to render. */
export interface Viewer {
  name: string;
  role: Role;
  bootstrap: boolean;
  /** The providers it may act on (null: every provider): the panel offers actions on these only. */
  providers: string[] | null;
}

/** Where a person goes instead of the page they asked for. */
export interface Detour {
  redirect: string;
}

/** Redis down: the page renders with the fewest controls; its API calls say Redis is unavailable in words. */
export const UNKNOWN_VIEWER: Viewer = { name: '', role: 'viewer', bootstrap: false, providers: null };

/**
 * A refusal's answer here, given the page asked for (encoded): nobody goes to the login page, an
 * account with its initial password to the password form, a role below the page's to the providers
 * page. The decision is server/identity/access.ts's.
 */
const PAGE_DETOURS: Record<RefusalReason, (next: string) => string> = {
  'signed-out': (next) => `/login?next=${next}`,
  'initial-password': (next) => `/account/password?next=${next}`,
  role: () => '/',
  // Never: a page names no provider and makes no credential.
  scope: () => '/',
  ceiling: () => '/',
  // Never: a page is a GET, and the origin rule guards only requests that change something.
  'cross-origin': () => '/',
};

const detour = (reason: RefusalReason, path: string): Detour => ({ redirect: PAGE_DETOURS[reason](encodeURIComponent(path)) });

/** The page guard's decision, apart from Next (so it is tested as it is): a detour, or who is looking. */
export function pageAccess(principal: Principal | null, path: string, level: Role): Viewer | Detour {
  const decision = decideAccess({ principal, level, request: PAGE_REQUEST });
  if (!decision.allow) return detour(decision.reason, path);
  if (!principal) return detour('signed-out', path); // unreachable: every role's level needs a principal
  return { name: principal.name, role: principal.role, bootstrap: principal.bootstrap === true, providers: principal.providers ?? null };
}

/** The password page: any signed-in account, initial password or not. */
export function accountPageAccess(principal: Principal | null): Principal | Detour {
  const path = '/account/password';
  const decision = decideAccess({ principal, level: 'viewer', request: PAGE_REQUEST, passwordChange: true });
  if (!decision.allow) return detour(decision.reason, path);
  return principal ?? detour('signed-out', path); // unreachable, as above
}

export const isDetour = (decision: object): decision is Detour => 'redirect' in decision;
