/**
 * Issue 12's hardening: a client address the client cannot choose, a bound on password hashes,
 * credentials that follow their account, the bootstrap epoch tied to ADMIN_TOKEN, schedules
 * audited and capped, wrong current passwords throttled.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createHashGate } from '~/server/auth/hash-gate';
import { DEFAULT_N, needsRehash } from '~/server/auth/passwords';
import { requestInfo } from '~/server/auth/request-info';
import { envSchema } from '~/server/env';
import type { Principal } from '~/server/identity/schema';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness, type Harness } from '../../support/redis';

afterAll(closeAll);

const from = (xff: string, h: Harness) => requestInfo(new Headers({ 'x-forwarded-for': xff, 'user-agent': 'vitest' }), h.requestPolicy);
const root = { principal: bootstrapAdmin, info: { address: '127.0.0.1', userAgent: 'vitest' } };
const cookie = (id: string) => new Headers({ cookie: `catalog_admin_session=${id}` });
const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });
const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

/** An admin account signed in with its own password: its principal and session. */
async function signedInAdmin(h: Harness, username: string) {
  const { account, initialPassword } = await h.access.createAccount(root, username, 'admin');
  const first = await h.signIn(username, initialPassword, from('192.0.2.1', h));
  if (!first.ok) throw new Error('sign-in failed');
  const pending = (await h.authenticate(cookie(first.sessionId))) as Principal;
  const password = `${username}-own-password-1`;
  const sessionId = await h.access.changePassword({ principal: pending, info: root.info }, initialPassword, password);
  const principal = (await h.authenticate(cookie(sessionId))) as Principal;
  return { account, principal, password, sessionId, caller: { principal, info: root.info } };
}

describe('the client address', () => {
  it('by default no X-Forwarded-For is believed: 30 failed sign-ins with 30 forged addresses and usernames are throttled by the 21st', async () => {
    const h = harness(); // LOGIN_FAILURES_PER_ADDRESS: the default, 20
    const outcomes: string[] = [];
    for (let i = 1; i <= 30; i++) {
      const outcome = await h.signIn(`guess${i}`, 'wrong-password', from(`198.51.100.${i}`, h)).then(
        (r) => (r.ok ? 'ok' : 'failed'),
        (e: { code?: string }) => e.code ?? 'error',
      );
      outcomes.push(outcome);
    }
    expect(outcomes.slice(0, 20)).toEqual(Array(20).fill('failed'));
    expect(outcomes.slice(20)).toEqual(Array(10).fill('RATE_LIMITED'));
    // The audit still shows what each claimed, marked as a claim.
    const failed = await h.audit.list({ limit: 1, action: 'auth.sign-in' });
    expect(failed.items[0]?.address).toBe('unverified 198.51.100.20');
  });

  it('behind a configured proxy (TRUSTED_PROXIES=1), two real clients keep separate budgets, whatever they write into the header', async () => {
    const h = harness({ env: { TRUSTED_PROXIES: '1', LOGIN_FAILURES_PER_ADDRESS: '3' } });
    // The proxy appends the address it saw; what the client wrote to the left of it is ignored.
    for (let i = 0; i < 3; i++) expect((await h.signIn(`a${i}`, 'wrong-password', from(`10.9.9.${i}, 203.0.113.1`, h))).ok).toBe(false);
    await expect(h.signIn('a9', 'wrong-password', from('10.0.0.77, 203.0.113.1', h))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect((await h.signIn('b0', 'wrong-password', from('203.0.113.1, 203.0.113.2', h))).ok).toBe(false);
    expect((await h.audit.list({ limit: 1, action: 'auth.sign-in' })).items[0]?.address).toBe('203.0.113.2');
  });
});

describe('the bound on password hashes', () => {
  it('runs at most `concurrency` at once, queues `queue` more, refuses the rest at once with a retry', async () => {
    const gate = createHashGate(1, 1);
    const first = deferred();
    const second = deferred();
    const running = gate.run(() => first.promise.then(() => 'first'));
    const queued = gate.run(() => second.promise.then(() => 'second'));
    expect(gate.load()).toEqual({ running: 1, waiting: 1 });
    await expect(gate.run(async () => 'third')).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } });
    first.release();
    expect(await running).toBe('first');
    second.release();
    expect(await queued).toBe('second');
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
    // A failed task frees its slot too.
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'again')).toBe('again');
  });

  it('a sign-in beyond the bound is refused (RATE_LIMITED, retry in 1 s) before any check, audited, and costs no attempt', async () => {
    const h = harness({ env: { PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '0', LOGIN_FAILURES_PER_ADDRESS: '1' } });
    const { initialPassword } = await h.access.createAccount(root, 'zoe', 'viewer');
    const held = deferred();
    const busy = h.hashGate.run(() => held.promise);
    await expect(h.signIn('zoe', initialPassword, from('192.0.2.5', h))).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } });
    const refused = await h.audit.list({ stream: 'anonymous', limit: 1, action: 'auth.sign-in' });
    expect(refused.items[0]).toMatchObject({ outcome: 'refused', details: { reason: 'too many password checks at once' } });
    held.release();
    await busy;
    // The refused attempt was given back: the address's single attempt is still there.
    expect((await h.signIn('zoe', initialPassword, from('192.0.2.5', h))).ok).toBe(true);
  });
});

