/** The tRPC API through createCaller: auth, input errors, and the subscription. */
import { TRPCError } from '@trpc/server';
import { afterAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, harness, keysUnder } from '../../support/redis';

afterAll(closeAll);

function callers() {
  const h = harness();
  return { h, anonymous: createCaller({ services: h, actor: null }), caller: createCaller({ services: h, actor: bootstrapAdmin }) };
}

describe('tRPC API', () => {
  it('refuses every procedure without a caller, before touching anything, and audits each refusal', async () => {
    const { h, anonymous } = callers();
    await h.cache.seed();
    const before = await keysUnder(client(), h.ns.catalogPrefix);
    const calls = [
      () => anonymous.providers.list(),
      () => anonymous.invalidation.start({ providers: 'all' }),
      () => anonymous.invalidation.get({ jobId: '0000000000000000000' }),
      () => anonymous.invalidation.history({}),
      () => anonymous.invalidation.events({ jobId: '0000000000000000000' }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await keysUnder(client(), h.ns.catalogPrefix)).toEqual(before);
    expect(await client().zcard(h.keys.admin.history)).toBe(0);
    // Refusals of callers nobody signed in go to their own stream: the trail itself stays empty.
    expect((await h.audit.list({ limit: 50 })).items).toEqual([]);
    const refused = await h.audit.list({ stream: 'anonymous', limit: 50, action: 'call.refused' });
    const paths = ['providers.list', 'invalidation.start', 'invalidation.get', 'invalidation.history', 'invalidation.events'];
    expect(refused.items.map((e) => e.target).sort()).toEqual(paths.map((p) => `trpc ${p}`).sort());
    expect(refused.items.every((e) => e.outcome === 'refused' && e.actorName === 'anonymous')).toBe(true);
  });

  it('answers bad input with BAD_REQUEST naming it, and deletes nothing', async () => {
    const { h, caller } = callers();
    await h.cache.seed();
    const before = await keysUnder(client(), `t${h.ns.id}`);
    const cases: [unknown, RegExp][] = [
      [{ providers: [] }, /providers is empty/],
      [{ providers: ['gr*q'] }, /glob character/],
      [{ providers: ['groq\r\nFLUSHALL'] }, /control character/],
      [{ providers: ['Groq'] }, /lowercase/],
      [{ providers: ['groq', 'missing'] }, /Unknown provider: missing/],
      [{ providers: 'everything' }, /Invalid/],
      [{ providers: ['groq'], cacheType: 'pricing' }, /Invalid option/],
    ];
    for (const [input, message] of cases) {
      const error = await caller.invalidation.start(input as never).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect(error).toMatchObject({ code: 'BAD_REQUEST' });
      expect((error as Error).message).toMatch(message);
    }
    expect(await keysUnder(client(), `t${h.ns.id}`)).toEqual(before);
  });

  it('lists providers with their cache state', async () => {
    const { h, caller } = callers();
    await h.cache.seed(['groq']);
    const list = await caller.providers.list();
    expect(list).toHaveLength(h.registry.names().length);
    expect(list.find((p) => p.name === 'groq')).toMatchObject({ cached: true, keys: 2, keysTotal: 2, modelCount: expect.any(Number) });
    expect(list.find((p) => p.name === 'groq')?.ttlMs).toBeGreaterThan(3_600_000 * 0.9 - 60_000); // TTLs are jittered by ±10 %
    expect(list.find((p) => p.name === 'xai')).toMatchObject({ cached: false, keys: 0, ttlMs: null, cachedAt: null });
  });

  it('starts a job, streams its tracked events to the end, and reads the record; unknown jobs are NOT_FOUND', async () => {
    const { h, caller } = callers();
    await h.cache.seed(['groq']);
    const { jobId } = await caller.invalidation.start({ providers: ['groq'] });
    const seen = [];
    for await (const event of await caller.invalidation.events({ jobId })) seen.push(event);
    // Through a caller, tracked(id, data) arrives as its envelope [id, data, symbol], though typed as {id, data}.
    const envelopes = seen as unknown as [string, { type: string }][];
    expect(envelopes.map(([, data]) => data.type)).toEqual(['queued', 'started', 'completed']);
    expect(envelopes.every(([id]) => /^\d+-\d+$/.test(id))).toBe(true);
    expect(await caller.invalidation.get({ jobId })).toMatchObject({ status: 'completed', result: { keysDeleted: 2 } });

    await expect(caller.invalidation.get({ jobId: '0000000000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.invalidation.get({ jobId: 'not-an-id' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const stream = await caller.invalidation.events({ jobId: '0000000000000000000' });
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
