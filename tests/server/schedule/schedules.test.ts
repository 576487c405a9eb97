/** Scheduled refreshes on real Redis: validation, one fire per period across instances, claims that outlive their holder. */
import { afterAll, describe, expect, it } from 'vitest';
import { startModelSource } from '~/scripts/lib/model-source';
import { createRegistry } from '~/server/catalog/sources/registry';
import { openAiCompatibleSource } from '~/server/catalog/sources/sources';
import { createScheduleStore } from '~/server/schedule/store';
import { checkTiming, nextFireAt } from '~/server/schedule/timing';
import { createCaller } from '~/server/trpc/root';
import { adminAccount, viewerAccount } from '../../support/principals';
import { client, closeAll, harness, type Harness } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);
const admin = { kind: 'session' as const, label: 'admin (session abcd1234)' };

async function scheduledJobs(h: Harness) {
  const { items } = await h.invalidation.history({ limit: 100 });
  return items.filter((j) => j.actor.kind === 'schedule');
}

describe('timing (pure)', () => {
  it('keeps interval schedules on their grid and skips missed periods; parses cron in UTC', () => {
    const every = { kind: 'interval' as const, everySeconds: 60 };
    expect(nextFireAt(every, 1_000, 1_000)).toBe(61_000);
    expect(nextFireAt(every, 61_000, 1_000)).toBe(121_000);
    expect(nextFireAt(every, 250_000, 1_000)).toBe(301_000);
    const cron = { kind: 'cron' as const, expression: '30 2 * * *' };
    expect(new Date(nextFireAt(cron, Date.UTC(2026, 0, 1, 3))).toISOString()).toBe('2026-01-02T02:30:00.000Z');
  });

  it('refuses unparsable cron and periods under the minimum, in words', () => {
    expect(() => checkTiming({ kind: 'cron', expression: '61 * * * *' }, 60, 0)).toThrow(/Invalid cron expression "61 \* \* \* \*": .*0-59/);
    expect(() => checkTiming({ kind: 'cron', expression: '*/10 * * * * *' }, 60, 0)).toThrow(/at most every 60 s/);
    expect(() => checkTiming({ kind: 'interval', everySeconds: 30 }, 60, 0)).toThrow(/every 30 s is more often/);
    expect(() => checkTiming({ kind: 'cron', expression: '*/5 * * * *' }, 60, 0)).not.toThrow();
  });
});

