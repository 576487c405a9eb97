/** Job lifecycle and events: start returns first, events arrive once each, late and resumed readers. */
import { afterAll, describe, expect, it } from 'vitest';
import { meetEveryNode, startProxy } from '../../support/proxy';
import { client, closeAll, collectEvents, harness } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);
const actor = { kind: 'session' as const, label: 'admin (session abcd1234)' };
const groq = { providers: ['groq'], cacheType: 'models' as const, cascade: true };

describe('starting a job', () => {
  it('returns the job id before any deletion reaches Redis', async () => {
    const proxy = await startProxy();
    try {
      const h = harness({ catalogVia: proxy });
      await h.cache.seed(['groq']);
      await h.catalogRedis.ping();
      proxy.pause(); // nothing the engine sends can reach Redis until resume()

      const { jobId } = await h.invalidation.start(groq, actor);

      const direct = client();
      // One key per EXISTS: the two live in different slots on a cluster.
      const present = async () => (await direct.exists(h.keys.catalog.providerModels('groq'))) + (await direct.exists(h.keys.catalog.fullCatalog));
      expect(await present()).toBe(2);
      expect((await h.invalidation.get(jobId)).status).toMatch(/queued|running/);
      proxy.resume();
      await until(async () => expect((await h.invalidation.get(jobId)).status).toBe('completed'));
      expect(await present()).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});

describe('job record', () => {
  it('times the job from its start to its end: createdAt ≤ startedAt, durationMs within startedAt…finishedAt', async () => {
    let clock = 1_700_000_000_000;
    const h = harness({ now: () => (clock += 7) }); // every reading of the clock moves it on
    await h.cache.seed(['groq']);
    const { jobId } = await h.invalidation.start(groq, actor);
    await h.runner.drain();
    const record = await h.invalidation.get(jobId);
    const { createdAt, startedAt, finishedAt, result } = record;
    // Each reading of the pinned clock is 7 ms after the last: the readings' order is the code's order.
    const readings = [createdAt, startedAt ?? NaN, finishedAt ?? NaN];
    expect(readings).toEqual([...readings].sort((a, b) => a - b));
    expect(new Set(readings).size).toBe(3);
    // durationMs spans readings taken between startedAt and finishedAt: a whole number of ticks inside that span.
    const duration = result?.durationMs ?? NaN;
    expect(duration % 7).toBe(0);
    expect([0, duration, (finishedAt ?? 0) - (startedAt ?? 0)]).toEqual([0, duration, (finishedAt ?? 0) - (startedAt ?? 0)].sort((a, b) => a - b));
    expect(duration).not.toBe(0);
  });
});

describe('job events', () => {
  it('a subscriber from the start sees every event once, in order, and the stream ends', async () => {
    const h = harness();
    await h.cache.seed();
    const { jobId } = await h.invalidation.start({ providers: ['groq', 'xai'], cacheType: 'all', cascade: true }, actor);
    const events = await collectEvents(h, jobId);
    // The last batch's progress and the pricing rebuild's are folded into `completed` (one round trip each fewer).
    expect(events.map((e) => e.event.type)).toEqual(['queued', 'started', 'completed']);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events[2]?.event).toMatchObject({ type: 'completed', result: { success: true, providersInvalidated: 2, keysDeleted: 7 } });
    expect(events[1]?.event).toMatchObject({ type: 'started', providersTotal: 2, keysPlanned: 7 });
  });

  it('a subscriber that starts after the job finished replays it all; one resuming after an id gets only what follows', async () => {
    const h = harness();
    await h.cache.seed(['groq']);
    const { jobId } = await h.invalidation.start(groq, actor);
    await h.runner.drain();
    const all = await collectEvents(h, jobId);
    expect(all.map((e) => e.event.type)).toEqual(['queued', 'started', 'completed']);
    const resumed = await collectEvents(h, jobId, all[1]?.id ?? null);
    expect(resumed.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
  });

  it('a second app instance (its own connections, same Redis) follows a job the first one runs', async () => {
    const proxy = await startProxy();
    try {
      const first = harness({ catalogVia: proxy });
      const second = harness({ ns: first.ns });
      await first.cache.seed(['groq']);
      await first.catalogRedis.ping();
      proxy.pause();
      const { jobId } = await first.invalidation.start(groq, actor);
      const following = collectEvents(second, jobId); // subscribed while the job is held mid-run
      await until(async () => expect((await second.invalidation.get(jobId)).status).toBe('running'));
      proxy.resume();
      const events = await following;
      expect(events.map((e) => e.event.type)).toEqual(['queued', 'started', 'completed']);
      expect(events.at(-1)?.event).toMatchObject({ result: { keysDeleted: 2 } });
    } finally {
      await proxy.close();
    }
  });

  it('an unknown job is NOT_FOUND; a waiting subscriber holds no connection of its own, and an aborted one stops listening', async () => {
    const h = harness();
    await expect(collectEvents(h, '0000000000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const proxy = await startProxy();
    try {
      const viaProxy = harness({ adminVia: proxy, ns: h.ns });
      await viaProxy.cache.seed(['groq']);
      const { jobId } = await viaProxy.invalidation.start(groq, actor);
      await viaProxy.runner.drain();
      // Make it a job that never ends: drop its terminal event.
      const direct = client();
      const entries = await direct.xrange(viaProxy.keys.admin.jobEvents(jobId), '-', '+');
      await direct.xdel(viaProxy.keys.admin.jobEvents(jobId), entries.at(-1)?.[0] ?? '');
      await meetEveryNode(viaProxy.adminRedis);
      const before = proxy.connections();
      const controller = new AbortController();
      const iterator = viaProxy.invalidation.events(jobId, null, controller.signal);
      const backlog = [await iterator.next(), await iterator.next()];
      expect(backlog.map((r) => r.value?.event.type)).toEqual(['queued', 'started']);
      const second = iterator.next(); // nothing left: it waits on the instance's one subscriber
      expect(viaProxy.hub.size()).toBe(1);
      expect(proxy.connections()).toBe(before + proxy.subscriberConnections); // the hub's subscriber, shared by every stream of the instance
      controller.abort();
      expect(await second).toMatchObject({ done: true });
      expect(viaProxy.hub.size()).toBe(0);
    } finally {
      await closeAll();
      await proxy.close();
    }
  });
});
