/** Failed sign-ins are limited per account and per address; the bootstrap admin's API access never is. */
import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, harness, HARNESS_ADMIN_TOKEN } from '../../support/redis';

afterAll(closeAll);

const at = (address: string) => ({ address, limitAddress: address, userAgent: 'vitest', hasSessionCookie: false, sameOrigin: true });
const admin = { kind: 'token' as const, label: 'root', role: 'admin' as const, bootstrap: true, name: 'admin (bootstrap)', mustChangePassword: false };
const caller = { principal: admin, info: at('127.0.0.1') };
const limits = { LOGIN_FAILURES_PER_ACCOUNT: '3', LOGIN_FAILURES_PER_ADDRESS: '5', LOGIN_WINDOW_SECONDS: '600' };

describe('sign-in throttling', () => {
  it('after 3 failures on one account (from any address) the next attempt is RATE_LIMITED with a wait, even with the right password', async () => {
    const h = harness({ env: limits });
    const { initialPassword } = await h.access.createAccount(caller, 'gus', 'viewer');
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect((await h.signIn('gus', 'wrong-password', at(address))).ok).toBe(false);
    const refused = await h.signIn('gus', initialPassword, at('198.51.100.4')).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/try again in \d+ seconds/) });
    const seconds = (refused as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(200); // one attempt back after window/limit
    // Another account from the same addresses is unaffected.
    const other = await h.access.createAccount(caller, 'hal', 'viewer');
    expect((await h.signIn('hal', other.initialPassword, at('198.51.100.1'))).ok).toBe(true);
    // Checked sign-ins (bounded by the limits) are in the trail; the throttled one, which anyone can repeat without limit, in the anonymous stream.
    const audited = await h.audit.list({ limit: 20, action: 'auth.sign-in', actor: 'gus' });
    expect(audited.items.map((e) => e.outcome)).toEqual(['failure', 'failure', 'failure']);
    const throttled = await h.audit.list({ stream: 'anonymous', limit: 20, action: 'auth.sign-in', actor: 'gus' });
    expect(throttled.items.map((e) => e.outcome)).toEqual(['refused']);
  });

  it('after 5 failures from one address, that address waits, whatever account it tries; other addresses do not', async () => {
    const h = harness({ env: limits });
    const { initialPassword } = await h.access.createAccount(caller, 'ida', 'viewer');
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) await h.signIn(name, 'wrong-password', at('192.0.2.9'));
    await expect(h.signIn('ida', initialPassword, at('192.0.2.9'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect((await h.signIn('ida', initialPassword, at('192.0.2.10'))).ok).toBe(true);
  });

  it('nobody can lock the bootstrap admin out of the API: failures throttle that address at the form, Bearer still works', async () => {
    const h = harness({ env: limits });
    for (let i = 0; i < 5; i++) await h.signIn('', 'not-the-admin-token', at('192.0.2.66'));
    await expect(h.signIn('', HARNESS_ADMIN_TOKEN, at('192.0.2.66'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect((await h.signIn('', HARNESS_ADMIN_TOKEN, at('192.0.2.67'))).ok).toBe(true);
    expect(await h.authenticate(new Headers({ authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` }))).toMatchObject({ role: 'admin' });
  });

  it('20 concurrent wrong guesses on one account: exactly 3 are checked, the rest wait', async () => {
    const h = harness({ env: limits });
    await h.access.createAccount(caller, 'jo', 'viewer');
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => h.signIn('jo', `guess-${i}-xxxxxxxx`, at(`10.0.0.${i}`))));
    // Each attempt is charged before its check, atomically: the limit holds under concurrency.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    await expect(h.signIn('jo', 'one-more-guess-xxx', at('10.0.1.1'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
