/** Signing out: this session, or with `scope=everywhere` every session of the account. */
import { readCookie } from '~/server/auth/authenticate';
import { sessionCookie } from '~/server/auth/cookie';
import { SESSION_COOKIE } from '~/server/auth/sessions';
import { BodyTooLarge, tooLarge } from '~/server/http/body';
import { readFields, redirect } from '~/server/http/form';
import { route } from '~/server/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route('public', async (req, { principal, info, services }) => {
  let fields: Record<string, string>;
  try {
    fields = await readFields(req);
  } catch (err) {
    if (err instanceof BodyTooLarge) return tooLarge(err);
    fields = {};
  }
  const caller = principal ? { principal, info } : null;
  if (caller && fields.scope === 'everywhere') await services.access.signOutEverywhere(caller);
  await services.access.signOut(caller, readCookie(req.headers.get('cookie'), SESSION_COOKIE), info);
  return redirect('/login', sessionCookie('', 0, services.env.COOKIE_SECURE));
});
