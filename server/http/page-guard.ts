import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getServices } from '~/server/app/services';
import { allows, type Principal, type Role } from '~/server/identity/schema';

/** What a page needs to know about who is looking: it decides which controls to render. */
export interface Viewer {
  name: string;
  role: Role;
  bootstrap: boolean;
}

/**
 * For pages: nobody goes to the login page, an account with its initial password to the password
 * form, a viewer asking for an admin page to the providers page. The pages' API calls check again
 * on their own (this guard is for the people, not the security boundary).
 */
export async function requirePage(path: string, level: Role = 'viewer'): Promise<Viewer> {
  // headers() first: it makes the page dynamic before anything touches the environment or Redis.
  const requestHeaders = await headers();
  let principal: Principal | null;
  try {
    principal = await getServices().authenticate(requestHeaders);
  } catch {
    // Redis down: render the page with the fewest controls; its API calls say Redis is unavailable in words.
    return { name: '', role: 'viewer', bootstrap: false };
  }
  if (!principal) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (principal.mustChangePassword) redirect(`/account/password?next=${encodeURIComponent(path)}`);
  if (!allows(principal.role, level)) redirect('/');
  return { name: principal.name, role: principal.role, bootstrap: principal.bootstrap === true };
}

/** The password page: any signed-in account, initial password or not. */
export async function requireAccountPage(): Promise<Principal> {
  const requestHeaders = await headers();
  const principal = await getServices()
    .authenticate(requestHeaders)
    .catch(() => null);
  if (!principal) redirect('/login?next=%2Faccount%2Fpassword');
  return principal;
}
