/** The audit trail: filters, cursor pages, retention, and out of any invalidation's reach. */
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditTrail } from '~/server/audit/trail';
import { adminKeys } from '~/server/redis/keys';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness, namespace } from '../../support/redis';

afterAll(closeAll);

const entry = (actorName: string, action: 'auth.sign-in' | 'token.create') => ({
  action,
  outcome: 'success' as const,
  // A known actor: entries without one (but checked sign-ins) go to the anonymous stream.
  actor: { kind: 'session' as const, label: `${actorName} (session)`, username: actorName },
  actorName,
  address: '192.0.2.1',
  userAgent: 'vitest',
});

describe('audit trail', () => {
  it('lists newest first in cursor pages, filtered by actor and action, without repeats or gaps', async () => {
    const trail = createAuditTrail(client(), adminKeys(namespace().adminPrefix), { retentionMs: 86_400_000, maxLength: 10_000 });
    for (let i = 0; i < 450; i++) await trail.record({ ...entry(i % 3 === 0 ? 'ana' : 'bob', i % 2 ? 'auth.sign-in' : 'token.create'), details: { i } });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await trail.list({ limit: 40, cursor, actor: 'ANA', action: 'token.create' });
      seen.push(...page.items.map((e) => Number(e.details.i)));
      cursor = page.nextCursor;
    } while (cursor);
    const expected = Array.from({ length: 450 }, (_, i) => i).filter((i) => i % 3 === 0 && i % 2 === 0).reverse();
    expect(seen).toEqual(expected);
  });

  it('merges the admins’ and the others’ streams newest first: pages of any size, ids shared by both streams, no repeat and no gap', async () => {
    const redis = client();
    const keys = adminKeys(namespace().adminPrefix);
    const trail = createAuditTrail(redis, keys, { retentionMs: 86_400_000, maxLength: 10_000 });
    const t = Date.now() - 60_000;
    const stored = (n: number) => JSON.stringify({ ...entry('x', 'auth.sign-in'), at: t, target: null, details: { n } });
    // Explicit ids: the same `<ms>-<seq>` in both streams (what two appends in one millisecond get), and runs longer than a read chunk.
    const expected: number[] = [];
    let n = 0;
    for (let ms = 0; ms < 300; ms++) {
      const inAdmin = ms % 3 !== 1;
      const inOthers = ms % 3 !== 2 || ms > 250;
      // Sequence numbers matter too: at every fifth ms one stream's entry is `-1`, and the newer.
      if (ms % 5 === 0 && inAdmin && inOthers) {
        const adminNewer = ms % 10 === 0;
        await redis.xadd(keys.audit, `${t + ms}-${adminNewer ? 1 : 0}`, 'entry', stored(n++));
        await redis.xadd(keys.auditOthers, `${t + ms}-${adminNewer ? 0 : 1}`, 'entry', stored(n++));
        expected.unshift(...(adminNewer ? [n - 2, n - 1] : [n - 1, n - 2]));
        continue;
      }
      if (inAdmin) await redis.xadd(keys.audit, `${t + ms}-0`, 'entry', stored(n++));
      if (inOthers) await redis.xadd(keys.auditOthers, `${t + ms}-0`, 'entry', stored(n++));
      // Newest first, and of two entries with one id the admins' first: the reverse of writing order within an ms.
      expected.unshift(...[inAdmin ? n - (inOthers ? 2 : 1) : null, inOthers ? n - 1 : null].filter((x): x is number => x !== null));
    }
    for (const limit of [1, 7, 200]) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await trail.list({ limit, cursor });
        seen.push(...page.items.map((e) => Number(e.details.n)));
        cursor = page.nextCursor;
        if (limit === 1 && seen.length > 20) break; // enough pages of one to cross many ties
      } while (cursor);
      expect(seen).toEqual(limit === 1 ? expected.slice(0, seen.length) : expected);
    }
    const ids = (await trail.list({ limit: 200 })).items.map((e) => e.id);
    expect(new Set(ids).size).toBe(200);
    expect(ids[0]).toMatch(/^\d+-0@(admin|others)$/);
    // A cursor from before the split (a bare id) reads on after that id in both streams.
    const bare = (await trail.list({ limit: 3, cursor: `${t + 299}-0` })).items.map((e) => Number(e.details.n));
    expect(bare).toEqual(expected.filter((x) => x < n - 2).slice(0, 3));
  });

  it('a rare filter stops a page after 25 reads of 200 and hands back a cursor that goes on; each store keeps its own cap', async () => {
    const redis = client();
    const keys = adminKeys(namespace().adminPrefix);
    const trail = createAuditTrail(redis, keys, { retentionMs: 86_400_000, maxLength: 10_000, anonymousMaxLength: 100 });
    await trail.record(entry('rare', 'token.create'));
    const pipeline = redis.pipeline();
    for (let i = 0; i < 26 * 200; i++) pipeline.xadd(keys.auditOthers, '*', 'entry', JSON.stringify({ ...entry('bob', 'auth.sign-in'), at: Date.now(), target: null, details: {} }));
    await pipeline.exec();
    const first = await trail.list({ limit: 10, actor: 'rare' });
    expect(first.items).toEqual([]);
    expect(first.nextCursor).toMatch(/@others$/);
    const second = await trail.list({ limit: 10, actor: 'rare', cursor: first.nextCursor });
    expect(second.items.map((e) => e.actorName)).toEqual(['rare']);
    expect(second.nextCursor).toBeNull();
    // The anonymous cap (100) is the anonymous stream's only: the others' keeps its 10,000.
    for (let i = 0; i < 300; i++) await trail.record({ ...entry('anon', 'auth.sign-in'), actor: null, outcome: 'refused' });
    expect(await redis.xlen(keys.auditAnonymous)).toBeLessThan(300);
    await trail.record(entry('bob', 'auth.sign-in'));
    expect(await redis.xlen(keys.auditOthers)).toBe(26 * 200 + 2); // and the rare one
  });

  it('drops entries older than the retention on the next append, and caps the length', async () => {
    const redis = client();
    const keys = adminKeys(namespace().adminPrefix);
    let now = Date.now() - 10 * 86_400_000;
    const trail = createAuditTrail(redis, keys, { retentionMs: 86_400_000, maxLength: 10_000 }, () => now);
    // Entries are stamped by Redis (stream ids); move them into the past by writing explicit old ids
    // (into the stream the new entry goes to: each stream is trimmed on its own appends).
    for (let i = 0; i < 5; i++) await redis.xadd(keys.auditOthers, `${now + i}-0`, 'entry', JSON.stringify({ ...entry('old', 'auth.sign-in'), at: now, target: null, details: {} }));
    now = Date.now();
    await trail.record(entry('new', 'auth.sign-in'));
    const { items } = await trail.list({ limit: 50 });
    expect(items.map((e) => e.actorName)).toEqual(['new']);
    expect(await redis.xlen(keys.auditOthers)).toBe(1);

    const capped = createAuditTrail(redis, adminKeys(namespace().adminPrefix), { retentionMs: 86_400_000, maxLength: 1000 });
    for (let i = 0; i < 1300; i++) await capped.record(entry('x', 'auth.sign-in'));
    expect((await capped.list({ limit: 200 })).items.length).toBe(200);
  });

  it('survives invalidating everything, and audit.list is admin-only', async () => {
    const h = harness();
    await h.cache.seed();
    const admin = createCaller({ services: h, actor: bootstrapAdmin });
    await admin.tokens.create({ name: 'before', role: 'viewer' });
    await admin.invalidation.start({ providers: 'all', cacheType: 'all', cascade: true });
    await h.runner.drain();
    const { items } = await admin.audit.list({});
    expect(items.map((e) => e.action)).toEqual(['invalidation.start', 'token.create']);
    expect(await client().exists(h.keys.admin.audit)).toBe(1);
    await expect(admin.audit.list({ limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.audit.list({ cursor: '*' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
