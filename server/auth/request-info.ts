/**
 * What the audit trail and the limits need to know about a request besides who sent it: the client
 * address and user agent, whether it carries the session cookie, and whether its Origin is ours.
 */
import 'server-only';
import { BlockList, isIP } from 'node:net';
import type { TrustedProxies } from '~/server/env';
import { SESSION_COOKIE } from './sessions';
import { readCookie } from './authenticate';

export interface RequestInfo {
  /** For the audit trail: the believed address, or `unverified <claim>`. Never a limit's key. */
  address: string;
  /** The key of per-address limits: a believed address, or `untrusted` (one budget for all unbelieved claims). */
  limitAddress: string;
  userAgent: string;
  /**
   * The request is authenticated by our session cookie, if by anything: the cookie is there and no
   * Authorization header (which no other site can make a browser send) takes precedence.
   */
  hasSessionCookie: boolean;
  /** Its Origin header names this app (APP_ORIGIN when set, else the Host it was sent to). */
  sameOrigin: boolean;
}

/** The one address budget every request shares whose claimed address cannot be trusted. */
export const UNTRUSTED_ADDRESS = 'untrusted';

/**
 * The client address, as far as it can be believed. `next start` sets X-Forwarded-For to the
 * socket's address only when the request has none (`??=` in next/dist/server/base-server.js), so a
 * client that sends its own header hides its real address, and the app never sees the socket. So:
 * - no trusted proxy (the default): no entry is believed; every request is `untrusted`, one budget;
 * - `{ hops: n }`: our n proxies each append the address they saw; the n-th entry from the right is
 *   the client (anything left of it is the client's own words);
 * - `{ cidrs }`: walking from the right, entries inside our proxies' ranges are skipped; the first
 *   one outside is the client.
 * Either way the app must be reachable only through those proxies (a client that reaches
 * `next start` directly can write the whole header). An entry that is not an IP address is not
 * believed, and neither is a header too short for the hops configured.
 */
export function clientAddress(headers: Headers, trust: TrustedProxies = null): { address: string; trusted: boolean; claimed: string | null } {
  const header = headers.get('x-forwarded-for');
  const entries = header && header.length <= 2048 ? header.split(',').map((e) => e.trim()) : [];
  const claimed = entries.at(-1)?.slice(0, 64) || null;
  const untrusted = { address: UNTRUSTED_ADDRESS, trusted: false, claimed };
  if (!trust) return untrusted;
  let candidate: string | undefined;
  if ('hops' in trust) {
    candidate = entries.length >= trust.hops ? entries[entries.length - trust.hops] : undefined;
  } else {
    const ours = blockListOf(trust);
    candidate = entries.findLast((e) => !isIP(e) || !ours.check(e, isIP(e) === 6 ? 'ipv6' : 'ipv4'));
    // Every entry is one of our proxies: the request started inside; the leftmost is its origin.
    if (candidate === undefined && entries.length > 0) candidate = entries[0];
  }
  return candidate && isIP(candidate) ? { address: candidate, trusted: true, claimed: null } : untrusted;
}

const blockLists = new WeakMap<object, BlockList>();
function blockListOf(trust: { cidrs: { address: string; prefix: number; family: 'ipv4' | 'ipv6' }[] }): BlockList {
  let list = blockLists.get(trust);
  if (!list) {
    list = new BlockList();
    for (const c of trust.cidrs) list.addSubnet(c.address, c.prefix, c.family);
    blockLists.set(trust, list);
  }
  return list;
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

export interface RequestPolicy {
  appOrigin: string | undefined;
  trustedProxies: TrustedProxies;
}

export function requestInfo(headers: Headers, policy: RequestPolicy, url?: string): RequestInfo {
  const { address, trusted, claimed } = clientAddress(headers, policy.trustedProxies);
  return {
    // What the audit shows: the believed address, or what the client claimed, marked as such.
    address: trusted ? address : claimed ? `unverified ${claimed}` : UNTRUSTED_ADDRESS,
    limitAddress: address,
    userAgent: headers.get('user-agent') ?? '',
    hasSessionCookie: !headers.has('authorization') && readCookie(headers.get('cookie'), SESSION_COOKIE) !== undefined,
    sameOrigin: isSameOrigin(headers, policy.appOrigin, url),
  };
}
