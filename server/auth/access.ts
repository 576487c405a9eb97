/**
 * Managing access, audited in one place: accounts, API tokens, passwords and sessions. The tRPC
 * routers and the auth routes call these; each change writes one audit entry naming who did it.
 */
import 'server-only';
import type { AuditTrail } from '~/server/audit/trail';
import { DomainError } from '~/server/lib/errors';
import type { AccountStore } from './accounts';
import type { ApiTokenStore, TokenOwner } from './api-tokens';
import type { Limit, RateLimiter } from '~/server/ratelimit/limiter';
import { retryAfterSeconds } from '~/server/ratelimit/limiter';
import type { AdminKeys } from '~/server/redis/keys';
import type { RequestInfo } from './request-info';
import { actorOf, type Principal, type Role } from '~/server/identity/schema';
import type { TokenListQuery } from './schema';
import type { SessionStore } from './sessions';

export interface AccessDeps {
  accounts: AccountStore;
  tokens: ApiTokenStore;
  sessions: SessionStore;
  audit: AuditTrail;
  /** The credential a new token is bound to (authenticate.ts's ownerOf). */
  ownerOf(principal: Principal): Promise<TokenOwner | null>;
  /** Wrong current passwords at the password form are limited per account, like failed sign-ins. */
  limiter: RateLimiter;
  keys: AdminKeys;
  passwordLimit: { perAccount: number; windowMs: number };
}

/** Who acted and from where: what every audit entry of a change carries. */
export interface Caller {
  principal: Principal;
  info: Pick<RequestInfo, 'address' | 'userAgent'>;
}

export type AccessService = ReturnType<typeof createAccessService>;

export function createAccessService({ accounts, tokens, sessions, audit, ownerOf, limiter, keys, passwordLimit }: AccessDeps) {
  const record = (caller: Caller, action: Parameters<AuditTrail['record']>[0]['action'], target: string, details: Record<string, unknown> = {}) =>
    audit.record({ action, outcome: 'success', actor: actorOf(caller.principal), actorName: caller.principal.name, ...caller.info, target, details });

  return {
    listAccounts: () => accounts.list(),

    /** `providers`: the account's scope (absent: every provider); the doors have checked it is no more than the caller's. */
    async createAccount(caller: Caller, username: string, role: Role, providers?: string[]) {
      const created = await accounts.create(username, role, caller.principal.name, providers ?? null);
      await record(caller, 'account.create', username, { accountId: created.account.id, role, ...(providers ? { providers } : {}) });
      return created;
    },

    async setDisabled(caller: Caller, accountId: string, disabled: boolean) {
      if (caller.principal.accountId === accountId && disabled) throw new DomainError('BAD_REQUEST', 'You cannot disable your own account');
      const account = await accounts.setDisabled(accountId, disabled);
      await record(caller, disabled ? 'account.disable' : 'account.enable', account.username, { accountId });
      return account;
    },

    listTokens: (query: TokenListQuery) => tokens.list(query),

    /** `providers`: the token's scope (absent: every provider); the doors have checked it is no more than the caller's. */
    async createToken(caller: Caller, name: string, role: Role, providers?: string[]) {
      const owner = await ownerOf(caller.principal);
      if (!owner) throw new DomainError('FORBIDDEN', 'This caller cannot make API tokens: sign in with an account or ADMIN_TOKEN');
      // A token made by a token joins its maker's chain: revoking any link refuses it (api-tokens.ts).
      const maker = caller.principal.tokenId ? await tokens.get(caller.principal.tokenId) : null;
      if (caller.principal.tokenId && !maker) throw new DomainError('FORBIDDEN', 'The token making this one no longer exists');
      const created = await tokens.create(name, role, caller.principal.name, owner, maker, providers ?? null);
      await record(caller, 'token.create', name, { tokenId: created.id, role, ...(providers ? { providers } : {}) });
      return created;
    },

    async revokeToken(caller: Caller, tokenId: string) {
      const token = await tokens.revoke(tokenId);
      await record(caller, 'token.revoke', token.name, { tokenId });
      return token;
    },

    /** Ends every session of the caller's account (the bootstrap admin's too), this one included. */
    async signOutEverywhere(caller: Caller) {
      if (caller.principal.tokenId) throw new DomainError('BAD_REQUEST', 'An API token has no sessions to end: revoke the token instead');
      await accounts.bumpEpoch(caller.principal.accountId ?? null);
      await record(caller, 'auth.sign-out-everywhere', caller.principal.name);
    },

    async signOut(caller: Caller | null, sessionId: string | undefined, info: Caller['info']) {
      await sessions.destroy(sessionId);
      if (caller) await record(caller, 'auth.sign-out', caller.principal.name);
      else await audit.record({ action: 'auth.sign-out', outcome: 'success', actor: null, ...info, details: { note: 'no live session' } });
    },

    /**
     * A new password ends every session of the account, then opens a fresh one for this browser
     * (returned), so the person changing it stays signed in and everyone else is out.
     */
    async changePassword(caller: Caller, current: string, next: string): Promise<string> {
      const accountId = caller.principal.accountId;
      if (caller.principal.tokenId) throw new DomainError('BAD_REQUEST', 'An API token has no password');
      if (!accountId) throw new DomainError('BAD_REQUEST', 'The bootstrap admin has no password: change ADMIN_TOKEN instead');
      // Charged before the check, like a sign-in: a stolen session cannot guess the password it lacks.
      const cell: Limit[] = [{ key: keys.rateLimit('password-change', accountId), limit: passwordLimit.perAccount, windowMs: passwordLimit.windowMs }];
      const allowed = await limiter.take(cell);
      if (!allowed.allowed) {
        const seconds = retryAfterSeconds(allowed.retryAfterMs);
        await audit.record({ action: 'auth.password-change', outcome: 'refused', actor: actorOf(caller.principal), actorName: caller.principal.name, ...caller.info, details: { reason: 'too many wrong current passwords', retryAfterSeconds: seconds } });
        throw new DomainError('RATE_LIMITED', `Too many wrong current passwords; try again in ${seconds} seconds`, { retryAfterSeconds: seconds });
      }
      const account = await accounts.get(accountId);
      if (account?.sso) throw new DomainError('BAD_REQUEST', 'A single sign-on account has no password here: change it at your identity provider');
      if (!account || !(await accounts.verify(account, current))) {
        await audit.record({ action: 'auth.password-change', outcome: 'failure', actor: actorOf(caller.principal), actorName: caller.principal.name, ...caller.info });
        throw new DomainError('BAD_REQUEST', 'The current password is not right', { reason: 'current' });
      }
      await limiter.refund(cell);
      if (current === next) throw new DomainError('BAD_REQUEST', 'Choose a new password different from the current one', { reason: 'same' });
      const epoch = await accounts.changePassword(accountId, next);
      await record(caller, 'auth.password-change', account.username);
      return sessions.create(accountId, epoch);
    },
  };
}
