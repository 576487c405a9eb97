/**
 * The number of Redis round trips of a whole job (record, events, deletions) does not grow with the
 * number of providers; the old way's does. Counted by a loopback proxy in front of the real Redis.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { client, closeAll, harness, redisUrl, syntheticRegistry } from '../../support/redis';
import { until } from '../../support/until';

let proxy: RedisProxy;
afterAll(async () => {
  await closeAll();
  await proxy?.close();
});

async function jobRoundTrips(providers: number, maxKeysPerBatch = 5000) {
  const url = new URL(redisUrl());
  proxy ??= await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
  const h = harness({ registry: syntheticRegistry(providers), catalogUrl: proxy.url, adminUrl: proxy.url, maxKeysPerBatch });
  await h.cache.seed();
  await Promise.all([h.adminRedis.ping(), h.catalogRedis.ping()]);
  proxy.resetCounters();
  const { jobId } = await h.invalidation.start({ providers: 'all', cacheType: 'models', cascade: true }, { kind: 'token', label: 't' });
  await h.runner.drain();
  const trips = proxy.roundTrips();
  const record = await h.invalidation.get(jobId);
  expect(record).toMatchObject({ status: 'completed', result: { keysDeleted: providers + 1, providersInvalidated: providers } });
  return trips;
}

describe('round trips', () => {
  it('are 3 for 1, 18 and 1,000 providers: create (with coalescing and lease), started + the batch + who is live, the announcement ahead of completed', async () => {
    const counts = [await jobRoundTrips(1), await jobRoundTrips(18), await jobRoundTrips(1000)];
    expect(counts).toEqual([3, 3, 3]);
  });

  it('grow by two per extra batch past INVALIDATION_BATCH_KEYS keys (bounded memory per round trip)', async () => {
    // 100 providers, 30 keys per batch: 4 batches; each but the last is followed by its progress event.
    expect(await jobRoundTrips(100, 30)).toBe(3 + 3 * 2);
  });

  it('are 3 when this instance is the only live one: confirmed 1 of 1 in process, and the announcement still published', async () => {
    const url = new URL(redisUrl());
    proxy ??= await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    const h = harness({ registry: syntheticRegistry(18), adminUrl: proxy.url, catalogUrl: proxy.url });
    const listener = client();
    await h.cache.seed();
    // Registered as live (what its heartbeat writes); not subscribed, so no ack of its own reaches Redis.
    await listener.zadd(h.keys.admin.instances.instancesLive, Date.now(), h.presence.id);
    const heard: string[] = [];
    const sub = client(redisUrl());
    sub.on('message', (_channel, message: string) => heard.push(message));
    await sub.subscribe(h.keys.admin.instances.invalidations);
    await Promise.all([h.adminRedis.ping(), h.catalogRedis.ping()]);
    proxy.resetCounters();
    const { jobId } = await h.invalidation.start({ providers: ['p0001', 'p0002'] }, { kind: 'token', label: 't' });
    await h.runner.drain();
    expect(proxy.roundTrips()).toBe(3);
    expect((await h.invalidation.get(jobId)).result?.instances).toEqual({ confirmed: 1, total: 1, missing: [] });
    await until(() => expect(heard.length).toBe(1));
    expect(JSON.parse(heard[0] as string)).toMatchObject({ type: 'invalidate', jobId, providers: { p0001: expect.any(String), p0002: expect.any(String) }, global: expect.any(String) });
    await sub.quit();
  });

  it('another live participant is awaited: one round trip for the announcement, then the reads at the deadline', async () => {
    const url = new URL(redisUrl());
    proxy ??= await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    const h = harness({ registry: syntheticRegistry(3), adminUrl: proxy.url, catalogUrl: proxy.url, env: { INSTANCE_CONFIRM_TIMEOUT_MS: '100' } });
    const direct = client();
    await h.cache.seed();
    const seen = Date.now();
    await direct.zadd(h.keys.admin.instances.instancesLive, seen, h.presence.id, seen, 'gateway-that-never-acks');
    await Promise.all([h.adminRedis.ping(), h.catalogRedis.ping()]);
    proxy.resetCounters();
    const { jobId } = await h.invalidation.start({ providers: 'all' }, { kind: 'token', label: 't' });
    await h.runner.drain();
    // Not subscribed, so the acks are polled: create, started + batch + live, PUBLISH, HKEYS at the deadline, ZMSCORE of the missing, completed.
    expect(proxy.roundTrips()).toBe(6);
    expect((await h.invalidation.get(jobId)).result?.instances).toEqual({ confirmed: 1, total: 2, missing: [{ id: 'gateway-that-never-acks', lastHeartbeatAt: seen }] });
  });

  it('are 5 when the catalog lives in another Redis: `started` is written before the batch is sent', async () => {
    const url = new URL(redisUrl());
    const other = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    try {
      proxy ??= await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
      const h = harness({ registry: syntheticRegistry(18), catalogUrl: other.url, adminUrl: proxy.url });
      await h.cache.seed();
      await Promise.all([h.adminRedis.ping(), h.catalogRedis.ping()]);
      proxy.resetCounters();
      other.resetCounters();
      const { jobId } = await h.invalidation.start({ providers: 'all' }, { kind: 'token', label: 't' });
      await h.runner.drain();
      expect([proxy.roundTrips(), other.roundTrips()]).toEqual([4, 1]);
      expect(await h.invalidation.get(jobId)).toMatchObject({ status: 'completed', result: { keysDeleted: 19 } });
    } finally {
      await other.close();
    }
  });

  it('opening a subscription is one round trip on a subscribed instance (record and backlog pipelined)', async () => {
    const url = new URL(redisUrl());
    proxy ??= await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    const h = harness({ registry: syntheticRegistry(3), adminUrl: proxy.url });
    await h.cache.seed();
    const { jobId } = await h.invalidation.start({ providers: 'all' }, { kind: 'token', label: 't' });
    await h.runner.drain();
    await h.adminRedis.ping();
    await h.hub.ready(); // the instance's one subscriber, opened by its first stream
    proxy.resetCounters();
    const events = h.invalidation.events(jobId, null);
    expect((await events.next()).value?.event.type).toBe('queued');
    expect(proxy.roundTrips()).toBe(1);
    await events.return(undefined);
  });

  it('the old way (2 sequential calls per provider) needs 2 per provider', async () => {
    const url = new URL(redisUrl());
    proxy ??= await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    const h = harness({ registry: syntheticRegistry(18) });
    await h.cache.seed();
    const old = client(proxy.url);
    await old.ping();
    proxy.resetCounters();
    for (const name of h.registry.names()) {
      await old.unlink(h.keys.catalog.providerModels(name));
      await old.unlink(h.keys.catalog.fullCatalog);
    }
    expect(proxy.roundTrips()).toBe(36);
  });
});
