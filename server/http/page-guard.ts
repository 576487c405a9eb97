import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getServices } from '~/server/app/services';
import type { Principal, Role } from '~/server/identity/schema';
import { appEnvironment, type AppEnvironment } from '~/server/lib/environment';
import { accountPageAccess, isDetour, pageAccess, UNKNOWN_VIEWER, type Forbidden, type Viewer } from './page-access';

export type { Forbidden, Viewer } from './page-access';
export { isForbidden } from './page-access';

/**
 * For pages: who is looking, a refusal to show in words (a role below the page's), or a redirect
 * (page-access.ts decides which). The pages' API calls check again on their own (this guard is for
 * the people, not the security boundary).
 */
export async function requirePage(path: string, level: Role = 'viewer'): Promise<Viewer | Forbidden> {
  // headers() first: it makes the page dynamic before anything touches the environment or Redis.
  const requestHeaders = await headers();
  let principal: Principal | null;
  try {
    principal = await getServices().authenticate(requestHeaders);
  } catch {
    return UNKNOWN_VIEWER;
  }
  const decision = pageAccess(principal, path, level);
  if (isDetour(decision)) redirect(decision.redirect);
  return decision;
}

/** The environment the pages name (APP_ENVIRONMENT), or null when none is configured (or the configuration cannot be read). */
export function pageEnvironment(): AppEnvironment | null {
  try {
    return appEnvironment(getServices().env.APP_ENVIRONMENT);
  } catch {
    return null;
  }
}

/** The password page: any signed-in account, initial password or not. */
export async function requireAccountPage(): Promise<Principal> {
  const requestHeaders = await headers();
  const principal = await getServices()
    .authenticate(requestHeaders)
    .catch(() => null);
  const decision = accountPageAccess(principal);
  if (isDetour(decision)) redirect(decision.redirect);
  return decision;
}

/** What the login page offers: the password form (unless LOCAL_SIGN_IN=false) and single sign-on's button (when configured). */
export async function signInOptions(): Promise<{ local: boolean; sso: { name: string } | null }> {
  await headers(); // dynamic: the environment is read at request time, never at build
  try {
    const { env } = getServices();
    return { local: env.LOCAL_SIGN_IN, sso: env.OIDC_ISSUER ? { name: env.OIDC_NAME } : null };
  } catch {
    return { local: true, sso: null };
  }
}
