import { afterAll, describe, expect, it } from 'vitest';
import { RECENT_WINDOW_MS } from '~/server/invalidation/schema';
import { startProxy } from '../../support/proxy';
import { closeAll, harness } from '../../support/redis';
import { until } from '../../support/until';
import { adminAccount, bootstrapAdmin, viewerAccount } from '../../support/principals';

afterAll(closeAll);
const schedule = { kind: 'schedule' as const, label: 'schedule s1, every hour' };

describe('recent jobs (the shared Jobs view)', () => {
  it('lists every job newest first, whoever started it, marks the caller\'s own, and drops finished ones after the window', async () => {
    let clock = Date.now();
    const h = harness({ now: () => clock });
    await h.cache.seed(['groq', 'xai', 'openai']);
    const old = await h.invalidation.start({ providers: ['openai'] }, bootstrapAdmin);
    await h.runner.drain();
    clock += RECENT_WINDOW_MS + 60_000; // `old` finished more than the window ago
    const mine = await h.invalidation.start({ providers: ['groq'] }, adminAccount);
    await h.runner.drain();
    clock += 1000;
    const theirs = await h.invalidation.start({ providers: ['xai'] }, schedule);
    await h.runner.drain();

    const asAna = await h.invalidation.recent(adminAccount);
    expect(asAna.windowMs).toBe(RECENT_WINDOW_MS);
    expect(asAna.items.map((j) => [j.id, j.status, j.mine])).toEqual([
      [theirs.jobId, 'completed', false],
      [mine.jobId, 'completed', true],
    ]);
    expect(asAna.items[0]?.actor).toEqual(schedule);
    // A viewer sees the same jobs, none of them theirs.
    expect((await h.invalidation.recent(viewerAccount)).items.map((j) => [j.id, j.mine])).toEqual([
      [theirs.jobId, false],
      [mine.jobId, false],
    ]);
    expect(old.jobId < mine.jobId).toBe(true);

    clock += RECENT_WINDOW_MS + 1;
    expect((await h.invalidation.recent(adminAccount)).items).toEqual([]);
  });

  it('keeps a job that has not finished, however old: queued from the pending index, running from the leases', async () => {
    let clock = Date.now();
    const idle = harness({ now: () => clock });
    idle.runner.close(); // it records jobs and never runs them: they stay queued
    await idle.cache.seed(['groq']);
    const queued = await idle.invalidation.start({ providers: ['groq'] }, bootstrapAdmin);

    const proxy = await startProxy();
    try {
      const busy = harness({ ns: idle.ns, catalogVia: proxy, now: () => clock });
      await busy.catalogRedis.ping();
      proxy.pause(); // its batch waits in the proxy: the job stays `running`
      clock += 1; // ids sort by creation time: this one is newer
      const running = await busy.invalidation.start({ providers: ['xai'] }, viewerAccount);
      await until(async () => expect((await busy.invalidation.get(running.jobId)).status).toBe('running'));
      clock += 3 * RECENT_WINDOW_MS; // both are out of the history window; neither has ended

      const seen = (await idle.invalidation.recent(bootstrapAdmin)).items;
      expect(seen.map((j) => [j.id, j.status, j.mine])).toEqual([
        [running.jobId, 'running', false],
        [queued.jobId, 'queued', true],
      ]);
      proxy.resume();
      await busy.runner.drain();
    } finally {
      await proxy.close();
    }
  });
});