describe('scrypt cost', () => {
  it('defaults to N=2^17; weaker stored hashes are redone at the next sign-in, and the password still works', async () => {
    expect(DEFAULT_N).toBe(2 ** 17);
    expect(envSchema.parse({ ADMIN_TOKEN: 'x'.repeat(24) }).SCRYPT_LOG2_N).toBe(17);
    expect(needsRehash(`scrypt$${2 ** 15}$8$s$k`)).toBe(true);
    expect(needsRehash(`scrypt$${2 ** 17}$8$s$k`)).toBe(false);
    expect(needsRehash(`scrypt$${2 ** 17}$4$s$k`)).toBe(true);
    expect(needsRehash(`bcrypt$x`)).toBe(true);
    const weak = harness(); // 2^15
    const { account, initialPassword } = await weak.access.createAccount(root, 'old', 'viewer');
    const stored = () => client().hget(weak.keys.admin.account(account.id), 'passwordHash');
    expect(await stored()).toMatch(/^scrypt\$32768\$8\$1\$/);
    const strong = harness({ ns: weak.ns, env: { SCRYPT_LOG2_N: '16' } });
    expect((await strong.signIn('old', initialPassword, from('192.0.2.8', strong))).ok).toBe(true);
    expect(await stored()).toMatch(/^scrypt\$65536\$8\$1\$/);
    expect((await strong.signIn('old', initialPassword, from('192.0.2.8', strong))).ok).toBe(true);
    expect((await strong.signIn('old', 'not-the-password', from('192.0.2.8', strong))).ok).toBe(false);
  });
});

describe('credentials follow their account', () => {
  it('a token made by an account is refused while the account is disabled, and stays refused after it is enabled again', async () => {
    const h = harness();
    const ana = await signedInAdmin(h, 'ana');
    const { token } = await h.access.createToken(ana.caller, 'ana script', 'admin');
    expect(await h.authenticate(bearer(token))).toMatchObject({ kind: 'token', tokenName: 'ana script' });
    const stored = await h.tokens.get(`tok_${token.slice(4, 20)}`);
    expect(stored?.owner).toEqual({ accountId: ana.account.id, epoch: expect.any(String) });
    await h.access.setDisabled(root, ana.account.id, true);
    expect(await h.authenticate(bearer(token))).toBeNull();
    await h.access.setDisabled(root, ana.account.id, false);
    expect(await h.authenticate(bearer(token))).toBeNull();
  });

  it('a password change and "sign out everywhere" end the account’s tokens too; other accounts’ tokens live on', async () => {
    const h = harness();
    const bea = await signedInAdmin(h, 'bea');
    const cal = await signedInAdmin(h, 'cal');
    const beaToken = (await h.access.createToken(bea.caller, 'bea script', 'viewer')).token;
    const calToken = (await h.access.createToken(cal.caller, 'cal script', 'viewer')).token;
    await h.access.changePassword(bea.caller, bea.password, 'bea-second-password');
    expect(await h.authenticate(bearer(beaToken))).toBeNull();
    expect(await h.authenticate(bearer(calToken))).not.toBeNull();
    await h.access.signOutEverywhere(cal.caller);
    expect(await h.authenticate(bearer(calToken))).toBeNull();
  });

  it('a token made by a token is bound to the first one’s maker', async () => {
    const h = harness();
    const dan = await signedInAdmin(h, 'dan');
    const parent = (await h.access.createToken(dan.caller, 'parent', 'admin')).token;
    const parentPrincipal = (await h.authenticate(bearer(parent))) as Principal;
    const child = (await h.access.createToken({ principal: parentPrincipal, info: root.info }, 'child', 'viewer')).token;
    expect(await h.authenticate(bearer(child))).not.toBeNull();
    await h.access.setDisabled(root, dan.account.id, true);
    expect(await h.authenticate(bearer(child))).toBeNull();
  });

  it('a changed ADMIN_TOKEN ends the bootstrap admin’s sessions and the tokens it made', async () => {
    const before = harness();
    const signedIn = await before.signIn('', 'unused-in-these-tests-0123456789', from('192.0.2.9', before));
    if (!signedIn.ok) throw new Error('bootstrap sign-in failed');
    const { token } = await before.access.createToken(root, 'bootstrap script', 'admin');
    expect(await before.authenticate(cookie(signedIn.sessionId))).toMatchObject({ bootstrap: true });
    expect(await before.authenticate(bearer(token))).not.toBeNull();
    const after = harness({ ns: before.ns, env: { ADMIN_TOKEN: 'a-brand-new-admin-token-0123456789' } });
    expect(await after.authenticate(cookie(signedIn.sessionId))).toBeNull();
    expect(await after.authenticate(bearer(token))).toBeNull();
    // The same token again: both are back (nothing else changed).
    const same = harness({ ns: before.ns });
    expect(await same.authenticate(cookie(signedIn.sessionId))).toMatchObject({ bootstrap: true });
  });

  it('nobody can disable their own account, and each change is audited under its own action', async () => {
    const h = harness();
    const eve = await signedInAdmin(h, 'eve');
    await expect(h.access.setDisabled(eve.caller, eve.account.id, true)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'You cannot disable your own account' });
    expect((await h.accounts.get(eve.account.id))?.disabled).toBe(false);
    const other = await h.access.createAccount(eve.caller, 'fay', 'viewer');
    await h.access.setDisabled(eve.caller, other.account.id, true);
    await h.access.setDisabled(eve.caller, other.account.id, false);
    const { id } = await h.access.createToken(eve.caller, 'eve token', 'viewer');
    await h.access.revokeToken(eve.caller, id);
    await h.access.signOutEverywhere(eve.caller);
    const actions = (await h.audit.list({ limit: 6, actor: 'eve' })).items.map((e) => `${e.action} ${e.outcome} ${e.target}`);
    expect(actions).toEqual([
      'auth.sign-out-everywhere success eve',
      'token.revoke success eve token',
      'token.create success eve token',
      'account.enable success fay',
      'account.disable success fay',
      'account.create success fay',
    ]);
  });
});

