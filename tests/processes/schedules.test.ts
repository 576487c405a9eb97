/**
 * Scheduled refreshes across real `next start` processes (each starts its tick loop from
 * instrumentation.ts): one run per period whichever instance claims it, and runs go on when an
 * instance is killed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelSource, type ModelSource } from '~/scripts/lib/model-source';
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
  h = harness({ ns });
  const env = {
    REDIS_URL: redisUrl(),
    CATALOG_PREFIX: ns.catalogPrefix,
    ADMIN_PREFIX: ns.adminPrefix,
    PROVIDER_SOURCES: source.config(['groq']),
    SCHEDULE_TICK_MS: '50',
    SCHEDULE_MIN_INTERVAL_SECONDS: '1',
    SCHEDULE_CLAIM_MS: '1000', // a claim held by the killed instance is taken over after 1 s
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

describe('a schedule over two next start processes', () => {
  it('fires once per period, and keeps firing when one instance is killed', async () => {
    const [a, b] = started;
    if (!a || !b) throw new Error('two instances expected');
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
