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
    // The page shows a fixed sentence per code (never text from its link); JSON callers get the exact one.
    const fail = (message: string, code: string, status = 400, headers: Record<string, string> = {}) =>
      wantsJson(req) ? json({ error: message }, status, headers) : redirect(`/account/password?error=${code}&next=${encodeURIComponent(next)}`, undefined, headers);
    const parsed = passwordSchema.safeParse(fields.password ?? '');
    if (!parsed.success) return fail(`The new ${parsed.error.issues[0]?.message ?? 'password is not valid'}`, 'invalid');
    if (fields.confirm !== undefined && fields.confirm !== parsed.data) return fail('The two new passwords differ', 'mismatch');
    try {
      const sessionId = await services.access.changePassword({ principal, info }, fields.current ?? '', parsed.data);
      const cookie = sessionCookie(sessionId, services.sessions.ttlSeconds, services.env.COOKIE_SECURE || cameOverHttps(req));
      return wantsJson(req) ? new Response('{"ok":true}', { headers: { 'content-type': 'application/json', 'set-cookie': cookie } }) : redirect(next, cookie);
    } catch (err) {
      if (DomainError.is(err) && err.code === 'RATE_LIMITED') {
        const retry = String(err.details?.retryAfterSeconds ?? 1);
        return fail(err.message, 'throttled', 429, { 'retry-after': retry });
      }
      if (DomainError.is(err) && err.code === 'BAD_REQUEST') {
        const reason = err.details?.reason;
        return fail(err.message, reason === 'current' || reason === 'same' ? reason : 'refused');
      }
      throw err;
    }
  },
  { allowInitialPassword: true },
);
