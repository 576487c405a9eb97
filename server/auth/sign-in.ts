/**
 * Signing in at the login form, throttled and audited. With a username: an account's password.
 * Without one: the bootstrap ADMIN_TOKEN (so `npm start`'s printed token keeps working), or a
 * named API token (`cit_…`), which signs in with its own role and scope: a viewer given a token
 * can look at the panel without an account (docs/security.md, "Tokens at the form").
 *
 * Every attempt takes one unit from the account's and the address's cells before the password is
 * checked (atomically, so a thousand parallel guesses get exactly as many checks as the limit
 * allows), and a success gives its unit back: only failures count. The bootstrap path is limited per
 * address only (there is no account to lock), and Bearer ADMIN_TOKEN on the API is never limited,
 * so nobody can lock the bootstrap admin out of the API by failing sign-ins.
 * Every refusal reads the same ("not valid"), whether the account exists, is disabled, or the
 * password is wrong; unknown usernames spend the time of a real hash check.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { AuditTrail } from '~/server/audit/trail';
import { DomainError } from '~/server/lib/errors';
import type { RateLimiter, Limit } from '~/server/ratelimit/limiter';
import { retryAfterSeconds } from '~/server/ratelimit/limiter';
import type { AdminKeys } from '~/server/redis/keys';
import type { AccountStore } from './accounts';
import type { ApiTokenStore, TokenOwner } from './api-tokens';
import { API_TOKEN } from './api-tokens';
import { BOOTSTRAP_NAME, bootstrapEpoch, tokenEpoch } from './authenticate';
import type { RequestInfo } from './request-info';
import { actorOf, type Principal } from '~/server/identity/schema';
import type { SessionStore } from './sessions';
import { tokenMatches } from './token';

export interface SignInDeps {
  adminToken: string;
  keys: AdminKeys;
  accounts: Pick<AccountStore, 'findByUsername' | 'verify' | 'burn' | 'rehashIfNeeded' | 'get' | 'bootstrapEpoch'>;
  sessions: SessionStore;
  limiter: RateLimiter;
  audit: AuditTrail;
  limits: { perAccount: number; perAddress: number; windowMs: number };
  /** Named API tokens at the form (absent: only ADMIN_TOKEN signs in without a username). */
  tokens?: Pick<ApiTokenStore, 'authenticate' | 'active'>;
  ownerStands?: (owner: TokenOwner | null) => Promise<boolean>;
}