describe('legacy tokens and callers without a password', () => {
  it('a token stored before owners were recorded still works until revoked, but cannot make tokens; tokens and the same password are refused at the password form', async () => {
    const h = harness();
    const { id, token } = await h.access.createToken(root, 'old script', 'admin');
    await client().hdel(h.keys.admin.apiToken(id), 'ownerAccountId', 'ownerEpoch'); // as an older release stored it
    expect((await h.tokens.get(id))?.owner).toBeNull();
    const legacy = (await h.authenticate(bearer(token))) as Principal;
    expect(legacy).toMatchObject({ kind: 'token', tokenId: id });
    await expect(h.access.createToken({ principal: legacy, info: root.info }, 'child', 'viewer')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.access.changePassword({ principal: legacy, info: root.info }, 'x', 'a-long-new-password')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'An API token has no password' });
    const hal = await signedInAdmin(h, 'hal');
    await expect(h.access.changePassword(hal.caller, hal.password, hal.password)).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { reason: 'same' } });
  });
});

describe('password changes', () => {
  it('wrong current passwords are throttled per account (then even the right one waits), and audited', async () => {
    const h = harness({ env: { LOGIN_FAILURES_PER_ACCOUNT: '2' } });
    const gil = await signedInAdmin(h, 'gil');
    for (let i = 0; i < 2; i++) await expect(h.access.changePassword(gil.caller, 'wrong-current', 'gil-next-password')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(h.access.changePassword(gil.caller, gil.password, 'gil-next-password')).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    const audited = (await h.audit.list({ limit: 3, action: 'auth.password-change', actor: 'gil' })).items.map((e) => e.outcome);
    expect(audited).toEqual(['refused', 'failure', 'failure']);
    // A right current password gives its attempt back: another account is unaffected, and the password did not change.
    expect((await h.signIn('gil', gil.password, from('192.0.2.11', h))).ok).toBe(true);
  });
});

describe('schedules', () => {
  it('are audited on save and remove, and capped at SCHEDULES_MAX', async () => {
    const h = harness({ env: { SCHEDULES_MAX: '2' } });
    const admin = createCaller({ services: h, actor: bootstrapAdmin, request: from('192.0.2.12', h) });
    const timing = { kind: 'interval' as const, everySeconds: 3600 };
    const first = await admin.schedules.save({ providers: ['groq'], timing, enabled: false });
    await admin.schedules.save({ providers: 'all', timing, enabled: false });
    await expect(admin.schedules.save({ providers: ['xai'], timing, enabled: false })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('SCHEDULES_MAX') });
    expect(await admin.schedules.list()).toHaveLength(2);
    await admin.schedules.save({ id: first.id, providers: ['xai'], timing, enabled: false }); // editing one is not a new one
    await admin.schedules.remove({ id: first.id });
    const audited = (await h.audit.list({ limit: 10 })).items.filter((e) => e.action.startsWith('schedule.'));
    expect(audited.map((e) => [e.action, e.target, e.details.created])).toEqual([
      ['schedule.remove', first.id, undefined],
      ['schedule.save', first.id, false],
      ['schedule.save', expect.any(String), true],
      ['schedule.save', first.id, true],
    ]);
    expect(audited[0]).toMatchObject({ actorName: 'admin (bootstrap)', address: 'unverified 192.0.2.12' });
  });
});
