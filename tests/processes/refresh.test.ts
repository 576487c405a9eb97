/**
 * Soft refresh and scheduled refreshes across real `next start` processes: readers on the public
 * path never get an empty catalog while a refresh waits on the source; a schedule (each instance
 * starts its tick loop from instrumentation.ts) runs once per period whichever instance claims it,
 * and runs go on when an instance is killed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleModels, startModelSource, type ModelSource } from '~/scripts/lib/model-source';
import { registryFromConfig } from '~/server/catalog/sources/registry';
import type { JobRecord, StartResult } from '~/server/invalidation/schema';
import type { Schedule } from '~/server/schedule/schema';
import { startNext, trpc, type NextInstance } from '../support/next-instance';
import { closeAll, harness, namespace, redisUrl, type Harness } from '../support/redis';
import { until } from '../support/until';

let source: ModelSource;
let h: Harness;
const started: NextInstance[] = [];

beforeAll(async () => {
  source = await startModelSource();
  const ns = namespace();
  // The same providers as the instances: groq comes from the loopback source.
  h = harness({ ns, registry: registryFromConfig(source.config(['groq'])) });
  const env = {
    REDIS_URL: redisUrl(),
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    PROVIDER_SOURCES: source.config(['groq']),
    SCHEDULE_TICK_MS: '50',
    SCHEDULE_MIN_INTERVAL_SECONDS: '1',
    SCHEDULE_CLAIM_MS: '1000', // a claim held by the killed instance is taken over after 1 s
    JOB_LEASE_MS: '1000', // and so is a run it had started
  };
  started.push(...(await Promise.all([startNext(env), startNext(env)])));
});

afterAll(async () => {
  await Promise.all(started.map((n) => n.stop()));
  await source.close();
  await closeAll();
});

async function scheduledRuns() {
  const { items } = await h.invalidation.history({ limit: 100 });
  return items.filter((j) => j.actor.kind === 'schedule');
}

describe('a soft refresh over two next start processes', () => {
  it('readers on both instances get the old catalog, flagged STALE, while the source is held; then the new one', async () => {
    const [a, b] = started;
    if (!a || !b) throw new Error('two instances expected');
    source.set('groq', { models: sampleModels('groq', 2) });
    await h.cache.seed(['groq']);
    source.set('groq', { models: sampleModels('groq', 3), hold: true });
    const hits = source.hits('groq');
    const { jobId } = await trpc<StartResult>(a.url, 'invalidation.start', { providers: ['groq'], mode: 'soft' });
    await until(() => expect(source.held('groq')).toBe(1));

    const reads = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${(i % 2 ? a : b).url}/api/catalog/models?provider=groq`)));
    const bodies = (await Promise.all(reads.map((r) => r.json()))) as { models: unknown[] }[];
    expect(reads.map((r) => `${r.status} ${r.headers.get('x-cache')}`)).toEqual(Array(40).fill('200 STALE'));
    expect(bodies.every((body) => body.models.length === 2)).toBe(true); // never empty, never the half-written new one

    source.release('groq');
    const done = await until(async () => {
      const record = await trpc<JobRecord>(b.url, 'invalidation.get', { jobId }, 'query');
      expect(record.status).toBe('completed');
      return record;
    });
    expect(done.result?.refresh).toEqual([expect.objectContaining({ provider: 'groq', status: 'refreshed', added: ['groq/model-3'] })]);
    expect(source.hits('groq') - hits).toBe(1); // the job's fetch only: readers did not go to the source
    const after = await fetch(`${b.url}/api/catalog/models?provider=groq`);
    expect(after.headers.get('x-cache')).toBe('HIT');
    expect(((await after.json()) as { models: unknown[] }).models).toHaveLength(3);
  });
});

describe('a schedule over two next start processes', () => {
  it('fires once per period, and keeps firing when one instance is killed', async () => {
    const [a, b] = started;
    if (!a || !b) throw new Error('two instances expected');
    source.set('groq', { models: sampleModels('groq', 3) });
    const saved = await trpc<Schedule>(a.url, 'schedules.save', { providers: ['groq'], timing: { kind: 'interval', everySeconds: 1 } });
    await until(async () => expect((await scheduledRuns()).length).toBeGreaterThanOrEqual(2), { timeout: 20_000 });

    await a.stop(); // SIGKILL: whatever it held, its claims expire and b fires from then on
    const before = (await scheduledRuns()).length;
    await until(async () => expect((await scheduledRuns()).length).toBeGreaterThanOrEqual(before + 2), { timeout: 60_000 });
    await trpc(b.url, 'schedules.remove', { id: saved.id });

    const runs = await until(async () => {
      const all = await scheduledRuns();
      expect(all.every((j) => j.status === 'completed')).toBe(true);
      return all;
    }, { timeout: 20_000 });
    const due = runs.map((j) => Date.parse(/due (\S+)$/.exec(j.actor.label)?.[1] ?? ''));
    expect(new Set(due).size).toBe(runs.length); // never two jobs for one period
    for (const at of due) expect((at - saved.updatedAt) % 1000).toBe(0);
    expect(runs[0]?.result?.refresh).toEqual([expect.objectContaining({ provider: 'groq', status: 'unchanged' })]);
  });
});
