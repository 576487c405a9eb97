import { afterAll, describe, expect, it } from 'vitest';
import { historyQuerySchema } from '~/server/invalidation/schema';
import { historyBounds, jobIdTime } from '~/server/invalidation/store/job-history';
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

  it('filters by a date range (inclusive at both ends) and by part of a job id, paging within them', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { jobId } = await h.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: true }, actor);
      await h.runner.drain();
      ids.push(jobId);
    }
    const nth = (i: number) => ids[i] ?? '';
    const all = (await h.invalidation.history({ limit: 10 })).items;
    const at = new Map(all.map((j) => [j.id, j.createdAt]));
    const from = at.get(nth(1)) ?? 0;
    const to = at.get(nth(3)) ?? 0;
    const inRange = all.filter((j) => j.createdAt >= from && j.createdAt <= to).map((j) => j.id);
    expect(inRange).toEqual(expect.arrayContaining([ids[3], ids[2], ids[1]]));

    const page1 = await h.invalidation.history({ limit: 2, from, to });
    const page2 = await h.invalidation.history({ limit: 2, from, to, cursor: page1.nextCursor });
    const page3 = page2.nextCursor ? await h.invalidation.history({ limit: 2, from, to, cursor: page2.nextCursor }) : { items: [] };
    expect([...page1.items, ...page2.items, ...page3.items].map((j) => j.id)).toEqual(inRange);
    expect((await h.invalidation.history({ limit: 10, to: from - 1 })).items.every((j) => j.createdAt < from)).toBe(true);
    expect((await h.invalidation.history({ limit: 10, from: to + 1 })).items.every((j) => j.createdAt > to)).toBe(true);

    const part = nth(2).slice(-6).toUpperCase(); // the random tail: one job, whatever the case typed
    expect((await h.invalidation.history(historyQuerySchema.parse({ jobId: ` ${part} ` }))).items.map((j) => j.id)).toEqual([ids[2]]);
    expect((await h.invalidation.history({ limit: 10, jobId: 'zzzzzz' })).items).toEqual([]);
  });

  it('bounds the read by the range and the cursor, whichever is lower; refuses an inverted range', () => {
    expect(historyBounds({}, null)).toEqual({ max: '+', min: '-' });
    expect(historyBounds({ from: 1000, to: 2000 }, null)).toEqual({ max: `(${jobIdTime(2001)}`, min: `[${jobIdTime(1000)}` });
    const early = jobIdTime(1500) + 'aa';
    expect(historyBounds({ to: 2000 }, early)).toEqual({ max: `(${early}`, min: '-' });
    const late = jobIdTime(3000) + 'aa';
    expect(historyBounds({ to: 2000 }, late)).toEqual({ max: `(${jobIdTime(2001)}`, min: '-' });
    expect(jobIdTime(35)).toBe('00000000z');
    const inverted = historyQuerySchema.safeParse({ from: 2, to: 1 });
    expect(inverted.success).toBe(false);
    expect(inverted.error?.issues[0]?.message).toBe('the start of the date range is after its end');
    expect(historyQuerySchema.safeParse({ jobId: 'not-an-id!' }).success).toBe(false);
  });
});
