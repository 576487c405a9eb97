/**
 * Who is calling, from the request headers alone:
 * - `Authorization: Bearer <ADMIN_TOKEN>`: the bootstrap admin (never throttled, never locked out);
 * - `Authorization: Bearer cit_…`: a named API token, with its role, until it is revoked;
 * - the session cookie from the login page: an account (or the bootstrap admin), while the account
 *   is enabled and its session epoch has not moved on.
 * Anything else is nobody (null). A Bearer header that does not match is nobody too: it never
 * falls back to the cookie.
 */
import 'server-only';
import type { AccountStore } from './accounts';
import type { ApiTokenStore } from './api-tokens';
import type { Principal } from '~/server/identity/schema';
import { SESSION_COOKIE, type SessionStore } from './sessions';
import { tokenMatches } from './token';

export interface AuthDeps {
  adminToken: string;
  sessions: SessionStore;
  accounts: AccountStore;
  tokens: ApiTokenStore;
}

export const BOOTSTRAP_NAME = 'admin (bootstrap)';

export async function authenticate(headers: Headers, deps: AuthDeps): Promise<Principal | null> {
  const authorization = headers.get('authorization');
  if (authorization) {
    const secret = /^Bearer\s+(\S{1,512})$/i.exec(authorization)?.[1];
    if (!secret) return null;
    if (tokenMatches(secret, deps.adminToken)) {
      return { kind: 'token', label: 'admin (API token)', role: 'admin', bootstrap: true, name: BOOTSTRAP_NAME, mustChangePassword: false };
    }
    const token = await deps.tokens.authenticate(secret);
    if (!token) return null;
    return { kind: 'token', label: `token ${token.name}`, role: token.role, tokenId: token.id, tokenName: token.name, name: token.name, mustChangePassword: false };
  }
  const session = await deps.sessions.read(readCookie(headers.get('cookie'), SESSION_COOKIE));
  if (!session) return null;
  const sessionLabel = `session ${session.hash.slice(0, 8)}`;
  if (session.accountId === null) {
    if (session.epoch !== (await deps.accounts.bootstrapEpoch())) return null;
    return { kind: 'session', label: `admin (${sessionLabel})`, role: 'admin', bootstrap: true, name: BOOTSTRAP_NAME, mustChangePassword: false, sessionHash: session.hash };
  }
  const account = await deps.accounts.get(session.accountId);
  if (!account || account.disabled || account.epoch !== session.epoch) return null;
  return {
    kind: 'session',
    label: `${account.username} (${sessionLabel})`,
    role: account.role,
    accountId: account.id,
    username: account.username,
    name: account.username,
    mustChangePassword: account.mustChangePassword,
    sessionHash: session.hash,
  };
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined; // a forged cookie with a broken %-escape is simply no session
    }
  }
  return undefined;
}
