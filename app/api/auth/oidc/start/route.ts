/**
 * `GET /api/auth/oidc/start?next=/path`: begins single sign-on. Keeps the state, nonce and PKCE
 * verifier server-side (server/sso/pending.ts), sets the pending cookie, and redirects to the
 * identity provider. Not configured: 404 in words; the provider down: back to the login page with
 * `error=sso-unavailable`, audited with the reason.
 */
import { DomainError } from '~/server/lib/errors';
import { cameOverHttps, redirect, safeNext } from '~/server/http/form';
import { oidcCookie } from '~/server/http/oidc';
import { json } from '~/server/http/respond';
import { route } from '~/server/http/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route('public', async (req, { info, services }) => {
  const sso = services.sso;
  if (!sso) return json({ error: 'Single sign-on is not configured (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET)' }, 404);
  const next = safeNext(new URL(req.url).searchParams.get('next') ?? undefined);
  try {
    const { url, pendingId } = await sso.start(next);
    return redirect(url, oidcCookie(pendingId, services.env.COOKIE_SECURE || cameOverHttps(req)));
  } catch (err) {
    if (!DomainError.is(err) || err.code !== 'UNAVAILABLE') throw err;
    await services.audit.record({ action: 'auth.sign-in', outcome: 'failure', actor: null, actorName: `single sign-on (${services.env.OIDC_ISSUER})`, address: info.address, userAgent: info.userAgent, details: { method: 'oidc', reason: err.message } });
    return redirect(`/login?error=sso-unavailable&next=${encodeURIComponent(next)}`);
  }
});
