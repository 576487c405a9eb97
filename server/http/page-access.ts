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
  /** How it signed in: an account has a password to change; a token or the bootstrap admin has none. */
  credential: 'account' | 'token' | 'bootstrap';
}

/** A signed-in person whose role is below the page's: the page says what is needed and who they are, instead of a silent redirect. */
export interface Forbidden {
  forbidden: { needed: Role; viewer: Viewer; message: string };
}

/** Where a person goes instead of the page they asked for. */
export interface Detour {
  redirect: string;
}

/** Redis down: the page renders with the fewest controls; its API calls say Redis is unavailable in words. */
export const UNKNOWN_VIEWER: Viewer = { name: '', role: 'viewer', bootstrap: false, providers: null, credential: 'token' };

/**
 * A refusal's answer here, given the page asked for (encoded): nobody goes to the login page, an
 * account with its initial password to the password form. A role below the page's is no detour: the
 * page says so (`Forbidden`). The decision is server/identity/access.ts's.
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

const viewerOf = (principal: Principal): Viewer => ({
  name: principal.name,
  role: principal.role,
  bootstrap: principal.bootstrap === true,
  providers: principal.providers ?? null,
  credential: principal.accountId ? 'account' : principal.tokenId ? 'token' : 'bootstrap',
});

/** The page guard's decision, apart from Next (so it is tested as it is): a detour, a refusal in words, or who is looking. */
export function pageAccess(principal: Principal | null, path: string, level: Role): Viewer | Detour | Forbidden {
  const decision = decideAccess({ principal, level, request: PAGE_REQUEST });
  if (!decision.allow && decision.reason === 'role' && principal) return { forbidden: { needed: level, viewer: viewerOf(principal), message: decision.message } };
  if (!decision.allow) return detour(decision.reason, path);
  if (!principal) return detour('signed-out', path); // unreachable: every role's level needs a principal
  return viewerOf(principal);
}

export const isForbidden = (decision: object): decision is Forbidden => 'forbidden' in decision;

/** The password page: any signed-in account, initial password or not. */
export function accountPageAccess(principal: Principal | null): Principal | Detour {
  const path = '/account/password';
  const decision = decideAccess({ principal, level: 'viewer', request: PAGE_REQUEST, passwordChange: true });
  if (!decision.allow) return detour(decision.reason, path);
  return principal ?? detour('signed-out', path); // unreachable, as above
}

export const isDetour = (decision: object): decision is Detour => 'redirect' in decision;
