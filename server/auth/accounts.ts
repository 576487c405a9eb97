/**
 * Accounts: a Redis hash each (the password only as a scrypt hash), plus a username → id index.
 * Each account has a session epoch: sessions remember the epoch they were made in, and bumping it
 * (disable, password change, "sign out everywhere") ends all of them at once.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { randomBytes } from 'node:crypto';
import { DomainError } from '~/server/lib/errors';
import type { AdminKeys } from '~/server/redis/keys';
import { callScript, defineScripts, luaScript } from '~/server/redis/scripts';
import { createHashGate, type HashGate } from './hash-gate';
import { burnPasswordCheck, DEFAULT_N, hashPassword, needsRehash, newInitialPassword, verifyPassword } from './passwords';
import { type AccountView } from './schema';
import { roleSchema, type Role } from '~/server/identity/schema';

export interface StoredAccount extends AccountView {
  passwordHash: string;
  epoch: number;
}

export type AccountStore = ReturnType<typeof createAccountStore>;

/** Replaces the account's password hash only if it is still `expected`: 1 if swapped, 0 if it changed meanwhile. */
const swapHash = luaScript({
  name: 'accountSwapHash',
  keys: ['account'],
  args: ['expected', 'next'],
  lua: `if redis.call('HGET', K.account, 'passwordHash') == A.expected then
  redis.call('HSET', K.account, 'passwordHash', A.next)
  return 1
end
return 0`,
});

export interface AccountStoreOptions {
  now?: () => number;
  /** Every hash and check goes through it (one per process, shared with nothing else). */
  gate?: HashGate;
  /** scrypt's N for new hashes. */
  scryptN?: number;
}

