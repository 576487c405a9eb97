/** Following a job's events: warm blocking readers are reused, and a shutdown ends streams resumably. */
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import { closeAll, collectEvents, harness, redisUrl } from '../../support/redis';
import { until } from '../../support/until';

const proxies: RedisProxy[] = [];
afterAll(async () => {
  await closeAll();
  await Promise.all(proxies.map((p) => p.close()));
});
const actor = { kind: 'token' as const, label: 'test' };

async function proxy() {
  const url = new URL(redisUrl());
  const p = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
  proxies.push(p);
  return p;
}

/** An instance whose admin traffic is counted by one proxy and whose deletions can be held by another. */
async function instance() {
  const [admin, catalog] = [await proxy(), await proxy()];
  const h = harness({ adminUrl: admin.url, catalogUrl: catalog.url });
  await h.cache.seed(['groq', 'xai']);
  await Promise.all([h.adminRedis.ping(), h.catalogRedis.ping()]);
  return { h, admin, catalog };
}

describe('event followers', () => {
  it('reuse the blocking connection of a stream that ended, instead of opening a new one', async () => {
    const { h, admin, catalog } = await instance();
    const followHeldJob = async (provider: string) => {
      catalog.pause();
      const { jobId } = await h.invalidation.start({ providers: [provider], cascade: false }, actor);
      const following = collectEvents(h, jobId);
      await until(() => expect(admin.connections()).toBeGreaterThan(1)); // blocked in XREAD on its own connection
      const during = admin.connections();
      catalog.resume();
      expect((await following).at(-1)?.event.type).toBe('completed');
      return during;
    };
    const first = await followHeldJob('groq');
    const second = await followHeldJob('xai');
    expect(second).toBe(first);
    expect(admin.connections()).toBe(first); // the reader waits in the pool
  });

  it('end with a resumable UNAVAILABLE error when the instance shuts down, closing their connection', async () => {
    const { h, admin, catalog } = await instance();
    catalog.pause();
    const { jobId } = await h.invalidation.start({ providers: ['groq'] }, actor);
    const before = admin.connections();
    const following = collectEvents(h, jobId);
    await until(() => expect(admin.connections()).toBe(before + 1));
    const stopping = h.shutdown(0);
    await expect(following).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/shutting down/) });
    await until(() => expect(admin.connections()).toBe(before));
    await expect(collectEvents(h, jobId)).rejects.toMatchObject({ code: 'UNAVAILABLE' }); // no new stream either
    catalog.resume();
    await stopping;
  });
});
