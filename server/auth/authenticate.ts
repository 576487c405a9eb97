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
import { createHash } from 'node:crypto';
import type { ApiTokenStore, TokenOwner } from './api-tokens';
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

/**
 * The bootstrap admin's session epoch: a fingerprint of ADMIN_TOKEN and a counter ("sign out
 * everywhere" bumps it). A new ADMIN_TOKEN is a new epoch, so the old token's sessions (and the
 * API tokens it made) end with it. The fingerprint is 64 bits of a SHA-256: enough to tell tokens
 * apart, and no more to a reader of Redis than any stored function of the token would be.
 */
export async function bootstrapEpoch(adminToken: string, accounts: Pick<AccountStore, 'bootstrapEpoch'>): Promise<string> {
  const fingerprint = createHash('sha256').update(`catalog-admin bootstrap epoch:${adminToken}`).digest('hex').slice(0, 16);
  return `${fingerprint}.${await accounts.bootstrapEpoch()}`;
}

/** The credential a new API token is bound to: whoever makes it, or, for a token, whatever its maker was bound to. */
export async function ownerOf(principal: Principal, deps: Pick<AuthDeps, 'adminToken' | 'accounts' | 'tokens'>): Promise<TokenOwner | null> {
  if (principal.tokenId) return (await deps.tokens.get(principal.tokenId))?.owner ?? null;
  if (principal.accountId) {
    const account = await deps.accounts.get(principal.accountId);
    return account ? { accountId: account.id, epoch: String(account.epoch) } : null;
  }
  return principal.bootstrap ? { accountId: null, epoch: await bootstrapEpoch(deps.adminToken, deps.accounts) } : null;
}

/** Whether a token's owner still stands: the account enabled at the same epoch, or the same ADMIN_TOKEN and bootstrap epoch. */
export async function ownerStands(owner: TokenOwner | null, deps: Pick<AuthDeps, 'adminToken' | 'accounts'>): Promise<boolean> {
  if (!owner) return true; // made before owners were recorded: only its own revocation ends it
  if (owner.accountId === null) return owner.epoch === (await bootstrapEpoch(deps.adminToken, deps.accounts));
  const account = await deps.accounts.get(owner.accountId);
  return account !== null && !account.disabled && String(account.epoch) === owner.epoch;
}

export async function authenticate(headers: Headers, deps: AuthDeps): Promise<Principal | null> {
  const authorization = headers.get('authorization');
  if (authorization) {
    const secret = /^Bearer\s+(\S{1,512})$/i.exec(authorization)?.[1];
    if (!secret) return null;
    if (tokenMatches(secret, deps.adminToken)) {
      return { kind: 'token', label: 'admin (API token)', role: 'admin', bootstrap: true, name: BOOTSTRAP_NAME, mustChangePassword: false };
    }
    const token = await deps.tokens.authenticate(secret);
    if (!token || !(await ownerStands(token.owner, deps))) return null;
    return { kind: 'token', label: `token ${token.name}`, role: token.role, tokenId: token.id, tokenName: token.name, name: token.name, mustChangePassword: false, ...scopeOf(token) };
  }
  const session = await deps.sessions.read(readCookie(headers.get('cookie'), SESSION_COOKIE));
  if (!session) return null;
  const sessionLabel = `session ${session.hash.slice(0, 8)}`;
  if (session.tokenId) {
    // A named token signed in at the form: it works while the token does (revoked, or its owner gone: out).
    const token = await deps.tokens.active(session.tokenId);
    if (!token || session.epoch !== tokenEpoch(token.id) || !(await ownerStands(token.owner, deps))) return null;
    return {
      kind: 'session',
      label: `token ${token.name} (${sessionLabel})`,
      role: token.role,
      tokenId: token.id,
      tokenName: token.name,
      name: token.name,
      mustChangePassword: false,
      sessionHash: session.hash,
      ...scopeOf(token),
    };
  }
  if (session.accountId === null) {
    if (session.epoch !== (await bootstrapEpoch(deps.adminToken, deps.accounts))) return null;
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
    ...scopeOf(account),
  };
}

/** A token session's epoch: the token itself (its revocation, not a counter, ends its sessions). */
export const tokenEpoch = (tokenId: string) => `token:${tokenId}`;

/** A scoped credential's providers on its principal; an unscoped one has none (every provider). */
const scopeOf = (credential: { providers: string[] | null }) => (credential.providers ? { providers: credential.providers } : {});

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
