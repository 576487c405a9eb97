/**
 * The instance's one activity subscriber: bounded per-stream queues (a client that stops reading is
 * dropped, the others keep every event), catching up after the subscriber reconnects, and the
 * follower's queue on its own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFollower } from '~/server/activity/follower';
import type { Activity } from '~/server/activity/schema';
import { startRedisProxy } from '~/scripts/lib/redis-proxy';
import { closeAll, harness, redisUrl } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

const note = (i: number): Activity => ({ kind: 'catalog', reason: 'rebuilt', providers: [`p${i}`], at: i });

describe('a stream whose client does not read', () => {
  it('is dropped once its queue passes STREAM_QUEUE_LIMIT; a reading stream keeps every event', async () => {
    const h = harness({ env: { STREAM_QUEUE_LIMIT: '10' } });
    const reading = h.activity.follow();
    const stalled = h.activity.follow();
    const seen: Activity[] = [];
    const pump = (async () => {
      for await (const a of reading) {
        seen.push(a);
        if (seen.length === 31) return;
      }
    })();
    // The stalled stream reads its first event, then never again (its response is back-pressured).
    const first = stalled.next();
    await until(() => expect(h.hub.size()).toBe(2));
    await h.hub.ready(); // subscribed: what is published from now on is delivered
    h.activity.publish(note(0));
    expect((await first).value).toEqual(note(0));
    // One at a time, each read by the reading stream before the next: only the stalled one falls behind.
    for (let i = 1; i <= 30; i++) {
      h.activity.publish(note(i));
      await until(() => expect(seen).toHaveLength(i + 1));
    }
    await pump;
    expect(seen).toEqual(Array.from({ length: 31 }, (_, i) => note(i)));
    // Dropped as soon as its 11th unread event arrived: it no longer listens, and its next read says why.
    expect(h.hub.size()).toBe(0);
    await expect(stalled.next()).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/fell more than 10 events behind/) });
  });
});

describe('a job stream when the subscriber loses messages', () => {
  it('catches up from the stream once the subscriber is back: every event once, in order', async () => {
    const url = new URL(redisUrl());
    const target = { host: url.hostname, port: Number(url.port) };
    const [adminProxy, catalogProxy] = await Promise.all([startRedisProxy({ target }), startRedisProxy({ target })]);
    try {
      const viewer = harness({ adminUrl: adminProxy.url }); // this instance's hub goes through adminProxy
      const worker = harness({ ns: viewer.ns, catalogUrl: catalogProxy.url }); // another instance runs the job
      await worker.cache.seed(['groq']);
      await worker.catalogRedis.ping();
      catalogProxy.pause(); // the job's batch waits here
      const { jobId } = await worker.invalidation.start({ providers: ['groq'] }, { kind: 'token', label: 't' });
      const events = viewer.invalidation.events(jobId, null);
      const seen: string[] = [];
      const pump = (async () => {
        for await (const item of events) seen.push(item.event.type);
      })();
      await until(() => expect(seen).toEqual(['queued', 'started']));
      // The viewer's subscriber goes down and stays down while the job completes: its message is lost.
      adminProxy.refuseConnections(true);
      adminProxy.dropConnections();
      catalogProxy.resume();
      await until(async () => expect((await worker.invalidation.get(jobId)).status).toBe('completed'));
      adminProxy.refuseConnections(false);
      await pump;
      expect(seen).toEqual(['queued', 'started', 'completed']);
    } finally {
      await closeAll();
      await Promise.all([adminProxy.close(), catalogProxy.close()]);
    }
  });
});

describe('the follower queue', () => {
  it('yields in order, ends cleanly, and past its limit drops everything and fails the next read', async () => {
    let dropped = 0;
    const f = createFollower<number>(3, () => (dropped += 1));
    f.push(1);
    f.push(2);
    const it = f[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(1);
    f.push(3);
    f.push(4); // 2, 3, 4 waiting: at the limit
    expect(f.dropped).toBe(false);
    f.push(5); // one over the limit
    expect(f.dropped).toBe(true);
    expect(dropped).toBe(1);
    f.push(6); // ignored once ended
    await expect(it.next()).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    const g = createFollower<number>(3);
    const gi = g[Symbol.asyncIterator]();
    const pending = gi.next();
    g.push(9);
    expect((await pending).value).toBe(9);
    g.end();
    expect(await gi.next()).toMatchObject({ done: true });
  });
});
