/**
 * The operator role (issue 25): accounts and tokens made with it, through the real procedures; an
 * operator previews, invalidates and refreshes, and never manages accounts, tokens, schedules or the
 * audit trail. (Every procedure and route at every role: tests/server/security/levels.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);

const from = { address: '203.0.113.9', limitAddress: '203.0.113.9', userAgent: 'vitest', hasSessionCookie: false, sameOrigin: true };
const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

describe('the operator role', () => {
  it('an operator token previews, invalidates and refreshes, and is refused every management procedure', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const { token } = await admin.tokens.create({ name: 'deploy pipeline', role: 'operator' });
    const principal = await h.authenticate(bearer(token));
    expect(principal).toMatchObject({ kind: 'token', role: 'operator', name: 'deploy pipeline' });
    if (!principal) return;
    const operator = createCaller({ services: h, actor: principal });

    expect(await operator.invalidation.preview({ providers: ['groq'] })).toMatchObject({ providers: [expect.objectContaining({ provider: 'groq' })] });
    expect(await operator.invalidation.start({ providers: ['groq'], mode: 'soft', refresh: true })).toMatchObject({ jobId: expect.any(String) });

    const refused = async (call: () => Promise<unknown>) => call().then(() => 'allowed', (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`);
    const management: Array<[string, () => Promise<unknown>]> = [
      ['tokens.create', () => operator.tokens.create({ name: 'more', role: 'viewer' })],
      ['tokens.list', () => operator.tokens.list()],
      ['accounts.create', () => operator.accounts.create({ username: 'someone', role: 'viewer' })],
      ['accounts.list', () => operator.accounts.list()],
      ['schedules.save', () => operator.schedules.save({ name: 'nightly', cron: '0 3 * * *', providers: ['groq'] } as never)],
      ['audit.list', () => operator.audit.list({})],
    ];
    for (const [name, call] of management) {
      expect(`${name} → ${await refused(call)}`).toBe(`${name} → FORBIDDEN: Forbidden: only an admin may do this; you are signed in as an operator`);
    }
  });

  it('an operator account signs in as an operator, and the list shows the role', async () => {
    const h = harness();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    const { account, initialPassword } = await admin.accounts.create({ username: 'oli', role: 'operator' });
    expect(account).toMatchObject({ username: 'oli', role: 'operator' });
    const signedIn = await h.signIn('oli', initialPassword, from);
    if (!signedIn.ok) throw new Error('sign-in failed');
    expect(await h.authenticate(new Headers({ cookie: `catalog_admin_session=${signedIn.sessionId}` }))).toMatchObject({ role: 'operator', username: 'oli' });
    expect((await admin.accounts.list()).map((a) => [a.username, a.role])).toEqual([['oli', 'operator']]);
  });
});
