/**
 * Invalidations are limited per actor and globally, counting jobs (a coalesced request is free),
 * and every request is audited with its job id and whether it joined another job.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '~/server/invalidation/schema';
import { createCaller } from '~/server/trpc/root';
import { adminAccount, bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness } from '../../support/redis';

afterAll(closeAll);

const groq: InvalidationRequest = { providers: ['groq'], cacheType: 'models', cascade: true, mode: 'delete' };
const from = { address: '198.51.100.20', userAgent: 'vitest' };

describe('invalidation limits', () => {
  it('per actor: the 4th job in a minute is TOO_MANY_REQUESTS with the wait in the message and data; another actor still goes', async () => {
    const h = harness({ env: { INVALIDATIONS_PER_ACTOR_PER_MINUTE: '3', INVALIDATIONS_PER_MINUTE: '100' } });
    await h.cache.seed(['groq']);
    const ana = createCaller({ services: h, actor: adminAccount });
    // Distinct scopes: a repeat of a job that has just sent its deletions would join the next one (free).
    for (const provider of ['groq', 'xai', 'openai']) await ana.invalidation.start({ providers: [provider] });
    const error = await ana.invalidation.start({ providers: ['mistral'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/^Too many invalidations; try again in \d+ seconds$/) });
    expect(await createCaller({ services: h, actor: bootstrapAdmin }).invalidation.start({ providers: ['groq'] })).toMatchObject({ jobId: expect.any(String) });
    await h.runner.drain();
    expect(await client().zcard(h.keys.admin.history)).toBe(4);
    const audit = await h.audit.list({ limit: 10, action: 'invalidation.start', actor: 'ana' });
    expect(audit.items.map((e) => e.outcome)).toEqual(['refused', 'success', 'success', 'success']);
    expect(audit.items[1]?.details).toMatchObject({ jobId: expect.any(String), coalesced: false, via: 'trpc', providers: ['openai'] });
  });

  it('globally: with a limit of 6, the 7th new job from any actor waits; a burst of 20 identical requests coalesces and is never refused', async () => {
    const h = harness({ env: { INVALIDATIONS_PER_ACTOR_PER_MINUTE: '100', INVALIDATIONS_PER_MINUTE: '6' } });
    await h.cache.seed();
    const actors = Array.from({ length: 5 }, (_, i) => ({ ...adminAccount, accountId: `acc_000000000000000${i}`, name: `u${i}` }));
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => h.admitInvalidation(groq, actors[i % 5] ?? adminAccount, 'rest', from)));
    expect(new Set(burst.map((b) => b.jobId)).size).toBe(1);
    expect(burst.filter((b) => b.coalesced)).toHaveLength(19);
    const providers = ['openai', 'xai', 'mistral', 'cohere', 'deepseek', 'groq'];
    const results = [];
    for (const [i, p] of providers.entries()) {
      results.push(await h.admitInvalidation({ ...groq, providers: [p] }, actors[i % 5] ?? adminAccount, 'rest', from).catch((e: { code: string }) => e.code));
      await h.runner.drain(); // finished: the next request makes a new job rather than joining
    }
    // The burst's one job and 5 more make 6; the 6th distinct request is refused.
    expect(results.slice(0, 5).every((r) => typeof r === 'object')).toBe(true);
    expect(results[5]).toBe('RATE_LIMITED');
  });

  it('a coalesced request costs nothing and is audited as coalesced, with the job it joined', async () => {
    const h = harness({ env: { INVALIDATIONS_PER_ACTOR_PER_MINUTE: '2', INVALIDATIONS_PER_MINUTE: '100' } });
    await h.cache.seed(['groq', 'xai']);
    // Ten identical requests at once: one job, nine joins (decided in the create script).
    const burst = await Promise.all(Array.from({ length: 10 }, () => h.admitInvalidation(groq, adminAccount, 'trpc', from)));
    const jobId = burst[0]?.jobId;
    expect(burst.filter((b) => b.coalesced)).toHaveLength(9);
    const { items } = await h.audit.list({ limit: 20, action: 'invalidation.start' });
    expect(items).toHaveLength(10);
    expect(items.filter((e) => e.details.coalesced === true)).toHaveLength(9);
    expect(items.every((e) => e.target === jobId && e.details.jobId === jobId && e.outcome === 'success')).toBe(true);
    expect(items[0]).toMatchObject({ actorName: 'ana', address: from.address, userAgent: from.userAgent, details: { providers: ['groq'], via: 'trpc', mode: 'delete' } });
    // Only the one job was charged: a second job still fits under the limit of 2, a third does not.
    await h.runner.drain();
    await expect(h.admitInvalidation({ ...groq, providers: ['xai'] }, adminAccount, 'trpc', from)).resolves.toMatchObject({ coalesced: false });
    await h.runner.drain();
    await expect(h.admitInvalidation(groq, adminAccount, 'trpc', from)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    const refused = await h.audit.list({ limit: 1, action: 'invalidation.start' });
    expect(refused.items[0]).toMatchObject({ outcome: 'refused', target: null, details: { reason: 'rate limited', retryAfterSeconds: expect.any(Number), providers: ['groq'] } });
  });

  it('racing distinct requests cannot overshoot the limit: the check, the charge and the job are one script', async () => {
    const h = harness({ env: { INVALIDATIONS_PER_ACTOR_PER_MINUTE: '3', INVALIDATIONS_PER_MINUTE: '100' } });
    const providers = ['groq', 'xai', 'openai', 'mistral', 'cohere', 'deepseek', 'together', 'fireworks'];
    const results = await Promise.all(providers.map((p) => h.admitInvalidation({ ...groq, providers: [p] }, adminAccount, 'trpc', from).then(() => 'ok', (e: { code: string }) => e.code)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r === 'RATE_LIMITED')).toHaveLength(5);
    await h.runner.drain();
    expect(await client().zcard(h.keys.admin.history)).toBe(3);
  });

  it('a request refused by the service (unknown provider) is not charged', async () => {
    const h = harness({ env: { INVALIDATIONS_PER_ACTOR_PER_MINUTE: '1' } });
    const caller = createCaller({ services: h, actor: adminAccount });
    for (let i = 0; i < 3; i++) await expect(caller.invalidation.start({ providers: ['nope'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.invalidation.start({ providers: ['groq'] })).resolves.toMatchObject({ jobId: expect.any(String) });
  });
});
