import 'server-only';
import { SESSION_COOKIE } from './sessions';

/** The session cookie: httpOnly (no script reads it), SameSite=Strict (no cross-site request carries it). */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
