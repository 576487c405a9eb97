/** The single sign-on routes' cookie: the pending sign-in's id, for the provider's redirect back only. */
import 'server-only';
import { PENDING_TTL_SECONDS } from '~/server/sso/pending';

export const OIDC_COOKIE = 'catalog_oidc_pending';

/**
 * HttpOnly, scoped to the callback's path, minutes long. SameSite=Lax, not Strict: the provider's
 * redirect back is a cross-site top-level GET, which a Strict cookie would not ride, and the value
 * grants nothing by itself (it only names a pending sign-in that the provider's code must complete).
 */
export function oidcCookie(value: string, secure: boolean, maxAgeSeconds = PENDING_TTL_SECONDS): string {
  const parts = [`${OIDC_COOKIE}=${encodeURIComponent(value)}`, 'Path=/api/auth/oidc', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
