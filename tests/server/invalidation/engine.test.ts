/** The engine's batches and its failure messages; the job's use of them (one `started`, exact progress). */
import { afterAll, describe, expect, it } from 'vitest';
import { describeRedisFailure, EngineFailure, executePlan } from '~/server/invalidation/engine';
import type { ModelKeyChunk } from '~/server/invalidation/model-keys';
import { planInvalidation } from '~/server/invalidation/plan';
import { catalogKeys } from '~/server/redis/keys';
import { startRedisProxy } from '~/scripts/lib/redis-proxy';
import { client, closeAll, collectEvents, harness, namespace, redisUrl, syntheticRegistry } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);
const actor = { kind: 'token' as const, label: 'test' };

/** A gateway's layout with per-model keys, under fresh prefixes. */
function gatewayKeys() {
  const { id } = namespace();
  const gw = `t${id}:gw:`;
  return catalogKeys(`t${id}:catalog:`, {
    templates: { providerModels: `${gw}models:$provider`, providerPricing: `${gw}pricing:$provider`, fullCatalog: `${gw}models:all`, providerList: `${gw}providers`, globalPricing: `${gw}pricing:all`, modelKey: `${gw}model:$provider:$model` },
  });
}

describe('describeRedisFailure', () => {
  it('says in words what happened, keeping Redis\'s own message', () => {
    expect(describeRedisFailure(new Error('Command timed out'))).toBe(
      'Redis did not answer in time (Command timed out); the deletions of this batch may or may not have been applied',
    );
    expect(describeRedisFailure(new Error('Connection is closed while the batch was in flight'))).toBe(
      'Lost the connection to Redis during the batch; it may or may not have been applied: Connection is closed while the batch was in flight',
    );
    expect(describeRedisFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(
      'Redis is unreachable: connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(describeRedisFailure(new Error('EXECABORT Transaction discarded'))).toBe('Redis refused the batch and applied none of it: EXECABORT Transaction discarded');
    expect(describeRedisFailure(new Error('WRONGTYPE nope'))).toBe('Redis rejected the invalidation: WRONGTYPE nope');
    expect(describeRedisFailure('plain text')).toBe('Redis rejected the invalidation: plain text');
  });
});

describe('a plan of several batches', () => {
  it('writes `started` once, with the first batch, and a progress event with exact counts after each batch but the last', async () => {
    const h = harness({ registry: syntheticRegistry(5), maxKeysPerBatch: 2 });
    await h.cache.seed();
    const { jobId } = await h.invalidation.start({ providers: 'all' }, actor);
    const events = (await collectEvents(h, jobId)).map((e) => e.event);
    expect(events.map((e) => e.type)).toEqual(['queued', 'started', 'progress', 'progress', 'completed']);
    expect(events.slice(2, 4)).toEqual([
      expect.objectContaining({ stage: 'providers', providersDone: 2, providersTotal: 5, keysDeleted: 2 }),
      expect.objectContaining({ stage: 'providers', providersDone: 4, providersTotal: 5, keysDeleted: 4 }),
    ]);
    expect(events[4]).toMatchObject({ result: { providersInvalidated: 5, keysDeleted: 6 } });
    const record = await h.invalidation.get(jobId);
    expect(record.startedAt).toBe(events[1]?.at);
  });
});

describe('a runner that lost its lease before it began', () => {
  it('does nothing: no `started`, no deletion; the lease holder runs the job', async () => {
    const url = new URL(redisUrl());
    const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    try {
      // Concurrency 1: the second job waits behind the first, which is held in the proxy.
      const h = harness({ catalogUrl: proxy.url, env: { JOB_CONCURRENCY: '1' } });
      await h.cache.seed(['groq', 'xai']);
      await h.catalogRedis.ping();
      proxy.pause();
      await h.invalidation.start({ providers: ['groq'], cascade: false }, actor);
      const { jobId } = await h.invalidation.start({ providers: ['xai'], cascade: false }, actor);
      const redis = client();
      await redis.hset(h.keys.admin.jobOwners, jobId, 'another-instance/token'); // as if taken over
      proxy.resume();
      await h.runner.drain();
      expect(await h.invalidation.get(jobId)).toMatchObject({ status: 'queued', startedAt: null });
      expect(await redis.exists(h.keys.catalog.providerModels('xai'))).toBe(1);
      await until(async () => expect(await redis.exists(h.keys.catalog.providerModels('groq'))).toBe(0));
    } finally {
      await proxy.close();
    }
  });
});

describe('per-model keys, chunk by chunk', () => {
  it('counts every chunk sent when reading the next one fails, and says so in words', async () => {
    const redis = client();
    const keys = gatewayKeys();
    const first = ['a', 'b', 'c'].map((m) => keys.modelKey?.('groq', m) as string);
    const second = ['d', 'e'].map((m) => keys.modelKey?.('groq', m) as string);
    for (const key of [...first, ...second, keys.providerModels('groq')]) await redis.set(key, '1');
    const plan = planInvalidation({ providers: ['groq'], cacheType: 'models', cascade: false, mode: 'delete' }, ['groq'], keys, 100);
    // The source of the third chunk fails after two were sent (on a cluster the second is still in flight then).
    async function* chunks(): AsyncGenerator<ModelKeyChunk> {
      yield { keys: first, providersDone: 0 };
      yield { keys: second, providersDone: 0 };
      throw new Error('ECONNRESET while reading the index');
    }
    const failure = await executePlan(redis, plan, { modelKeys: () => chunks() }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(EngineFailure);
    expect((failure as EngineFailure).outcome.keysDeleted).toBe(5);
    expect((failure as Error).message).toMatch(/^Redis|Lost the connection/);
    expect(await redis.exists(keys.providerModels('groq'))).toBe(1); // the provider's own keys were never reached
    for (const key of [...first, ...second]) expect(await redis.exists(key)).toBe(0);
  });

  it('deletes and counts a chunk larger than one UNLINK takes (2,500 keys in commands of at most 1,000), and no key beside it', async () => {
    const redis = client();
    const keys = gatewayKeys();
    const chunk = Array.from({ length: 2500 }, (_, i) => keys.modelKey?.('groq', `m${i}`) as string);
    const beside = keys.modelKey?.('groq2', 'm0') as string;
    const write = redis.pipeline();
    for (const key of [...chunk, beside]) write.set(key, '1');
    await write.exec();
    const plan = planInvalidation({ providers: ['groq'], cacheType: 'models', cascade: false, mode: 'delete' }, ['groq'], keys, 100);
    async function* chunks(): AsyncGenerator<ModelKeyChunk> {
      yield { keys: chunk, providersDone: 0 };
    }
    const outcome = await executePlan(redis, plan, { modelKeys: () => chunks() });
    expect(outcome.keysDeleted).toBe(2500);
    expect(await redis.exists(...chunk.slice(0, 1000))).toBe(0);
    expect(await redis.exists(...chunk.slice(1000))).toBe(0);
    expect(await redis.exists(beside)).toBe(1);
  });
});
