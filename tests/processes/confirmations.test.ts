/**
 * Issue 14's "Done when", over real processes on one Redis: two `next start` instances and the
 * Python gateway (clients/python) each hold a copy of groq's catalog; a job started on one is
 * confirmed by 3 of 3 and a read on either instance right after it sees the new catalog. Then one
 * instance is frozen (SIGSTOP): the next job names it missing after INSTANCE_CONFIRM_TIMEOUT_MS and
 * still completes; resumed (SIGCONT), it confirms again.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleModels, startModelSource, type ModelSource } from '~/scripts/lib/model-source';
import type { StartResult } from '~/server/invalidation/schema';
import { startNext, trpc, type NextInstance } from '../support/next-instance';
import { startPythonGateway, type PythonGateway } from '../support/python-gateway';
import { closeAll, harness, namespace, redisUrl, type Harness } from '../support/redis';
import { until } from '../support/until';

let source: ModelSource;
let h: Harness;
let a: NextInstance;
let b: NextInstance;
let py: PythonGateway | undefined;

beforeAll(async () => {
  source = await startModelSource();
  source.set('groq', { models: sampleModels('groq', 2) });
  const ns = namespace();
  h = harness({ ns }); // reads jobs and the registry; not a participant itself
  const env = {
    REDIS_URL: redisUrl(),
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    PROVIDER_SOURCES: source.config(['groq']),
    INSTANCE_CONFIRM_TIMEOUT_MS: '1500',
    // Copies stay until dropped: a fresh read after the job proves the drop, not an expiry.
    PROCESS_TIER_MAX_AGE_MS: '60000',
  };
  [a, b] = await Promise.all([startNext(env), startNext(env)]);
  py = await startPythonGateway({ redisUrl: redisUrl(), ns, heartbeatMs: 500 });
});

afterAll(async () => {
  if (b) process.kill(b.pid, 'SIGCONT');
  await py?.stop();
  await Promise.all([a, b].filter(Boolean).map((n) => n.stop()));
  await source?.close();
  await closeAll();
});

const participantOf = async (next: NextInstance) => {
  const found = (await h.presence.list()).find((i) => i.id.startsWith(`${hostname()}:${next.pid}:`));
  expect(found, `instance ${next.pid} is registered`).toBeDefined();
  return found?.id as string;
};

const read = async (next: NextInstance) => {
  const response = await fetch(`${next.url}/api/catalog/models?provider=groq`);
  expect(response.status).toBe(200);
  return { tier: response.headers.get('x-cache-tier'), models: ((await response.json()) as { models: unknown[] }).models.length };
};

async function runJob(on: NextInstance) {
  const { jobId } = await trpc<StartResult>(on.url, 'invalidation.start', { providers: ['groq'] });
  await until(async () => expect(['completed', 'failed']).toContain((await h.invalidation.get(jobId)).status), { timeout: 15_000 });
  return h.invalidation.get(jobId);
}

describe('every instance confirms', () => {
  it('a job on one instance is confirmed by 3 of 3, and a read on either right after it is fresh', async () => {
    const gateway = py as PythonGateway;
    await until(async () => expect((await h.presence.list()).map((i) => i.id).sort()).toEqual([await participantOf(a), await participantOf(b), gateway.id].sort()));
    // Each holds the 2-model catalog in memory: the second read of each instance is an in-process hit.
    for (const next of [a, b]) await until(async () => expect(await read(next)).toEqual({ tier: 'process', models: 2 }));
    expect(await gateway.ask('read groq', 'read')).toMatchObject({ stored: true });

    source.set('groq', { models: sampleModels('groq', 3) });
    // The source has moved on, the copies have not: only the job can make the next reads fresh.
    for (const next of [a, b]) expect(await read(next)).toEqual({ tier: 'process', models: 2 });
    const mark = gateway.mark();
    const job = await runJob(a);
    expect(job.status).toBe('completed');
    expect(job.result?.instances).toEqual({ confirmed: 3, total: 3, missing: [] });
    for (const next of [a, b]) expect(await read(next)).toMatchObject({ models: 3 });
    await gateway.seen({ event: 'dropped', provider: 'groq' }, mark);
    expect(await gateway.ask('get groq', 'get')).toMatchObject({ hit: false });
  });

  it('a frozen instance is named missing and the job still completes; resumed, it confirms again', async () => {
    const frozen = await participantOf(b);
    process.kill(b.pid, 'SIGSTOP');
    try {
      const job = await runJob(a);
      expect(job.status).toBe('completed');
      expect(job.result?.success).toBe(true);
      expect(job.result?.instances).toEqual({ confirmed: 2, total: 3, missing: [{ id: frozen, lastHeartbeatAt: expect.any(Number) }] });
    } finally {
      process.kill(b.pid, 'SIGCONT');
    }
    const after = await runJob(a);
    expect(after.result?.instances).toEqual({ confirmed: 3, total: 3, missing: [] });
  });
});
