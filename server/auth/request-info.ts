/**
 * What the audit trail and the limits need to know about a request besides who sent it: the client
 * address and user agent, whether it carries the session cookie, and whether its Origin is ours.
 */
import 'server-only';
import { SESSION_COOKIE } from './sessions';
import { readCookie } from './authenticate';

export interface RequestInfo {
  address: string;
  userAgent: string;
  /**
   * The request is authenticated by our session cookie, if by anything: the cookie is there and no
   * Authorization header (which no other site can make a browser send) takes precedence.
   */
  hasSessionCookie: boolean;
  /** Its Origin header names this app (APP_ORIGIN when set, else the Host it was sent to). */
  sameOrigin: boolean;
}

/**
 * The client address is the last X-Forwarded-For entry: the one written by the hop nearest to us
 * (`next start` sets it to the socket's address when the request has none; a reverse proxy appends
 * the address it saw). Behind no proxy a client can claim any address, which is why sign-in limits
 * are also kept per account.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for')?.split(',').pop()?.trim();
  return forwarded && forwarded.length <= 64 ? forwarded : 'unknown';
}

export function isSameOrigin(headers: Headers, appOrigin: string | undefined, url?: string): boolean {
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return false;
  if (appOrigin) return origin === appOrigin;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const own = headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host') || (url ? new URL(url).host : null);
  return Boolean(own) && host === own;
}

export function requestInfo(headers: Headers, appOrigin: string | undefined, url?: string): RequestInfo {
  return {
    address: clientAddress(headers),
    userAgent: headers.get('user-agent') ?? '',
    hasSessionCookie: !headers.has('authorization') && readCookie(headers.get('cookie'), SESSION_COOKIE) !== undefined,
    sameOrigin: isSameOrigin(headers, appOrigin, url),
  };
}
