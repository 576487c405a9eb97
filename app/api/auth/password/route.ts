/**
 * Changing one's password (the form at /account/password): ends every session of the account and
 * opens a fresh one for this browser. Open to an account still on its initial password.
 */
import { sessionCookie } from '~/server/auth/cookie';
import { passwordSchema } from '~/server/auth/schema';
import { DomainError } from '~/server/lib/errors';
import { BodyTooLarge, tooLarge } from '~/server/http/body';
import { cameOverHttps, readFields, redirect, safeNext, wantsJson } from '~/server/http/form';
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route(
  'viewer',
  async (req, { principal, info, services }) => {
    let fields: Record<string, string>;
    try {
      fields = await readFields(req);
    } catch (err) {
      if (err instanceof BodyTooLarge) return tooLarge(err);
      throw err;
    }
    const next = safeNext(fields.next);
    const fail = (message: string) =>
      wantsJson(req) ? json({ error: message }, 400) : redirect(`/account/password?error=${encodeURIComponent(message)}&next=${encodeURIComponent(next)}`);
    const parsed = passwordSchema.safeParse(fields.password ?? '');
    if (!parsed.success) return fail(`The new ${parsed.error.issues[0]?.message ?? 'password is not valid'}`);
    if (fields.confirm !== undefined && fields.confirm !== parsed.data) return fail('The two new passwords differ');
    try {
      const sessionId = await services.access.changePassword({ principal, info }, fields.current ?? '', parsed.data);
      const cookie = sessionCookie(sessionId, services.sessions.ttlSeconds, services.env.COOKIE_SECURE || cameOverHttps(req));
      return wantsJson(req) ? new Response('{"ok":true}', { headers: { 'content-type': 'application/json', 'set-cookie': cookie } }) : redirect(next, cookie);
    } catch (err) {
      if (DomainError.is(err) && err.code === 'BAD_REQUEST') return fail(err.message);
      throw err;
    }
  },
  { allowInitialPassword: true },
);
