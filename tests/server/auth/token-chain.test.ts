/**
 * Issue 22 item 10: revoking a token refuses every token it made, and every token those made, at
 * their next use, through the real auth path (authenticate, then tRPC createCaller).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_TOKEN_CHAIN } from '~/server/auth/api-tokens';
import type { Principal } from '~/server/identity/schema';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { closeAll, harness, type Harness } from '../../support/redis';

afterAll(closeAll);

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

/** Who the token is, through authenticate() as every request goes. */
async function as(h: Harness, token: string): Promise<Principal> {
  const principal = await h.authenticate(bearer(token));
  if (!principal) throw new Error('token refused');
  return principal;
}

describe('revoking a token', () => {
  it('token A (admin) mints B, B mints C; A revoked: B and C are refused, and the list says A is why', async () => {
    const h = harness();
    const root = createCaller({ services: h, actor: bootstrapAdmin });
    const a = await root.tokens.create({ name: 'leaked', role: 'admin' });
    const b = await createCaller({ services: h, actor: await as(h, a.token) }).tokens.create({ name: 'minted by leaked', role: 'admin' });
    const c = await createCaller({ services: h, actor: await as(h, b.token) }).tokens.create({ name: 'minted by minted', role: 'viewer' });
    const other = await root.tokens.create({ name: 'unrelated', role: 'admin' });
    const asB = await as(h, b.token);
    expect(asB).toMatchObject({ role: 'admin', tokenId: b.id });
    expect(await createCaller({ services: h, actor: asB }).invalidation.history({})).toMatchObject({ items: [] }); // B works, as an admin

    await root.tokens.revoke({ id: a.id });

    for (const token of [a.token, b.token, c.token]) expect(await h.authenticate(bearer(token))).toBeNull();
    expect(await h.authenticate(bearer(other.token))).toMatchObject({ tokenId: other.id });
    // A principal read before the revocation finds nothing more to do either: its next request is authenticated afresh.
    await expect(createCaller({ services: h, actor: await h.authenticate(bearer(b.token)) }).tokens.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const { items } = await root.tokens.list();
    const byId = new Map(items.map((t) => [t.id, t]));
    expect(byId.get(a.id)).toMatchObject({ revokedAt: expect.any(Number), revokedVia: null, madeBy: null });
    expect(byId.get(b.id)).toMatchObject({ revokedAt: null, madeBy: a.id, revokedVia: { id: a.id, name: 'leaked', revokedAt: byId.get(a.id)?.revokedAt } });
    expect(byId.get(c.id)).toMatchObject({ revokedAt: null, madeBy: b.id, revokedVia: { id: a.id, name: 'leaked' } });
    expect(byId.get(other.id)).toMatchObject({ revokedAt: null, revokedVia: null });
  });

  it('a token minted by A after A is revoked (its request authenticated just before) is refused too', async () => {
    const h = harness();
    const root = createCaller({ services: h, actor: bootstrapAdmin });
    const a = await root.tokens.create({ name: 'leaked', role: 'admin' });
    const asA = await as(h, a.token); // the request was let in...
    await root.tokens.revoke({ id: a.id }); // ...then the admin revokes A before A's mutation runs
    const late = await createCaller({ services: h, actor: asA }).tokens.create({ name: 'late', role: 'admin' });
    expect(await h.authenticate(bearer(late.token))).toBeNull();
  });

  it('revoking B leaves its maker A working; a chain deeper than the limit is refused in words', async () => {
    const h = harness();
    const root = createCaller({ services: h, actor: bootstrapAdmin });
    const a = await root.tokens.create({ name: 'a', role: 'admin' });
    const b = await createCaller({ services: h, actor: await as(h, a.token) }).tokens.create({ name: 'b', role: 'admin' });
    await root.tokens.revoke({ id: b.id });
    expect(await h.authenticate(bearer(a.token))).toMatchObject({ tokenId: a.id });

    let token = a.token;
    for (let depth = 1; depth <= MAX_TOKEN_CHAIN; depth++) {
      token = (await createCaller({ services: h, actor: await as(h, token) }).tokens.create({ name: `link ${depth}`, role: 'admin' })).token;
    }
    await expect(createCaller({ services: h, actor: await as(h, token) }).tokens.create({ name: 'too deep', role: 'admin' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `This token was made by a chain of ${MAX_TOKEN_CHAIN} tokens and cannot make another: make it signed in with an account`,
    });
  });
});
