/**
 * Reliability across real `next start` processes sharing one Redis: a read stampede, a burst of
 * identical requests, an instance killed (SIGKILL) mid-job and one stopped (SIGTERM) mid-job.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleModels, startModelSource, type ModelSource } from '~/scripts/lib/model-source';
import { startRedisProxy, type RedisProxy } from '~/scripts/lib/redis-proxy';
import type { StartResult } from '~/server/invalidation/schema';
import { startNext, TOKEN, trpc, type NextInstance } from '../support/next-instance';
import { closeAll, collectEvents, harness, namespace, redisUrl, type Harness } from '../support/redis';
import { until } from '../support/until';

let source: ModelSource;
let ns: ReturnType<typeof namespace>;
let h: Harness;
let a: NextInstance;
let b: NextInstance;
const started: NextInstance[] = [];
const proxies: RedisProxy[] = [];

const env = (extra: Record<string, string> = {}) => ({
  REDIS_URL: redisUrl(),
  CATALOG_PREFIX: ns.catalogPrefix,
  ADMIN_PREFIX: ns.adminPrefix,
  PROVIDER_SOURCES: source.config(['groq']),
  JOB_LEASE_MS: '1000',
  ...extra,
});

async function instance(extra: Record<string, string> = {}) {
  const next = await startNext(env(extra));
  started.push(next);
  return next;
}

/** A proxy to the test Redis, so one instance's catalog traffic can be held mid-job. */
async function catalogProxy() {
  const url = new URL(redisUrl());
  const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
  proxies.push(proxy);
  return proxy;
}

const instanceId = (next: NextInstance) => `${hostname()}:${next.pid}`;
const start = (next: NextInstance, providers: string[]) => trpc<StartResult>(next.url, 'invalidation.start', { providers });

beforeAll(async () => {
  source = await startModelSource();
  ns = namespace();
  h = harness({ ns });
  // The survivors keep their own jobs on a longer lease: on a loaded 2-core machine a 1 s lease could
  // lapse while alive, and a job taken over from a live runner counts only what its rerun deletes.
  // They still look for expired leases every 1.5 s, so a dead instance's 1 s lease is found soon.
  // A 5 s coalescing window: "at most 2 jobs" holds for a burst shorter than the window, and on a
  // loaded machine 100 HTTP requests can take longer than the default 250 ms to arrive.
  const survivor = { JOB_LEASE_MS: '3000', COALESCE_WINDOW_MS: '5000' };
  [a, b] = await Promise.all([instance(survivor), instance(survivor)]);
});

afterAll(async () => {
  await Promise.all(started.map((n) => n.stop()));
  await Promise.all(proxies.map((p) => p.close()));
  await source.close();
  await closeAll();
});

describe('two instances', () => {
  it('200 concurrent readers of a missing provider over two instances cause one source fetch, 200 answers', async () => {
    source.set('groq', { models: sampleModels('groq', 3), hold: true });
    const before = source.hits('groq');
    const reads = Array.from({ length: 200 }, (_, i) => fetch(`${(i % 2 ? a : b).url}/api/catalog/models?provider=groq`));
    await until(() => expect(source.held('groq')).toBe(1));
    source.release('groq');
    const responses = await Promise.all(reads);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { models: unknown[] }[];
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(bodies.every((body) => body.models.length === 3)).toBe(true);
    expect(source.hits('groq') - before).toBe(1);
    console.log(`[stampede] 200 readers over 2 instances: ${source.hits('groq') - before} source fetch; x-cache:`, countBy(responses.map((r) => r.headers.get('x-cache'))));
  });

  it('100 identical concurrent requests over two instances make at most 2 jobs, every asker recorded', async () => {
    await h.cache.seed(['xai']);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => start(i % 2 ? a : b, ['xai'])));
    const jobs = [...new Set(answers.map((x) => x.jobId))];
    expect(jobs.length).toBeLessThanOrEqual(2);
    await until(async () => {
      for (const id of jobs) expect((await h.invalidation.get(id)).status).toBe('completed');
    });
    const records = await Promise.all(jobs.map((id) => h.invalidation.get(id)));
    expect(records.reduce((n, r) => n + 1 + r.joined, 0)).toBe(100);
    expect(records.reduce((n, r) => n + (r.result?.keysDeleted ?? 0), 0)).toBe(2); // xai's models + the full catalog, once
    console.log(`[coalescing] 100 identical requests over 2 instances: ${jobs.length} job(s)`);
  });
});

describe('an instance dies mid-job', () => {
  it('SIGKILL: another instance takes the job over and completes it, with exact counts and one terminal event', async () => {
    const proxy = await catalogProxy();
    const doomed = await instance({ CATALOG_REDIS_URL: proxy.url });
    await h.cache.seed(['openai']);
    proxy.pause(); // its batch never reaches Redis
    const { jobId } = await start(doomed, ['openai']);
    await until(async () => expect((await h.invalidation.get(jobId)).status).toBe('running'));
    const following = collectEvents(h, jobId); // a subscriber that was watching
    doomed.process.kill('SIGKILL');
    await doomed.exited;
    const killedAt = Date.now();

    await until(async () => expect((await h.invalidation.get(jobId)).status).toBe('completed'), { timeout: 15_000 });
    const record = await h.invalidation.get(jobId);
    expect(record).toMatchObject({ attempt: 2, result: { success: true, keysDeleted: 2, takenOver: { from: instanceId(doomed), attempt: 2 } } });
    expect([instanceId(a), instanceId(b)]).toContain(record.result?.takenOver?.by);
    const events = (await following).map((e) => e.event.type);
    expect(events).toEqual(['queued', 'started', 'started', 'completed']);
    console.log(`[takeover] job of a SIGKILLed instance (JOB_LEASE_MS 1000) completed ${Date.now() - killedAt} ms after the kill (survivors look every 1.5 s)`);
  });

  it('SIGTERM: ends streams resumably, hands queued and unfinished jobs over, exits within 10 s', async () => {
    const proxy = await catalogProxy();
    const leaving = await instance({ CATALOG_REDIS_URL: proxy.url, JOB_CONCURRENCY: '1', SHUTDOWN_GRACE_MS: '1000', JOB_LEASE_MS: '60000' });
    await h.cache.seed(['mistral', 'deepseek']);
    proxy.pause();
    const stuck = await start(leaving, ['mistral']);
    await until(async () => expect((await h.invalidation.get(stuck.jobId)).status).toBe('running'));
    const queued = await start(leaving, ['deepseek']);
    const stream = await fetch(`${leaving.url}/api/trpc/invalidation.events?input=${encodeURIComponent(JSON.stringify({ jobId: queued.jobId }))}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const reading = stream.text();

    leaving.process.kill('SIGTERM');
    const text = await reading;
    expect(text).toContain('event: serialized-error');
    expect(text).toMatch(/shutting down/);
    const exit = await Promise.race([leaving.exited, new Promise((resolve) => setTimeout(resolve, 10_000, 'still running after 10 s'))]);
    expect(exit).toBe(0);

    // Both were released (the queued one at once, the stuck one after the grace period): others take them.
    for (const job of [queued, stuck]) {
      await until(async () => expect((await h.invalidation.get(job.jobId)).status).toBe('completed'), { timeout: 15_000 });
      expect((await h.invalidation.get(job.jobId)).result?.takenOver?.from).toBe(instanceId(leaving));
    }
  });
});

function countBy(values: (string | null)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}