describe('schedules', () => {
  it('are saved, listed, updated and removed by admins; bad input changes nothing', async () => {
    const h = harness();
    const caller = createCaller({ services: h, actor: adminAccount });
    const saved = await caller.schedules.save({ providers: ['groq'], timing: { kind: 'cron', expression: '0 * * * *' } });
    expect(saved).toMatchObject({ providers: ['groq'], enabled: true, updatedBy: adminAccount.label, lastRun: null });
    expect(saved.nextAt).toBe(nextFireAt(saved.timing, saved.updatedAt));

    await expect(caller.schedules.save({ providers: ['nope'], timing: { kind: 'interval', everySeconds: 60 } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown provider: nope' });
    await expect(caller.schedules.save({ providers: 'all', timing: { kind: 'cron', expression: 'every day' } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /Invalid cron expression/ });
    await expect(caller.schedules.save({ id: 's000000000000', providers: 'all', timing: { kind: 'interval', everySeconds: 60 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.schedules.remove({ id: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(createCaller({ services: h, actor: null }).schedules.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const viewer = createCaller({ services: h, actor: viewerAccount });
    expect(await viewer.schedules.list()).toHaveLength(1); // viewers read schedules, only admins change them
    await expect(viewer.schedules.save({ providers: 'all', timing: { kind: 'interval', everySeconds: 60 } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await caller.schedules.list()).toHaveLength(1);

    const disabled = await caller.schedules.save({ id: saved.id, providers: 'all', timing: { kind: 'interval', everySeconds: 3600 }, enabled: false });
    expect(disabled).toMatchObject({ id: saved.id, providers: 'all', enabled: false, nextAt: null, createdAt: saved.createdAt });
    expect(await caller.schedules.list()).toMatchObject([{ id: saved.id, enabled: false, nextAt: null }]);
    await caller.schedules.remove({ id: saved.id });
    expect(await caller.schedules.list()).toEqual([]);
    expect(await client().exists(h.keys.admin.schedules, h.keys.admin.scheduleDue, h.keys.admin.scheduleRuns, h.keys.admin.scheduleClaims)).toBe(0);
  });

  it('two instances ticking together fire each period once, as ordinary jobs with the schedule as actor', async () => {
    const a = harness();
    const b = harness({ ns: a.ns });
    await a.cache.seed(['groq']);
    const saved = await a.schedules.save({ providers: ['groq'], timing: { kind: 'interval', everySeconds: 1 }, enabled: true }, admin);
    let fired = 0;
    await until(
      async () => {
        const counts = await Promise.all([a.schedules.scheduler.tick(), b.schedules.scheduler.tick(), a.schedules.scheduler.tick()]);
        fired += counts.reduce((x, y) => x + y, 0);
        expect(fired).toBeGreaterThanOrEqual(2);
      },
      { timeout: 15_000 },
    );
    await a.schedules.remove(saved.id);
    await Promise.all([a.runner.drain(), b.runner.drain()]);
    const jobs = await scheduledJobs(a);
    expect(jobs).toHaveLength(fired);
    const due = jobs.map((j) => /due (\S+)$/.exec(j.actor.label)?.[1]);
    expect(new Set(due).size).toBe(fired);
    for (const iso of due) expect((Date.parse(iso ?? '') - saved.updatedAt) % 1000).toBe(0);
    expect(jobs[0]).toMatchObject({ status: 'completed', request: { providers: ['groq'], refresh: true }, actor: { kind: 'schedule' } });
    expect(jobs[0]?.result?.refresh?.[0]).toMatchObject({ provider: 'groq', status: 'unchanged' });
  });

  it('records the last run, and a claim whose holder died is fired by the next instance that ticks', async () => {
    const a = harness({ scheduleLeaseMs: 200 });
    const saved = await a.schedules.save({ providers: ['xai'], timing: { kind: 'interval', everySeconds: 3600 }, enabled: true }, admin);
    // An instance claimed the period (its lease is now the score) and died before starting the job.
    const dead = createScheduleStore(client(), a.keys.admin);
    expect(await dead.claim(saved.id, String(saved.nextAt), Date.now() + 200)).toBe(saved.nextAt);
    const b = harness({ ns: a.ns, scheduleLeaseMs: 200 });
    await until(async () => expect(await b.schedules.scheduler.tick()).toBe(1));
    const [listed] = await b.schedules.list();
    // The run taken over reports the period it stands for, and the next one follows on the grid.
    expect(listed?.lastRun).toMatchObject({ jobId: expect.any(String), scheduledFor: saved.nextAt });
    expect(listed?.nextAt).toBe((saved.nextAt ?? 0) + 3_600_000);
    expect(await b.schedules.scheduler.tick()).toBe(0);
    await b.runner.drain();
    expect(await scheduledJobs(a)).toMatchObject([{ status: 'completed', actor: { kind: 'schedule' } }]);
  });

  it('a run joins a pending manual request of the same scope (coalesced) instead of starting another job', async () => {
    const source = await startModelSource();
    try {
      const registry = createRegistry(['busy', 'ca'].map((p) => openAiCompatibleSource({ provider: p, url: source.url(p) })));
      const h = harness({ registry, env: { JOB_CONCURRENCY: '1' } });
      await h.cache.seed(['busy', 'ca']);
      source.set('busy', { hold: true });
      await h.invalidation.start({ providers: ['busy'], mode: 'soft' }, admin); // occupies the one worker
      await until(() => expect(source.held('busy')).toBe(1));
      const manual = await h.invalidation.start({ providers: ['ca'], mode: 'soft' }, admin); // queued: not yet sent
      const saved = await h.schedules.save({ providers: ['ca'], timing: { kind: 'interval', everySeconds: 1 }, enabled: true }, admin);
      await until(async () => expect(await h.schedules.scheduler.tick()).toBe(1));
      expect((await h.schedules.list())[0]?.lastRun).toMatchObject({ jobId: manual.jobId, coalesced: true });
      await h.schedules.remove(saved.id);
      source.release('busy');
      await h.runner.drain();
      const record = await h.invalidation.get(manual.jobId);
      expect(record).toMatchObject({ status: 'completed', joined: 1 });
      expect(record.askers.map((a) => [a.actor.kind, a.via])).toEqual([['session', 'trpc'], ['schedule', 'schedule']]);
      expect(await scheduledJobs(h)).toEqual([]); // no job of its own
    } finally {
      await source.close();
    }
  });
});
