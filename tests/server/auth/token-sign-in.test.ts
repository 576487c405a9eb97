/** A named API token signs in at the form with its own role and scope; its session ends with the token. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);

const at = (address: string) => ({ address, limitAddress: address, userAgent: 'vitest', hasSessionCookie: false, sameOrigin: true });
const cookie = (id: string) => new Headers({ cookie: `catalog_admin_session=${id}` });

describe('a token at the sign-in form', () => {
  it('signs in as itself (role and scope), and its session is refused once the token is revoked', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const { id, token } = await admin.tokens.create({ name: 'wall screen', role: 'viewer', providers: ['groq'] });
    const result = await h.signIn('', token, at('192.0.2.1'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const principal = await h.authenticate(cookie(result.sessionId));
    expect(principal).toMatchObject({ kind: 'session', role: 'viewer', tokenId: id, tokenName: 'wall screen', name: 'wall screen', providers: ['groq'], mustChangePassword: false });
    expect(principal?.accountId).toBeUndefined();
    expect(principal?.bootstrap).toBeUndefined();

    await admin.tokens.revoke({ id });
    expect(await h.authenticate(cookie(result.sessionId))).toBeNull();
    // Revoked, it cannot sign in again either; the refusal reads like any other.
    expect(await h.signIn('', token, at('192.0.2.1'))).toEqual({ ok: false });
  });

  it('is refused with a wrong secret, or with a username (a token is never a password)', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const { token } = await admin.tokens.create({ name: 'ops', role: 'operator' });
    expect(await h.signIn('', `${token.slice(0, -4)}AAAA`, at('192.0.2.2'))).toEqual({ ok: false });
    expect(await h.signIn('ops', token, at('192.0.2.2'))).toEqual({ ok: false });
    expect((await h.signIn('', token, at('192.0.2.2'))).ok).toBe(true);
  });

  it('ends when the account that made the token signs out everywhere', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const { token } = await admin.tokens.create({ name: 'kiosk', role: 'viewer' });
    const result = await h.signIn('', token, at('192.0.2.3'));
    if (!result.ok) throw new Error('sign-in refused');
    expect(await h.authenticate(cookie(result.sessionId))).toMatchObject({ name: 'kiosk' });
    await h.access.signOutEverywhere({ principal: bootstrapAdmin, info: at('127.0.0.1') });
    expect(await h.authenticate(cookie(result.sessionId))).toBeNull();
  });
});
