/** Accounts, sessions and sign-in on the real Redis: hashes only, revocation, generic failures, audit. */
import { afterAll, describe, expect, it } from 'vitest';
import { client, closeAll, harness, HARNESS_ADMIN_TOKEN, keysUnder } from '../../support/redis';

afterAll(closeAll);

const from = { address: '203.0.113.7', limitAddress: '203.0.113.7', userAgent: 'vitest', hasSessionCookie: false, sameOrigin: true };
const cookie = (id: string) => new Headers({ cookie: `catalog_admin_session=${id}` });
const admin = { kind: 'session' as const, label: 'root', role: 'admin' as const, bootstrap: true, name: 'admin (bootstrap)', mustChangePassword: false };
const caller = { principal: admin, info: from };

async function signedIn(h: ReturnType<typeof harness>, username: string, password: string) {
  const result = await h.signIn(username, password, from);
  if (!result.ok) throw new Error(`sign-in of ${username} failed`);
  return result;
}

describe('accounts and sessions', () => {
  it('stores no password or session id in Redis, only slow and SHA-256 hashes', async () => {
    const h = harness();
    const { initialPassword } = await h.access.createAccount(caller, 'ana', 'viewer');
    const { sessionId } = await signedIn(h, 'ana', initialPassword);
    const redis = client();
    const dump = JSON.stringify(await Promise.all((await keysUnder(redis, h.ns.adminPrefix)).map(async (k) => [k, (await redis.dumpBuffer(k))?.toString('latin1')])));
    expect(dump).not.toContain(initialPassword);
    expect(dump).not.toContain(sessionId);
    expect(dump).toContain('scrypt$');
  });

  it('an initial password must be changed first; changing it ends every other session', async () => {
    const h = harness();
    const { initialPassword } = await h.access.createAccount(caller, 'bea', 'admin');
    const first = await signedIn(h, 'bea', initialPassword);
    expect(first.mustChangePassword).toBe(true);
    const other = await signedIn(h, 'bea', initialPassword);
    const principal = await h.authenticate(cookie(first.sessionId));
    expect(principal).toMatchObject({ username: 'bea', role: 'admin', mustChangePassword: true });
    if (!principal) return;

    await expect(h.access.changePassword({ principal, info: from }, 'wrong', 'a-brand-new-password')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const fresh = await h.access.changePassword({ principal, info: from }, initialPassword, 'a-brand-new-password');
    expect(await h.authenticate(cookie(first.sessionId))).toBeNull();
    expect(await h.authenticate(cookie(other.sessionId))).toBeNull();
    expect(await h.authenticate(cookie(fresh))).toMatchObject({ username: 'bea', mustChangePassword: false });
    expect((await h.signIn('bea', initialPassword, from)).ok).toBe(false);
    expect((await h.signIn('bea', 'a-brand-new-password', from)).ok).toBe(true);
  });

  it('disabling ends the sessions at once and refuses sign-in; enabling lets sign-in work again', async () => {
    const h = harness();
    const { account, initialPassword } = await h.access.createAccount(caller, 'cy', 'viewer');
    const { sessionId } = await signedIn(h, 'cy', initialPassword);
    await h.access.setDisabled(caller, account.id, true);
    expect(await h.authenticate(cookie(sessionId))).toBeNull();
    expect((await h.signIn('cy', initialPassword, from)).ok).toBe(false);
    await h.access.setDisabled(caller, account.id, false);
    expect((await h.signIn('cy', initialPassword, from)).ok).toBe(true);
    await expect(h.access.createAccount(caller, 'cy', 'admin')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('"sign out everywhere" ends every session of that account only', async () => {
    const h = harness();
    const a = await h.access.createAccount(caller, 'dee', 'viewer');
    const b = await h.access.createAccount(caller, 'eli', 'viewer');
    const dee1 = await signedIn(h, 'dee', a.initialPassword);
    const dee2 = await signedIn(h, 'dee', a.initialPassword);
    const eli = await signedIn(h, 'eli', b.initialPassword);
    const principal = await h.authenticate(cookie(dee1.sessionId));
    if (!principal) throw new Error('not signed in');
    await h.access.signOutEverywhere({ principal, info: from });
    expect(await h.authenticate(cookie(dee1.sessionId))).toBeNull();
    expect(await h.authenticate(cookie(dee2.sessionId))).toBeNull();
    expect(await h.authenticate(cookie(eli.sessionId))).not.toBeNull();
  });

  it('the bootstrap admin signs in with ADMIN_TOKEN and no username; Bearer ADMIN_TOKEN is the admin', async () => {
    const h = harness();
    const { sessionId } = await signedIn(h, '', HARNESS_ADMIN_TOKEN);
    expect(await h.authenticate(cookie(sessionId))).toMatchObject({ role: 'admin', bootstrap: true });
    expect(await h.authenticate(new Headers({ authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` }))).toMatchObject({ role: 'admin', bootstrap: true });
    expect(await h.authenticate(new Headers({ authorization: 'Bearer nope' }))).toBeNull();
    // A Bearer header that fails never falls back to the cookie.
    expect(await h.authenticate(new Headers({ authorization: 'Bearer nope', cookie: `catalog_admin_session=${sessionId}` }))).toBeNull();
  });

  it('a failed sign-in reads the same whether the account exists or not, and each attempt is audited', async () => {
    const h = harness();
    const { initialPassword } = await h.access.createAccount(caller, 'fay', 'viewer');
    expect(await h.signIn('fay', 'wrong-password', from)).toEqual({ ok: false });
    expect(await h.signIn('nobody', 'wrong-password', from)).toEqual({ ok: false });
    await signedIn(h, 'fay', initialPassword);
    const { items } = await h.audit.list({ limit: 10, action: 'auth.sign-in' });
    expect(items.map((e) => [e.actorName, e.outcome, e.address, e.userAgent])).toEqual([
      ['fay', 'success', from.address, 'vitest'],
      ['nobody', 'failure', from.address, 'vitest'],
      ['fay', 'failure', from.address, 'vitest'],
    ]);
  });
});

describe('creating accounts concurrently', () => {
  it('two admins creating the same username at once get one account and one CONFLICT', async () => {
    const h = harness();
    const results = await Promise.allSettled([h.access.createAccount(caller, 'twin', 'viewer'), h.access.createAccount(caller, 'twin', 'admin')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
    expect((await h.access.listAccounts()).map((a) => a.username)).toEqual(['twin']);
  });
});
