/** Named API tokens: shown once, stored hashed, listed without the secret, refused once revoked. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness, keysUnder } from '../../support/redis';

afterAll(closeAll);

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

describe('API tokens', () => {
  it('tokens.create → { id, token }; list shows name, role, creator, times and never the token; revoke refuses the next call', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const { id, token } = await admin.tokens.create({ name: 'deploy script', role: 'admin' });
    expect(token).toMatch(/^cit_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);

    const principal = await h.authenticate(bearer(token));
    expect(principal).toMatchObject({ kind: 'token', role: 'admin', tokenId: id, tokenName: 'deploy script', name: 'deploy script' });
    const list = await admin.tokens.list();
    expect(list).toEqual({
      items: [
        { id, name: 'deploy script', role: 'admin', providers: null, createdBy: 'admin (bootstrap)', createdAt: expect.any(Number), lastUsedAt: expect.any(Number), revokedAt: null, madeBy: null, revokedVia: null },
      ],
      nextCursor: null,
      total: 1,
    });
    expect(JSON.stringify(list)).not.toContain(token.slice(21));
    const redis = client();
    for (const key of await keysUnder(redis, h.ns.adminPrefix)) {
      const type = await redis.type(key);
      const value = type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : type === 'string' ? await redis.get(key) : '';
      expect(value).not.toContain(token);
    }

    // A token used by a tRPC caller works; revoked, it is nobody on its next call.
    if (!principal) return;
    expect(await createCaller({ services: h, actor: principal }).invalidation.history({})).toMatchObject({ items: [] });
    await admin.tokens.revoke({ id });
    expect(await h.authenticate(bearer(token))).toBeNull();
    expect((await admin.tokens.list()).items[0]?.revokedAt).toEqual(expect.any(Number));

    const audit = await h.audit.list({ limit: 10 });
    expect(audit.items.map((e) => [e.action, e.target])).toEqual([
      ['token.revoke', 'deploy script'],
      ['token.create', 'deploy script'],
    ]);
  });

  it('forged tokens are nobody: wrong secret for a real id, unknown id, lookalikes', async () => {
    const h = harness();
    const { token } = await h.access.createToken({ principal: bootstrapAdmin, info: { address: 'x', userAgent: '' } }, 'ci', 'viewer');
    const forged = [
      `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      token.replace(/_[0-9a-f]{16}_/, '_0000000000000000_'),
      `${token}x`,
      token.toUpperCase(),
      `cit_${'0'.repeat(16)}_${'A'.repeat(43)}`,
      'cit_../../etc/passwd',
    ];
    for (const candidate of forged) expect(await h.authenticate(bearer(candidate))).toBeNull();
    await expect(h.access.revokeToken({ principal: bootstrapAdmin, info: { address: 'x', userAgent: '' } }, 'tok_0000000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('sign out everywhere with a token', () => {
  it('is refused: a token has no sessions, and must not end the bootstrap admin\'s', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const { token } = await admin.tokens.create({ name: 'ci', role: 'viewer' });
    const principal = await h.authenticate(bearer(token));
    if (!principal) throw new Error('token not accepted');
    const before = await h.accounts.bootstrapEpoch();
    await expect(createCaller({ services: h, actor: principal }).session.signOutEverywhere()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await h.accounts.bootstrapEpoch()).toBe(before);
  });
});
