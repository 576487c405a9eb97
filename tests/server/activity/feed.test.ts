/** The activity feed: job events and catalog rebuilds reach every follower, over Redis pub/sub. */
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisProxy } from '~/scripts/lib/redis-proxy';
import type { Activity } from '~/server/activity/schema';
import { closeAll, harness, redisUrl } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

/** Collects what a follower sees until `done` says stop; the follower is subscribed when this resolves. */
async function follower(h: ReturnType<typeof harness>) {
  const controller = new AbortController();
  const seen: Activity[] = [];
  let probed = false;
  const isProbe = (a: Activity) => a.kind === 'catalog' && a.providers[0] === '--probe--';
  const iterator = h.activity.follow(controller.signal);
  const pump = (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (isProbe(next.value)) probed = true;
      else seen.push(next.value);
    }
  })();
  // Subscribed once a probe comes back: publish probes until one does (they are never in `seen`).
  await until(() => {
    h.activity.publish({ kind: 'catalog', reason: 'seeded', providers: ['--probe--'], at: 0 });
    expect(probed).toBe(true);
  });
  return { seen, stop: async () => (controller.abort(), await pump) };
}

describe('activity feed', () => {
  it('carries every job event of a job started on another instance, and catalog rebuilds', async () => {
    const viewer = harness();
    const worker = harness({ ns: viewer.ns }); // another app instance over the same Redis
    await worker.cache.seed(['groq']);
    const { seen, stop } = await follower(viewer);

    const { jobId } = await worker.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: true }, { kind: 'token', label: 't' });
    await until(() => expect(seen.filter((a) => a.kind === 'job').map((a) => a.kind === 'job' && a.type)).toEqual(['queued', 'started', 'completed']));
    expect(seen.every((a) => a.kind !== 'job' || a.jobId === jobId)).toBe(true);

    await worker.cache.getProvider('groq'); // a miss after the invalidation: rebuilt from the source
    await until(() => expect(seen.at(-1)).toMatchObject({ kind: 'catalog', reason: 'rebuilt', providers: ['groq'] }));
    await worker.cache.getProvider('groq'); // a hit: nothing to tell
    // A barrier: a sentinel published after the hit on the same connection the cache publishes on
    // arrives after anything the hit published, so once it is seen, nothing else can be on its way.
    worker.activity.publish({ kind: 'catalog', reason: 'seeded', providers: ['--sentinel--'], at: 0 });
    await until(() => expect(seen.at(-1)).toMatchObject({ providers: ['--sentinel--'] }));
    await stop();
    expect(seen.filter((a) => a.kind === 'catalog' && a.providers[0] !== '--sentinel--')).toHaveLength(1);
  });

  it('tells followers on another instance when a schedule is saved or removed', async () => {
    const viewer = harness();
    const editor = harness({ ns: viewer.ns });
    const { seen, stop } = await follower(viewer);
    const saved = await editor.schedules.save({ providers: 'all', timing: { kind: 'interval', everySeconds: 3600 }, enabled: false }, { kind: 'token', label: 't' });
    await editor.schedules.remove(saved.id);
    await until(() => expect(seen.filter((a) => a.kind === 'schedules')).toHaveLength(2));
    await stop();
  });

  it("followers share the instance's one subscriber: five add one connection, and gone, they stop listening", async () => {
    const url = new URL(redisUrl());
    const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    try {
      const h = harness({ adminUrl: proxy.url });
      await h.adminRedis.ping();
      const before = proxy.connections();
      const followers = [];
      for (let i = 0; i < 5; i++) followers.push(await follower(h));
      expect(proxy.connections()).toBe(before + 1);
      expect(h.hub.size()).toBe(5);
      for (const f of followers) await f.stop();
      expect(h.hub.size()).toBe(0);
      expect(proxy.connections()).toBe(before + 1); // the subscriber stays for the next stream
    } finally {
      await closeAll();
      await proxy.close();
    }
  });
});