export function createAccountStore(redis: RedisClient, keys: AdminKeys, options: AccountStoreOptions = {}) {
  defineScripts(redis, [swapHash]);
  const now = options.now ?? Date.now;
  const gate = options.gate ?? createHashGate(2, 8);
  const N = options.scryptN ?? DEFAULT_N;
  const hash = (password: string) => gate.run(() => hashPassword(password, N));
  async function get(id: string): Promise<StoredAccount | null> {
    const h = await redis.hgetall(keys.account(id));
    if (!h.username) return null;
    return {
      id,
      username: h.username,
      role: roleSchema.catch('viewer').parse(h.role),
      providers: h.providers ? h.providers.split(',') : null,
      disabled: h.disabled === '1',
      mustChangePassword: h.mustChangePassword === '1',
      createdAt: Number(h.createdAt),
      createdBy: h.createdBy ?? '',
      sso: h.ssoIssuer && h.ssoSubject ? { issuer: h.ssoIssuer, subject: h.ssoSubject, email: h.email || null, lastSignInAt: Number(h.lastSignInAt ?? 0) } : null,
      passwordHash: h.passwordHash ?? '',
      epoch: Number(h.epoch ?? 0),
    };
  }

  const view = ({ passwordHash: _p, epoch: _e, ...rest }: StoredAccount): AccountView => rest;
  async function mustGet(id: string): Promise<StoredAccount> {
    const account = await get(id);
    if (!account) throw new DomainError('NOT_FOUND', `No account ${id}`);
    return account;
  }

  return {
    get,
    async findByUsername(username: string): Promise<StoredAccount | null> {
      const id = await redis.hget(keys.accountNames, username);
      return id ? get(id) : null;
    },

    /** Creates the account with a random initial password, returned once and changed at first sign-in. */
    /** `providers`: the account's scope (null: every provider). */
    async create(username: string, role: Role, createdBy: string, providers: string[] | null = null): Promise<{ account: AccountView; initialPassword: string }> {
      const id = `acc_${randomBytes(8).toString('hex')}`;
      const initialPassword = newInitialPassword();
      const passwordHash = await hash(initialPassword);
      const fields = { username, role, passwordHash, mustChangePassword: '1', disabled: '0', epoch: '0', createdAt: String(now()), createdBy, ...(providers ? { providers: providers.join(',') } : {}) };
      // The record first, then HSETNX on the index claims the username atomically (two admins creating
      // "ana" get one account). A crash in between leaves an unreachable record, never a name that
      // points nowhere.
      await redis.hset(keys.account(id), fields);
      if (!(await redis.hsetnx(keys.accountNames, username, id))) {
        await redis.del(keys.account(id));
        throw new DomainError('CONFLICT', `An account named ${username} already exists`);
      }
      return { account: view(await mustGet(id)), initialPassword };
    },

    /**
     * A single sign-on account, made at its first sign-in and updated at every next one: the role and
     * email are this sign-in's (roles are read again each time). No password, never in the username
     * index: the password form cannot reach it. A disabled one is returned as it is (the caller refuses).
     */
    async upsertSso(person: { issuer: string; subject: string; email: string | null; role: Role }): Promise<StoredAccount> {
      const ref = `${person.issuer} ${person.subject}`;
      let id = await redis.hget(keys.ssoSubjects, ref);
      if (!id) {
        const fresh = `acc_${randomBytes(8).toString('hex')}`;
        const fields = { username: person.email ?? person.subject.slice(0, 64), role: person.role, passwordHash: '', mustChangePassword: '0', disabled: '0', epoch: '0', createdAt: String(now()), createdBy: `sign-in at ${person.issuer}`, ssoIssuer: person.issuer, ssoSubject: person.subject };
        // The record first, then HSETNX claims the subject: two first sign-ins at once share one account.
        await redis.hset(keys.account(fresh), fields);
        if (await redis.hsetnx(keys.ssoSubjects, ref, fresh)) id = fresh;
        else {
          await redis.del(keys.account(fresh));
          id = await redis.hget(keys.ssoSubjects, ref);
        }
      }
      if (!id) throw new DomainError('CONFLICT', 'The single sign-on account vanished while it was being made; sign in again');
      const account = await mustGet(id);
      if (account.disabled) return account;
      await redis.hset(keys.account(id), { role: person.role, email: person.email ?? '', username: person.email ?? account.username, lastSignInAt: String(now()) });
      return mustGet(id);
    },

    async list(): Promise<AccountView[]> {
      const ids = [...Object.values(await redis.hgetall(keys.accountNames)), ...Object.values(await redis.hgetall(keys.ssoSubjects))];
      const accounts = await Promise.all(ids.map(get));
      return accounts.filter((a): a is StoredAccount => a !== null).map(view).sort((a, b) => a.username.localeCompare(b.username));
    },

    /** Disabling ends every session of the account at once (the epoch moves on). */
    async setDisabled(id: string, disabled: boolean): Promise<AccountView> {
      await mustGet(id);
      await redis.multi().hset(keys.account(id), 'disabled', disabled ? '1' : '0').hincrby(keys.account(id), 'epoch', 1).exec();
      return view(await mustGet(id));
    },

    async verify(account: StoredAccount, password: string): Promise<boolean> {
      return gate.run(() => verifyPassword(password, account.passwordHash));
    },

    /** Spends a real check's time on a username that does not exist (through the same gate). */
    async burn(password: string): Promise<void> {
      await gate.run(() => burnPasswordCheck(password, N));
    },

    /**
     * After a successful check: a hash made with weaker parameters is replaced, in place (the
     * epoch stays, so no session ends), only if the stored hash is still the one checked.
     * `fresh`: nothing to redo; `rehashed`: replaced; `changed`: the password changed since it was
     * read, so the password just checked is no longer the account's (the caller must not sign in with it).
     */
    async rehashIfNeeded(account: StoredAccount, password: string): Promise<'fresh' | 'rehashed' | 'changed'> {
      if (!needsRehash(account.passwordHash, N)) return 'fresh';
      const passwordHash = await hash(password);
      // Compare-and-set in one script: a password changed meanwhile is never overwritten with the old one.
      const swapped = await callScript(redis, swapHash, { account: keys.account(account.id) }, { expected: account.passwordHash, next: passwordHash });
      return swapped === 1 ? 'rehashed' : 'changed';
    },

    /** A new password ends every session; the caller then opens a fresh one for this browser. */
    async changePassword(id: string, password: string): Promise<number> {
      const passwordHash = await hash(password);
      const [, epoch] = (await redis.multi().hset(keys.account(id), { passwordHash, mustChangePassword: '0' }).hincrby(keys.account(id), 'epoch', 1).exec()) ?? [];
      return Number(epoch?.[1] ?? 0);
    },

    /** Ends every session of the account ("sign out everywhere"). */
    async bumpEpoch(id: string | null): Promise<void> {
      if (id) await redis.hincrby(keys.account(id), 'epoch', 1);
      else await redis.incr(keys.bootstrapEpoch);
    },

    async bootstrapEpoch(): Promise<number> {
      return Number((await redis.get(keys.bootstrapEpoch)) ?? 0);
    },
  };
}
