/**
 * `GET /api/auth/oidc/callback`: where the identity provider sends the browser back. On success, the
 * session cookie (the same as a password sign-in's) and a redirect to where the sign-in began; on a
 * refusal, the login page with `error=sso-<code>` (a fixed sentence there; the reason in the audit
 * trail). The pending cookie is cleared either way: it is single-use.
 */
import { readCookie } from '~/server/auth/authenticate';
import { sessionCookie } from '~/server/auth/cookie';
import { cameOverHttps } from '~/server/http/form';
import { OIDC_COOKIE, oidcCookie } from '~/server/http/oidc';
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route('public', async (req, { info, services }) => {
  const sso = services.sso;
  if (!sso) return json({ error: 'Single sign-on is not configured (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET)' }, 404);
  const secure = services.env.COOKIE_SECURE || cameOverHttps(req);
  const result = await sso.finish(new URL(req.url).search, readCookie(req.headers.get('cookie'), OIDC_COOKIE), info);
  const headers = new Headers({ 'cache-control': 'no-store' });
  headers.append('set-cookie', oidcCookie('', secure, 0));
  if (!result.ok) {
    headers.set('location', `/login?error=sso-${result.code}`);
    return new Response(null, { status: 303, headers });
  }
  headers.append('set-cookie', sessionCookie(result.sessionId, services.sessions.ttlSeconds, secure));
  // A page that moves on by itself, not a redirect: the session cookie is SameSite=Strict, and a
  // browser withholds it on a redirect chain that began at the identity provider's site.
  headers.set('content-type', 'text/html; charset=utf-8');
  const to = escapeHtml(result.next);
  return new Response(`<!doctype html><meta http-equiv="refresh" content="0;url=${to}"><title>Signed in</title><p><a href="${to}">Continue</a></p>`, { status: 200, headers });
});
