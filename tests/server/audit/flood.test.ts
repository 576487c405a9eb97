/** Nobody outside can flush the audit trail: anonymous refusals go to their own capped stream. */
import { afterAll, describe, expect, it } from 'vitest';
import { storeOf } from '~/server/audit/schema';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness } from '../../support/redis';

afterAll(closeAll);

const info = { address: '203.0.113.50', userAgent: 'vitest' };

describe('audit trail under a flood of anonymous refusals', () => {
  it('3,000 anonymous refusals at AUDIT_MAXLEN=1000 leave the admin’s earlier entry in the trail; the anonymous stream holds only its own cap', async () => {
    const h = harness({ env: { AUDIT_MAXLEN: '1000', AUDIT_ANONYMOUS_MAXLEN: '500' } });
    const { id } = await h.access.createToken({ principal: bootstrapAdmin, info }, 'nightly', 'admin');
    // A smaller flood through the real gate (createCaller, no actor), then 3,000 refusal entries straight into the trail.
    const anonymous = createCaller({ services: h, actor: null });
    for (let i = 0; i < 100; i++) await expect(anonymous.providers.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const refusal = { action: 'call.refused' as const, outcome: 'refused' as const, actor: null, ...info, target: 'GET /api/trpc/providers.list', details: { status: 401 } };
    for (let batch = 0; batch < 30; batch++) await Promise.all(Array.from({ length: 100 }, () => h.audit.record(refusal)));
    // Anonymous sign-outs and throttled sign-ins are unbounded too: same stream.
    await h.audit.record({ action: 'auth.sign-out', outcome: 'success', actor: null, ...info });

    const trail = await h.audit.list({ limit: 200 });
    expect(trail.items.map((e) => [e.action, e.target])).toEqual([['token.create', 'nightly']]);
    expect(trail.items[0]?.details).toMatchObject({ tokenId: id });
    const redis = client();
    expect(await redis.xlen(h.keys.admin.audit)).toBe(1);
    const anonymousLength = await redis.xlen(h.keys.admin.auditAnonymous);
    expect(anonymousLength).toBeGreaterThanOrEqual(500);
    expect(anonymousLength).toBeLessThan(1000); // its own cap, not the trail's (MAXLEN ~ trims whole nodes: a little over 500)
    const refused = await h.audit.list({ stream: 'anonymous', limit: 5, action: 'call.refused' });
    expect(refused.items).toHaveLength(5);
  });

  it('what goes where: an admin’s actions to their own store; other known actors, refused calls and checked sign-ins to the others’; what anyone can repeat without limit to the anonymous stream', () => {
    const ana = { kind: 'session' as const, label: 'ana (session)', username: 'ana', role: 'viewer' as const };
    const root = { kind: 'token' as const, label: 'root', tokenName: 'root', role: 'admin' as const };
    expect(storeOf({ action: 'token.create', outcome: 'success', actor: root })).toBe('admin');
    expect(storeOf({ action: 'invalidation.start', outcome: 'refused', actor: root })).toBe('admin'); // its own rate limit: only the admin causes it
    expect(storeOf({ action: 'auth.sign-in', outcome: 'success', actor: root })).toBe('admin');
    expect(storeOf({ action: 'call.refused', outcome: 'refused', actor: root })).toBe('others'); // another site can make an admin's browser send these
    expect(storeOf({ action: 'call.refused', outcome: 'refused', actor: ana })).toBe('others'); // an authenticated caller refused: security-relevant
    expect(storeOf({ action: 'auth.sign-in', outcome: 'success', actor: ana })).toBe('others');
    expect(storeOf({ action: 'token.create', outcome: 'success', actor: { kind: 'session', label: 'old record' } })).toBe('others'); // no role: not known to be an admin
    expect(storeOf({ action: 'auth.sign-in', outcome: 'failure', actor: null })).toBe('others'); // charged to the sign-in limits
    expect(storeOf({ action: 'auth.sign-in', outcome: 'success', actor: null })).toBe('others');
    expect(storeOf({ action: 'auth.sign-in', outcome: 'refused', actor: null })).toBe('anonymous'); // throttled: free to repeat
    expect(storeOf({ action: 'call.refused', outcome: 'refused', actor: null })).toBe('anonymous');
    expect(storeOf({ action: 'auth.sign-out', outcome: 'success', actor: null })).toBe('anonymous');
  });
});
