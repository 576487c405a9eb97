/**
 * Issue 22 item 13: a sign-in racing a password change never outlives it. The change is injected
 * deterministically between the password check and the session (a wrapper around the account
 * store's verify, which runs the real check and then the real change), not timed with sleeps.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredAccount } from '~/server/auth/accounts';
import { createSignIn } from '~/server/auth/sign-in';
import { requestInfo } from '~/server/auth/request-info';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness, type Harness } from '../../support/redis';

afterAll(closeAll);

const root = { principal: bootstrapAdmin, info: { address: '127.0.0.1', userAgent: 'vitest' } };
const cookie = (id: string) => new Headers({ cookie: `catalog_admin_session=${id}` });
const OLD = 'the-old-password-1';
const NEW = 'the-new-password-2';

/** An account whose password is OLD (first change done), in `h`. */
async function accountWithPassword(h: Harness, username: string) {
  const { account } = await h.access.createAccount(root, username, 'admin');
  await h.accounts.changePassword(account.id, OLD);
  return account;
}

/**
 * `signIn` of `via` whose password check, once it has passed, lets `change` run before sign-in goes
 * on; every session it makes is remembered, so the test can try each through authenticate().
 */
function racingSignIn(via: Harness, change: () => Promise<unknown>) {
  const sessions: string[] = [];
  let raced = false;
  const signIn = createSignIn({
    adminToken: 'unused-in-these-tests-0123456789',
    keys: via.keys.admin,
    accounts: {
      ...via.accounts,
      async verify(account: StoredAccount, password: string) {
        const ok = await via.accounts.verify(account, password);
        if (ok && !raced) {
          raced = true;
          await change();
        }
        return ok;
      },
    },
    sessions: {
      ...via.sessions,
      async create(accountId, epoch) {
        const id = await via.sessions.create(accountId, epoch);
        sessions.push(id);
        return id;
      },
    },
    limiter: via.limiter,
    audit: via.audit,
    limits: { perAccount: 100, perAddress: 100, windowMs: 60_000 },
  });
  return { signIn, sessions, raced: () => raced };
}

const info = (h: Harness) => requestInfo(new Headers({ 'user-agent': 'vitest' }), h.requestPolicy);

describe('a sign-in racing a password change', () => {
  it('checked against the old password, changed before the session is made: no session valid after the change', async () => {
    const h = harness();
    const account = await accountWithPassword(h, 'rae');
    const race = racingSignIn(h, () => h.accounts.changePassword(account.id, NEW));
    const result = await race.signIn('rae', OLD, info(h));
    expect(race.raced()).toBe(true);
    expect(result).toEqual({ ok: false });
    for (const id of race.sessions) expect(await h.authenticate(cookie(id))).toBeNull();
    const [entry] = (await h.audit.list({ limit: 1, action: 'auth.sign-in' })).items;
    expect(entry).toMatchObject({ outcome: 'failure', details: { reason: 'the password changed during the sign-in' } });
    // Without a race the same path signs in, with the new password only.
    expect((await h.signIn('rae', OLD, info(h))).ok).toBe(false);
    const fresh = await h.signIn('rae', NEW, info(h));
    expect(fresh.ok && (await h.authenticate(cookie(fresh.sessionId)))).toMatchObject({ accountId: account.id });
  });

  it('a rehash whose compare-and-set finds the new hash refuses the sign-in, in words, and keeps the new password', async () => {
    const weak = harness(); // hashes at 2^15
    const account = await accountWithPassword(weak, 'rob');
    const stored = () => client().hget(weak.keys.admin.account(account.id), 'passwordHash');
    const strong = harness({ ns: weak.ns, env: { SCRYPT_LOG2_N: '16' } }); // would redo the 2^15 hash at sign-in
    let changedTo: string | null = null;
    const race = racingSignIn(strong, async () => {
      await weak.accounts.changePassword(account.id, NEW);
      changedTo = await stored();
    });
    expect(await race.signIn('rob', OLD, info(strong))).toEqual({ ok: false });
    expect(race.sessions).toEqual([]); // refused before any session was made
    expect(changedTo).toMatch(/^scrypt\$32768\$/);
    expect(await stored()).toBe(changedTo); // the rehash of the old password did not overwrite the new one
    const [entry] = (await strong.audit.list({ limit: 1, action: 'auth.sign-in' })).items;
    expect(entry).toMatchObject({ outcome: 'failure', details: { reason: 'the password changed during the sign-in' } });
    const signedIn = await strong.signIn('rob', NEW, info(strong));
    expect(signedIn.ok && (await strong.authenticate(cookie(signedIn.sessionId)))).toMatchObject({ accountId: account.id });
  });
});
