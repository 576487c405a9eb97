/**
 * Signing in at the login form, throttled and audited. With a username: an account's password.
 * Without one: the bootstrap ADMIN_TOKEN (so `npm start`'s printed token keeps working).
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
import { BOOTSTRAP_NAME, bootstrapEpoch } from './authenticate';
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

  async function check(username: string, secret: string): Promise<Principal | null> {
    if (!username) {
      if (!tokenMatches(secret, deps.adminToken)) return null;
      return { kind: 'session', label: 'admin (session)', role: 'admin', bootstrap: true, name: BOOTSTRAP_NAME, mustChangePassword: false };
    }
    const account = await deps.accounts.findByUsername(username);
    if (!account) {
      await deps.accounts.burn(secret);
      return null;
    }
    if (!(await deps.accounts.verify(account, secret)) || account.disabled) return null;
    // A hash made with weaker parameters (an older N) is redone now that the password is known.
    await deps.accounts.rehashIfNeeded(account, secret);
    const { id: accountId, role, mustChangePassword } = account;
    return { kind: 'session', label: `${username} (session)`, role, accountId, username, name: username, mustChangePassword };
  }

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
    let principal: Principal | null;
    try {
      principal = await check(username, secret);
    } catch (err) {
      // Too many hashes at once (or Redis failing): no password was checked, so the attempt costs nothing.
      await deps.limiter.refund(limits).catch(() => {});
      if (DomainError.is(err) && err.code === 'RATE_LIMITED') {
        await deps.audit.record({ ...base, outcome: 'refused', actor: null, actorName: username || BOOTSTRAP_NAME, details: { reason: 'too many password checks at once' } });
      }
      throw err;
    }
    if (!principal) {
      await deps.audit.record({ ...base, outcome: 'failure', actor: null, actorName: username || BOOTSTRAP_NAME, details: { reason: 'invalid credentials' } });
      return { ok: false };
    }
    // A success costs nothing, and forgets this account's failures (not the address's: one good
    // password must not reset a spray across many accounts from one address).
    await deps.limiter.refund(limits);
    if (limits[1]) await deps.limiter.reset([limits[1]]);
    const epoch = principal.accountId ? ((await deps.accounts.get(principal.accountId))?.epoch ?? 0) : await bootstrapEpoch(deps.adminToken, deps.accounts);
    const sessionId = await deps.sessions.create(principal.accountId ?? null, epoch);
    await deps.audit.record({ ...base, outcome: 'success', actor: actorOf(principal), actorName: principal.name });
    return { ok: true, sessionId, mustChangePassword: principal.mustChangePassword };
  };
}

export type SignIn = ReturnType<typeof createSignIn>;
