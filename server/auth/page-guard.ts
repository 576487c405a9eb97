import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getServices } from '~/server/services';
import { SESSION_COOKIE } from './sessions';

/** For pages: a signed-in admin continues, anyone else goes to the login page. */
export async function requireAdminPage(path: string): Promise<void> {
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  let valid = false;
  try {
    valid = await getServices().sessions.valid(session);
  } catch {
    // Redis down: let the page load; its API calls will say Redis is unavailable in words.
    valid = Boolean(session);
  }
  if (!valid) redirect(`/login?next=${encodeURIComponent(path)}`);
}
