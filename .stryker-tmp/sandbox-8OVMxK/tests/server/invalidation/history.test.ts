// @ts-nocheck
import { afterAll, describe, expect, it } from 'vitest';
import { client, closeAll, harness } from '../../support/redis';

afterAll(closeAll);
const actor = { kind: 'token' as const, label: 'admin (API token)' };

describe('history', () => {
  it('lists every job newest first, pages with a cursor, filters by provider and status', async () => {
    const h = harness();
    await h.cache.seed();
    const requests = [['groq'], ['xai'], ['groq', 'xai'], 'all', ['openai']] as const;
    const ids: string[] = [];
    for (const providers of requests) {
      const { jobId } = await h.invalidation.start({ providers: providers === 'all' ? 'all' : [...providers], cacheType: 'models', cascade: true }, actor);
      await h.runner.drain();
      ids.push(jobId);
    }
    const newestFirst = [...ids].reverse();

    const first = await h.invalidation.history({ limit: 2 });
    const second = await h.invalidation.history({ limit: 2, cursor: first.nextCursor });
    const third = await h.invalidation.history({ limit: 2, cursor: second.nextCursor });
    expect([...first.items, ...second.items, ...third.items].map((j) => j.id)).toEqual(newestFirst);
    expect(third.nextCursor).toBeNull();

    const groq = await h.invalidation.history({ limit: 10, provider: 'groq' });
    expect(groq.items.map((j) => j.id)).toEqual([ids[3], ids[2], ids[0]]); // "all" includes groq
    expect(groq.items[0]).toMatchObject({ actor, status: 'completed', request: { providers: 'all' } });

    expect((await h.invalidation.history({ limit: 10, status: 'failed' })).items).toEqual([]);
    expect((await h.invalidation.history({ limit: 10, status: 'completed' })).items).toHaveLength(5);
  });

  it('drops entries whose record expired after the retention period, without losing the others', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const a = await h.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: true }, actor);
    await h.runner.drain(); // else the second request would join the first (coalescing)
    const b = await h.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: true }, actor);
    await h.runner.drain();
    const redis = client();
    expect(await redis.ttl(h.keys.admin.job(a.jobId))).toBeGreaterThan(0);
    await redis.del(h.keys.admin.job(a.jobId)); // as if it had expired
    expect((await h.invalidation.history({ limit: 10 })).items.map((j) => j.id)).toEqual([b.jobId]);
    expect(await redis.zrange(h.keys.admin.history, '0', '-1')).toEqual([b.jobId]);
  });
});
