/**
 * Job leases across instances: a job whose runner died is taken over and finished by another, with
 * exact counts and one terminal event; a runner that wakes up after being presumed dead cannot
 * report twice; a graceful shutdown hands its queued jobs over at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startProxy } from '../../support/proxy';
import { client, closeAll, collectEvents, harness, syntheticRegistry } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);
const actor = { kind: 'token' as const, label: 'test' };
const LEASE = { JOB_LEASE_MS: '300' };


describe('job leases', () => {
  it('a job queued by an instance that died is taken over by another and completed, once', async () => {
    const dead = harness({ env: LEASE, instanceId: 'dead-instance' });
    dead.runner.close(); // it recorded the job, then never ran it
    const live = harness({ ns: dead.ns, env: LEASE, instanceId: 'live-instance' });
    await dead.cache.seed(['groq']);
    const { jobId } = await dead.invalidation.start({ providers: ['groq'] }, actor);

    await until(async () => expect(await live.invalidation.worker.takeOver()).toEqual([jobId]));
    const events = await collectEvents(live, jobId);
    expect(events.map((e) => e.event.type)).toEqual(['queued', 'started', 'completed']);
    const takenOver = { by: 'live-instance', from: 'dead-instance', attempt: 2 };
    expect(events[1]?.event).toMatchObject({ type: 'started', takenOver });
    expect(await live.invalidation.get(jobId)).toMatchObject({ status: 'completed', attempt: 2, result: { success: true, keysDeleted: 2, takenOver } });
    expect(await client().zscore(live.keys.admin.jobLeases, jobId)).toBeNull();
    expect(await live.invalidation.worker.takeOver()).toEqual([]);
  });

  it('a runner presumed dead mid-batch cannot report twice when it wakes up; the new owner reports exact counts', async () => {
    const proxy = await startProxy();
    try {
      const stuck = harness({ catalogVia: proxy, env: LEASE, instanceId: 'stuck' });
      const live = harness({ ns: stuck.ns, env: LEASE, instanceId: 'live' });
      await stuck.cache.seed(['groq']);
      await stuck.catalogRedis.ping();
      proxy.pause(); // its batch waits in the proxy: the job is `running`, nothing deleted, no renewal
      const { jobId } = await stuck.invalidation.start({ providers: ['groq'] }, actor);
      await until(async () => expect((await live.invalidation.get(jobId)).status).toBe('running'));

      await until(async () => expect(await live.invalidation.worker.takeOver()).toEqual([jobId]));
      await live.runner.drain();
      expect(await live.invalidation.get(jobId)).toMatchObject({ status: 'completed', result: { keysDeleted: 2, takenOver: { by: 'live', from: 'stuck' } } });

      proxy.resume(); // the stuck batch runs now (idempotent: nothing left), its terminal write is refused
      await stuck.runner.drain();
      const events = await collectEvents(live, jobId);
      expect(events.filter((e) => e.event.type === 'completed' || e.event.type === 'failed')).toHaveLength(1);
      expect(await live.invalidation.get(jobId)).toMatchObject({ result: { keysDeleted: 2, takenOver: { by: 'live' } } });
    } finally {
      await proxy.close();
    }
  });

  it('a live runner keeps its lease by renewing it: nobody takes over its job', async () => {
    const proxy = await startProxy();
    try {
      const slow = harness({ catalogVia: proxy, env: LEASE, instanceId: 'slow' });
      const other = harness({ ns: slow.ns, env: LEASE, instanceId: 'other' });
      await slow.cache.seed(['groq']);
      await slow.catalogRedis.ping();
      proxy.pause();
      const { jobId } = await slow.invalidation.start({ providers: ['groq'] }, actor);
      const redis = client();
      const expiry = async () => Number(await redis.zscore(slow.keys.admin.jobLeases, jobId));
      const first = await expiry();
      slow.invalidation.worker.start();
      // Outlive the first lease several times over, each renewal pushing the expiry further.
      await until(async () => expect(await expiry()).toBeGreaterThan(first + 900), { timeout: 10_000 });
      expect(await other.invalidation.worker.takeOver()).toEqual([]);
      proxy.resume();
      await slow.runner.drain();
      expect(await slow.invalidation.get(jobId)).toMatchObject({ status: 'completed', attempt: 1, result: { keysDeleted: 2 } });
      expect((await slow.invalidation.get(jobId)).result?.takenOver).toBeUndefined();
      await slow.shutdown(0);
    } finally {
      await proxy.close();
    }
  });
});

describe('takeover edge cases', () => {
  it('a job the taking instance cannot plan (a provider it does not know) fails, saying why', async () => {
    const dead = harness({ env: LEASE, instanceId: 'dead' });
    dead.runner.close();
    const other = harness({ ns: dead.ns, env: LEASE, instanceId: 'other', registry: syntheticRegistry(2) });
    const { jobId } = await dead.invalidation.start({ providers: ['groq'] }, actor);
    await until(async () => expect(await other.invalidation.worker.takeOver()).toEqual([jobId]));
    const last = (await collectEvents(other, jobId)).at(-1)?.event;
    expect(last).toMatchObject({ type: 'failed', error: { message: 'Taken over by other, which cannot run it: Unknown provider: groq' } });
    expect(last).toMatchObject({ result: { success: false, takenOver: { by: 'other', from: 'dead', attempt: 2 } } });
  });

  it('a lease whose job record is gone is dropped, with its pending entry', async () => {
    const dead = harness({ env: LEASE, instanceId: 'dead' });
    dead.runner.close();
    const live = harness({ ns: dead.ns, env: LEASE, instanceId: 'live' });
    const { jobId } = await dead.invalidation.start({ providers: ['groq'] }, actor);
    const redis = client();
    await redis.del(live.keys.admin.job(jobId));
    await until(async () => expect(await live.invalidation.worker.takeOver()).toEqual([jobId]));
    expect(await redis.zscore(live.keys.admin.jobLeases, jobId)).toBeNull();
    expect(await redis.hget(live.keys.admin.pendingJobs, jobId)).toBeNull();
    expect(await redis.hget(live.keys.admin.jobOwners, jobId)).toBeNull();
    expect(live.invalidation.worker.held()).toEqual([]);
  });

  it('an instance with no free slot takes nothing over; renewal reports leases it lost', async () => {
    const dead = harness({ env: LEASE, instanceId: 'dead' });
    dead.runner.close();
    const full = harness({ ns: dead.ns, env: LEASE, instanceId: 'full' });
    full.runner.close(); // no room
    const { jobId } = await dead.invalidation.start({ providers: ['groq'] }, actor);
    expect(dead.invalidation.worker.held()).toEqual([jobId]);
    const redis = client();
    await redis.zadd(dead.keys.admin.jobLeases, 0, jobId); // expired
    expect(await full.invalidation.worker.takeOver()).toEqual([]);
    await redis.hset(dead.keys.admin.jobOwners, jobId, 'someone-else/token');
    await dead.invalidation.worker.renew();
    expect(dead.invalidation.worker.held()).toEqual([]);
    expect(await redis.zscore(dead.keys.admin.jobLeases, jobId)).toBe('0'); // not renewed: not ours any more
  });
});

describe('graceful shutdown', () => {
  it('refuses new jobs, releases queued jobs to another instance at once, ends streams with a resumable error', async () => {
    const proxy = await startProxy();
    try {
      const leaving = harness({ catalogVia: proxy, env: { ...LEASE, JOB_CONCURRENCY: '1', JOB_LEASE_MS: '60000' }, instanceId: 'leaving' });
      const staying = harness({ ns: leaving.ns, env: { JOB_LEASE_MS: '60000' }, instanceId: 'staying' });
      await leaving.cache.seed(['groq', 'xai']);
      await leaving.catalogRedis.ping();
      proxy.pause();
      const running = await leaving.invalidation.start({ providers: ['groq'] }, actor);
      await until(async () => expect((await leaving.invalidation.get(running.jobId)).status).toBe('running'));
      const queued = await leaving.invalidation.start({ providers: ['xai'] }, actor); // waits behind it (concurrency 1)
      const stream = collectEvents(leaving, queued.jobId);

      const stopping = leaving.shutdown(60_000);
      await expect(stream).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/shutting down/) });
      await expect(leaving.invalidation.start({ providers: ['groq'] }, actor)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      // Its lease was released, not left to expire (60 s): the other instance takes it now.
      await until(async () => expect(await staying.invalidation.worker.takeOver()).toEqual([queued.jobId]));
      await staying.runner.drain();
      // xai's models and the full catalog (the running groq job has not reached Redis yet).
      expect(await staying.invalidation.get(queued.jobId)).toMatchObject({ status: 'completed', result: { keysDeleted: 2, takenOver: { from: 'leaving', by: 'staying' } } });

      proxy.resume(); // the running job finishes within the grace period, then shutdown resolves
      await stopping;
      expect(await staying.invalidation.get(running.jobId)).toMatchObject({ status: 'completed', attempt: 1, result: { keysDeleted: 1 } });
    } finally {
      await proxy.close();
    }
  });
});
