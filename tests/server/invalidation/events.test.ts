/** Following a job's events: warm blocking readers are reused, and a shutdown ends streams resumably. */
import { afterAll, describe, expect, it } from 'vitest';
import { meetEveryNode, startProxy, type TestProxy } from '../../support/proxy';
import { closeAll, collectEvents, harness } from '../../support/redis';
import { until } from '../../support/until';

const proxies: TestProxy[] = [];
afterAll(async () => {
  await closeAll();
  await Promise.all(proxies.map((p) => p.close()));
});
const actor = { kind: 'token' as const, label: 'test' };

async function proxy() {
  const p = await startProxy();
  proxies.push(p);
  return p;
}

/** An instance whose admin traffic is counted by one proxy and whose deletions can be held by another. */
async function instance() {
  const [admin, catalog] = [await proxy(), await proxy()];
  const h = harness({ adminVia: admin, catalogVia: catalog });
  await h.cache.seed(['groq', 'xai']);
  await Promise.all([meetEveryNode(h.adminRedis), meetEveryNode(h.catalogRedis)]);
  // The instance's own connections (one, or one per node of a cluster), before any stream.
  return { h, admin, catalog, base: admin.connections() };
}

describe('event followers', () => {
  it('reuse the blocking connection of a stream that ended, instead of opening a new one', async () => {
    const { h, admin, catalog, base } = await instance();
    const followHeldJob = async (provider: string) => {
      catalog.pause();
      const { jobId } = await h.invalidation.start({ providers: [provider], cascade: false }, actor);
      const following = collectEvents(h, jobId);
      // Following: the instance's subscriber is up (its connections come one by one on a cluster), nothing else.
      await until(() => expect(h.hub.listening() && h.hub.size()).toBe(1));
      await until(() => expect(admin.connections()).toBe(base + admin.subscriberConnections));
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
    await until(() => expect(admin.connections()).toBe(before + admin.subscriberConnections));
    const stopping = h.shutdown(0);
    await expect(following).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/shutting down/) });
    await until(() => expect(admin.connections()).toBe(before));
    await expect(collectEvents(h, jobId)).rejects.toMatchObject({ code: 'UNAVAILABLE' }); // no new stream either
    catalog.resume();
    await stopping;
  });
});