export type SignInResult = { ok: true; sessionId: string; mustChangePassword: boolean } | { ok: false };

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export function createSignIn(deps: SignInDeps) {
  const cells = (username: string | null, info: Pick<RequestInfo, 'limitAddress'>): Limit[] => {
    const windowMs = deps.limits.windowMs;
    const byAddress = { key: deps.keys.rateLimit('sign-in-address', digest(info.limitAddress)), limit: deps.limits.perAddress, windowMs };
    if (!username) return [byAddress];
    return [byAddress, { key: deps.keys.rateLimit('sign-in-account', digest(username)), limit: deps.limits.perAccount, windowMs }];
  };

  /**
   * The principal, and the session epoch read in the same command as the hash it was checked
   * against (or `refused`, with the reason the audit gives). A password change writes the hash and
   * bumps the epoch in one MULTI, so a session stamped with this epoch is dead on arrival if the
   * password changed after it was read: there is no window between check and session to race, on
   * one Redis or a cluster (no script could span the account's and the session's slots).
   */
  async function check(username: string, secret: string): Promise<{ principal: Principal; epoch: number | string } | { refused: string }> {
    const invalid = { refused: 'invalid credentials' };
    if (!username && API_TOKEN.test(secret) && deps.tokens) {
      const token = await deps.tokens.authenticate(secret);
      if (!token || !(await (deps.ownerStands?.(token.owner) ?? Promise.resolve(true)))) return invalid;
      const principal: Principal = { kind: 'session', label: `token ${token.name} (session)`, role: token.role, tokenId: token.id, tokenName: token.name, name: token.name, mustChangePassword: false };
      return { principal: token.providers ? { ...principal, providers: token.providers } : principal, epoch: tokenEpoch(token.id) };
    }
    if (!username) {
      const epoch = await bootstrapEpoch(deps.adminToken, deps.accounts); // read before the check, like an account's
      if (!tokenMatches(secret, deps.adminToken)) return invalid;
      return { principal: { kind: 'session', label: 'admin (session)', role: 'admin', bootstrap: true, name: BOOTSTRAP_NAME, mustChangePassword: false }, epoch };
    }
    const account = await deps.accounts.findByUsername(username);
    if (!account) {
      await deps.accounts.burn(secret);
      return invalid;
    }
    if (!(await deps.accounts.verify(account, secret)) || account.disabled) return invalid;
    // A hash made with weaker parameters (an older N) is redone now that the password is known. If
    // the swap finds another hash, the password was changed meanwhile: the one just checked is not
    // the account's any more, so no session (the epoch check would refuse it anyway; this says why).
    if ((await deps.accounts.rehashIfNeeded(account, secret)) === 'changed') return { refused: 'the password changed during the sign-in' };
    const { id: accountId, role, mustChangePassword } = account;
    return { principal: { kind: 'session', label: `${username} (session)`, role, accountId, username, name: username, mustChangePassword }, epoch: account.epoch };
  }

  const currentEpoch = async (principal: Principal) => {
    if (principal.tokenId) return (await deps.tokens?.active(principal.tokenId)) ? tokenEpoch(principal.tokenId) : undefined;
    return principal.accountId ? (await deps.accounts.get(principal.accountId))?.epoch : await bootstrapEpoch(deps.adminToken, deps.accounts);
  };

  return async function signIn(usernameInput: string, secret: string, info: RequestInfo): Promise<SignInResult> {
    const username = usernameInput.trim().toLowerCase().slice(0, 64);
    const base = { address: info.address, userAgent: info.userAgent, action: 'auth.sign-in' as const };
    const limits = cells(username || null, info);
    const allowed = await deps.limiter.take(limits);
    if (!allowed.allowed) {
      const seconds = retryAfterSeconds(allowed.retryAfterMs);
      await deps.audit.record({ ...base, outcome: 'refused', actor: null, actorName: username || BOOTSTRAP_NAME, details: { reason: 'too many failed sign-ins', retryAfterSeconds: seconds } });
      throw new DomainError('RATE_LIMITED', `Too many failed sign-ins; try again in ${seconds} seconds`, { retryAfterSeconds: seconds });
    }
    let checked: Awaited<ReturnType<typeof check>>;
    try {
      checked = await check(username, secret);
    } catch (err) {
      // Too many hashes at once (or Redis failing): no password was checked, so the attempt costs nothing.
      await deps.limiter.refund(limits).catch(() => {});
      if (DomainError.is(err) && err.code === 'RATE_LIMITED') {
        await deps.audit.record({ ...base, outcome: 'refused', actor: null, actorName: username || BOOTSTRAP_NAME, details: { reason: 'too many password checks at once' } });
      }
      throw err;
    }
    if ('refused' in checked) {
      await deps.audit.record({ ...base, outcome: 'failure', actor: null, actorName: username || BOOTSTRAP_NAME, details: { reason: checked.refused } });
      return { ok: false };
    }
    const { principal, epoch } = checked;
    // A success costs nothing, and forgets this account's failures (not the address's: one good
    // password must not reset a spray across many accounts from one address).
    await deps.limiter.refund(limits);
    if (limits[1]) await deps.limiter.reset([limits[1]]);
    const sessionId = await deps.sessions.create(principal.accountId ?? null, epoch, principal.tokenId);
    // The stamp already makes a session made against a changed password useless; reading the epoch
    // once more lets the answer say so instead of handing out a cookie that is refused at its first use.
    if ((await currentEpoch(principal)) !== epoch) {
      await deps.sessions.destroy(sessionId);
      await deps.audit.record({ ...base, outcome: 'failure', actor: null, actorName: principal.name, details: { reason: 'the password changed during the sign-in' } });
      return { ok: false };
    }
    await deps.audit.record({ ...base, outcome: 'success', actor: actorOf(principal), actorName: principal.name });
    return { ok: true, sessionId, mustChangePassword: principal.mustChangePassword };
  };
}

export type SignIn = ReturnType<typeof createSignIn>;
