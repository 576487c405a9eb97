/**
 * Coalescing, decided in Redis in the round trip that creates a job: a request covered by a job that
 * has not yet sent its deletions joins it; anything wider, or arriving after the deletions, does not.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { InvalidationRequestInput } from '~/server/invalidation/schema';
import { closeAll, harness } from '../../support/redis';

afterAll(closeAll);
const alice = { kind: 'session' as const, label: 'alice' };
const bob = { kind: 'token' as const, label: 'bob' };

/** An instance whose runner never starts a job: every job it creates stays pending. */
function holdingInstance(ns?: ReturnType<typeof harness>['ns']) {
  const h = harness({ ns });
  h.runner.close();
  return h;
}

describe('coalescing', () => {
  it('100 identical concurrent requests over two instances make at most 2 jobs, and every asker is kept', async () => {
    const one = harness();
    const two = harness({ ns: one.ns });
    await one.cache.seed(['groq']);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).invalidation.start({ providers: ['groq'] }, i % 2 ? alice : bob, i % 3 ? 'trpc' : 'rest')),
    );
    await Promise.all([one.runner.drain(), two.runner.drain()]);
    const jobs = [...new Set(answers.map((a) => a.jobId))];
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect(jobs.length).toBeLessThanOrEqual(2);
    expect(answers.filter((a) => !a.coalesced)).toHaveLength(jobs.length);
    const records = await Promise.all(jobs.map((id) => one.invalidation.get(id)));
    expect(records.every((r) => r.status === 'completed')).toBe(true);
    expect(records.reduce((n, r) => n + 1 + r.joined, 0)).toBe(100);
    expect(records.reduce((n, r) => n + r.askers.length, 0)).toBe(100);
    // The keys went once: the first job deleted them, a second one (if any) found nothing left.
    expect(records.reduce((n, r) => n + (r.result?.keysDeleted ?? 0), 0)).toBe(2);
  });

  it('joins a pending job that covers the request, recording who asked, when and how', async () => {
    const h = holdingInstance();
    const wide = await h.invalidation.start({ providers: ['groq', 'xai', 'openai'], cacheType: 'all', cascade: true }, alice, 'trpc');
    const narrow = await h.invalidation.start({ providers: ['xai'], cacheType: 'models', cascade: false }, bob, 'rest');
    expect(narrow).toEqual({ jobId: wide.jobId, coalesced: true });
    const record = await h.invalidation.get(wide.jobId);
    expect(record).toMatchObject({ status: 'queued', joined: 1 });
    expect(record.askers).toEqual([
      { actor: alice, via: 'trpc', at: expect.any(Number) },
      { actor: bob, via: 'rest', at: expect.any(Number) },
    ]);
    expect((await h.invalidation.history({ limit: 10 })).items.map((j) => j.id)).toEqual([wide.jobId]);
  });

  it('never joins a narrower job: more providers, a wider cache type, cascade, another mode', async () => {
    const h = holdingInstance();
    const base = await h.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: false }, alice);
    const wider: InvalidationRequestInput[] = [
      { providers: ['groq', 'xai'], cacheType: 'models', cascade: false },
      { providers: 'all', cacheType: 'models', cascade: false },
      { providers: ['groq'], cacheType: 'all', cascade: false },
      { providers: ['groq'], cacheType: 'models', cascade: true },
      { providers: ['groq'], cacheType: 'models', cascade: false, mode: 'soft' },
    ];
    const answers = [];
    for (const request of wider) answers.push(await h.invalidation.start(request, bob));
    expect(answers.every((a) => !a.coalesced && a.jobId !== base.jobId)).toBe(true);
    expect(new Set(answers.map((a) => a.jobId)).size).toBe(wider.length);
    // …while each of those now covers the original request: it joins the first of them that does.
    expect(await h.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: false }, bob)).toMatchObject({ coalesced: true });
  });

  it('"all" covers any list of providers, and only "all" covers "all"', async () => {
    const h = holdingInstance();
    const all = await h.invalidation.start({ providers: 'all' }, alice);
    expect(await h.invalidation.start({ providers: ['groq', 'xai'] }, bob)).toEqual({ jobId: all.jobId, coalesced: true });
    expect(await h.invalidation.start({ providers: 'all' }, bob)).toEqual({ jobId: all.jobId, coalesced: true });
  });

  it('a request after the deletions were sent starts a new job (values rebuilt in between must go too)', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const first = await h.invalidation.start({ providers: ['groq'] }, alice);
    await h.runner.drain();
    await h.cache.getProvider('groq'); // rebuilt after the first job
    const second = await h.invalidation.start({ providers: ['groq'] }, bob);
    expect(second.coalesced).toBe(false);
    expect(second.jobId).not.toBe(first.jobId);
    await h.runner.drain();
    expect(await h.invalidation.get(second.jobId)).toMatchObject({ status: 'completed', result: { keysDeleted: 1 }, askers: [{ actor: bob }] });
  });

  it('a repeat of a job that has just sent its deletions waits out COALESCE_WINDOW_MS, and later repeats join it', async () => {
    const h = harness({ env: { COALESCE_WINDOW_MS: '300' } });
    await h.cache.seed(['groq']);
    const first = await h.invalidation.start({ providers: ['groq'] }, alice);
    await h.runner.drain();
    const second = await h.invalidation.start({ providers: ['groq'] }, bob); // deletions sent: a new job…
    const third = await h.invalidation.start({ providers: ['groq'] }, bob); // …that waits, so this joins it
    const other = await h.invalidation.start({ providers: ['xai'] }, bob); // not a repeat: no wait
    expect(second.coalesced).toBe(false);
    expect(third).toEqual({ jobId: second.jobId, coalesced: true });
    await h.runner.drain();
    const [a, b, c] = await Promise.all([first, second, other].map((j) => h.invalidation.get(j.jobId)));
    expect(b?.status).toBe('completed');
    // Order, not time: the repeat waited (a later request joined it), the other job did not (it started first).
    const starts = [a, c, b].map((r) => r?.startedAt ?? NaN);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
    expect(b?.joined).toBe(1);
  });

  it('a job that started no longer takes joins: its askers moved into its record', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const [first, joined] = await Promise.all([h.invalidation.start({ providers: ['groq'] }, alice), h.invalidation.start({ providers: ['groq'] }, bob)]);
    expect(joined).toEqual({ jobId: first.jobId, coalesced: true });
    await h.runner.drain();
    const record = await h.invalidation.get(first.jobId);
    expect(record.askers.map((a) => a.actor.label)).toEqual(['alice', 'bob']);
    expect(record.joined).toBe(1);
    const page = await h.invalidation.history({ limit: 1 });
    expect(page.items[0]?.askers.map((a) => a.actor.label)).toEqual(['alice', 'bob']);
  });
});
