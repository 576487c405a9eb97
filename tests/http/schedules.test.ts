/**
 * Two app processes, each with its own tick loop, over one Redis: a schedule created through one
 * fires once per period, whichever instance wins each claim.
 */
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '~/server/trpc/root';
import { closeAll, harness, redisUrl, type Harness } from '../support/redis';
import { spawnApiServer, type ApiProcess } from '../support/spawn-api';
import { until } from '../support/until';

const TOKEN = 'test-admin-token-0123456789abcdef';
let h: Harness;
let instances: ApiProcess[] = [];

beforeAll(async () => {
  h = harness();
  const env = {
    REDIS_URL: redisUrl(),
    ADMIN_TOKEN: TOKEN,
    CATALOG_PREFIX: h.ns.catalogPrefix,
    ADMIN_PREFIX: h.ns.adminPrefix,
    SCHEDULE_TICK_MS: '40',
    SCHEDULE_MIN_INTERVAL_SECONDS: '1',
  };
  instances = await Promise.all([spawnApiServer(env), spawnApiServer(env)]);
});

afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  await closeAll();
});

const api = (instance: ApiProcess) =>
  createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: instance.url, headers: { authorization: `Bearer ${TOKEN}` } })] });

describe('a schedule across two app processes', () => {
  it('fires once per period, each run an ordinary job in the history', async () => {
    const [one, two] = instances.map(api);
    if (!one || !two) throw new Error('two instances expected');
    await h.cache.seed(['groq']);
    const saved = await one.schedules.save.mutate({ providers: ['groq'], timing: { kind: 'interval', everySeconds: 1 } });
    const scheduled = async () => (await two.invalidation.history.query({ limit: 100 })).items.filter((j) => j.actor.kind === 'schedule');
    await until(async () => expect((await scheduled()).length).toBeGreaterThanOrEqual(3), { timeout: 15_000 });
    await two.schedules.remove.mutate({ id: saved.id });
    const jobs = await until(async () => {
      const all = await scheduled();
      expect(all.every((j) => j.status === 'completed')).toBe(true);
      return all;
    });

    const due = jobs.map((j) => Date.parse(/due (\S+)$/.exec(j.actor.label)?.[1] ?? ''));
    expect(new Set(due).size).toBe(jobs.length); // never two jobs for one period
    for (const at of due) expect((at - saved.updatedAt) % 1000).toBe(0); // each on the schedule's grid
    expect(jobs[0]?.result?.refresh).toEqual([expect.objectContaining({ provider: 'groq', status: 'unchanged' })]);
  });
});
