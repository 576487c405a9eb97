import 'server-only';
import { allows, type Principal, type Role } from '~/server/identity/schema';

/** What a page needs to know about who is looking: it decides which controls to render. */
export interface Viewer {
  name: string;
  role: Role;
  bootstrap: boolean;
}

/** Where a person goes instead of the page they asked for. */
export interface Detour {
  redirect: string;
}

/** Redis down: the page renders with the fewest controls; its API calls say Redis is unavailable in words. */
export const UNKNOWN_VIEWER: Viewer = { name: '', role: 'viewer', bootstrap: false };

/**
 * The page guard's decision, apart from Next (so it is tested as it is): nobody goes to the login
 * page, an account with its initial password to the password form, a viewer asking for an admin page
 * to the providers page; anyone else sees the page as who they are.
 */
export function pageAccess(principal: Principal | null, path: string, level: Role): Viewer | Detour {
  const next = encodeURIComponent(path);
  if (!principal) return { redirect: `/login?next=${next}` };
  if (principal.mustChangePassword) return { redirect: `/account/password?next=${next}` };
  if (!allows(principal.role, level)) return { redirect: '/' };
  return { name: principal.name, role: principal.role, bootstrap: principal.bootstrap === true };
}

/** The password page: any signed-in account, initial password or not. */
export function accountPageAccess(principal: Principal | null): Principal | Detour {
  return principal ?? { redirect: `/login?next=${encodeURIComponent('/account/password')}` };
}

export const isDetour = (decision: object): decision is Detour => 'redirect' in decision;
