/**
 * Signing in. The login form posts `username` + `password` (or no username and the ADMIN_TOKEN as
 * password; `token` is accepted too, as before) and gets 303 redirects; a JSON body gets JSON
 * answers instead (200, 401, 429 with Retry-After). Throttled and audited in server/auth/sign-in.ts.
 */
import { recordRefusal } from '~/server/audit/refusal';
import { sessionCookie } from '~/server/auth/cookie';
import { DomainError } from '~/server/lib/errors';
import { BodyTooLarge, tooLarge } from '~/server/http/body';
import { cameOverHttps, readFields, redirect, safeNext, wantsJson } from '~/server/http/form';
import { errorResponse, json } from '~/server/http/respond';
import { route } from '~/server/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route('public', async (req, { info, services }) => {
  // Login CSRF: another site must not sign a browser into an account of its choosing.
  if (req.headers.get('origin') && !info.sameOrigin) {
    const reason = 'Forbidden: sign in from this app';
    await recordRefusal(services.audit, { principal: null, from: info, target: 'POST /api/auth/login', answer: { status: 403 }, message: reason });
    return json({ error: reason }, 403);
  }
  if (!services.env.LOCAL_SIGN_IN) {
    const reason = 'Forbidden: the password form is off here (LOCAL_SIGN_IN=false): sign in with single sign-on; scripts send ADMIN_TOKEN or an API token as Authorization: Bearer';
    await recordRefusal(services.audit, { principal: null, from: info, target: 'POST /api/auth/login', answer: { status: 403 }, message: reason });
    return json({ error: reason }, 403);
  }
  let fields: Record<string, string>;
  try {
    fields = await readFields(req);
  } catch (err) {
    return err instanceof BodyTooLarge ? tooLarge(err) : errorResponse(err);
  }
  const next = safeNext(fields.next);
  const back = (query: string) => `/login?${query}&next=${encodeURIComponent(next)}`;
  try {
    const result = await services.signIn(fields.username ?? '', fields.password ?? fields.token ?? '', info);
    if (!result.ok) {
      if (wantsJson(req)) return json({ error: 'Sign-in failed: that username and password (or token) are not valid' }, 401);
      return redirect(back('error=invalid'));
    }
    const cookie = sessionCookie(result.sessionId, services.sessions.ttlSeconds, services.env.COOKIE_SECURE || cameOverHttps(req));
    const to = result.mustChangePassword ? `/account/password?next=${encodeURIComponent(next)}` : next;
    if (wantsJson(req)) return new Response(JSON.stringify({ ok: true, next: to }), { headers: { 'content-type': 'application/json', 'set-cookie': cookie, 'cache-control': 'no-store' } });
    return redirect(to, cookie);
  } catch (err) {
    const retry = DomainError.is(err) && err.code === 'RATE_LIMITED' ? Number(err.details?.retryAfterSeconds) : null;
    if (retry !== null && !wantsJson(req)) return redirect(back(`error=throttled&retry=${retry}`), undefined, { 'retry-after': String(retry) });
    throw err;
  }
});

export const GET = route('public', async () => json({ error: 'POST a username and password (or the admin token) to sign in' }, 405, { allow: 'POST' }));
