/** The GCRA script on the real Redis: exact under concurrency, all-or-nothing over several cells, refunds. */
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '~/server/ratelimit/limiter';
import { adminKeys } from '~/server/redis/keys';
import { client, closeAll, namespace } from '../../support/redis';

afterAll(closeAll);

function setup() {
  const keys = adminKeys(namespace().adminPrefix);
  // Several connections, as several app instances would have.
  const limiters = [client(), client(), client()].map(createRateLimiter);
  return { keys, limiters, limiter: limiters[0] as ReturnType<typeof createRateLimiter> };
}

describe('rate limiter', () => {
  it('admits exactly `limit` of 60 concurrent takes from three connections, and says how long to wait', async () => {
    const { keys, limiters } = setup();
    const cell = { key: keys.rateLimit('test', 'a'), limit: 10, windowMs: 60_000 };
    const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => limiters[i % 3]?.take([cell])));
    expect(decisions.filter((d) => d?.allowed)).toHaveLength(10);
    const refused = decisions.filter((d) => !d?.allowed);
    expect(refused).toHaveLength(50);
    // The next unit comes back after window/limit = 6 s.
    expect(refused.every((d) => (d?.retryAfterMs ?? 0) > 0 && (d?.retryAfterMs ?? 0) <= 6000)).toBe(true);
  });

  it('charges several cells together or not at all', async () => {
    const { keys, limiter } = setup();
    const small = { key: keys.rateLimit('test', 'small'), limit: 2, windowMs: 60_000 };
    const big = { key: keys.rateLimit('test', 'big'), limit: 100, windowMs: 60_000 };
    expect((await limiter.take([small, big])).allowed).toBe(true);
    expect((await limiter.take([small, big])).allowed).toBe(true);
    expect((await limiter.take([small, big])).allowed).toBe(false);
    // The refused take left `big` uncharged: 98 more fit on their own.
    const alone = await Promise.all(Array.from({ length: 99 }, () => limiter.take([big])));
    expect(alone.filter((d) => d.allowed)).toHaveLength(98);
  });

  it('peek never charges; refund gives one back; reset forgets', async () => {
    const { keys, limiter } = setup();
    const cell = { key: keys.rateLimit('test', 'p'), limit: 3, windowMs: 60_000 };
    for (let i = 0; i < 10; i++) expect((await limiter.peek([cell])).allowed).toBe(true);
    for (let i = 0; i < 3; i++) expect((await limiter.take([cell])).allowed).toBe(true);
    expect((await limiter.peek([cell])).allowed).toBe(false);
    await limiter.refund([cell]);
    expect((await limiter.take([cell])).allowed).toBe(true);
    expect((await limiter.take([cell])).allowed).toBe(false);
    await limiter.reset([cell]);
    expect((await limiter.take([cell])).allowed).toBe(true);
  });

  it('charge takes a unit even over the limit, and the debt pushes the next take back', async () => {
    const { keys, limiter } = setup();
    const cell = { key: keys.rateLimit('test', 'debt'), limit: 2, windowMs: 60_000 };
    await limiter.take([cell]);
    await limiter.take([cell]);
    const before = await limiter.peek([cell]);
    expect((await limiter.charge([cell])).allowed).toBe(true);
    const after = await limiter.peek([cell]);
    expect(after.allowed).toBe(false);
    // One more interval (60 s / 2 = 30 s) of debt: the wait grows by one interval, give or take the test's own run time.
    expect(Math.round((after.retryAfterMs - before.retryAfterMs) / 30_000)).toBe(1);
  });

  it('leaves cells that expire by themselves', async () => {
    const { keys, limiter } = setup();
    const cell = { key: keys.rateLimit('test', 'ttl'), limit: 5, windowMs: 60_000 };
    await limiter.take([cell]);
    const ttl = await client().pttl(cell.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(12_000);
  });
});
