/**
 * The webhook sweep's own part (server/webhooks/sweep.ts), over an index and an outbox the test
 * holds, on vitest's fake clock: which range it asks for, paging to the range's end, what it logs,
 * and its loop (at once when started, not at all without webhooks, errors logged, stop). The sweep
 * over the real finished-jobs index and outbox is in webhooks.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FinishedCursor, FinishedPage } from '~/server/invalidation/store/store';
import type { JobRecord } from '~/server/invalidation/schema';
import { createLogger } from '~/server/log/logger';
import { createWebhookSweep, GRACE_MS, PAGE, WINDOW_MS, type WebhookSweepDeps } from '~/server/webhooks/sweep';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const AT = 10 * WINDOW_MS;
const record = (id: string, status = 'completed') => ({ id, status, createdAt: 1, finishedAt: 2 }) as unknown as JobRecord;

function sweepOver(pages: FinishedPage[], { enabled = true, added = 1 } = {}) {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', instance: 'sweep-test', destination: { write: (line: string) => void lines.push(line) } });
  const asked: Array<{ range: { from: number; to: number }; cursor: FinishedCursor | null; count: number }> = [];
  const enqueued: string[] = [];
  let left = [...pages];
  const deps: WebhookSweepDeps = {
    finishedJobs: async (range, cursor, count) => {
      asked.push({ range, cursor, count });
      const page = left.shift();
      if (!page) throw new Error('read past the last page');
      return page;
    },
    outbox: { enabled, enqueue: async (p) => (enqueued.push(p.data.jobId), added) },
    everyMs: 1_000,
    now: () => AT,
    log,
  };
  return { sweep: createWebhookSweep(deps), asked, enqueued, refill: (more: FinishedPage[]) => (left = [...more]), logged: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('a webhook sweep', () => {
  it('asks for the jobs that ended between WINDOW_MS and GRACE_MS ago, PAGE at a time, to the last page', async () => {
    const cursor = { from: AT - 60_000, seen: ['a'] };
    const s = sweepOver([
      { records: [record('a'), record('b', 'running')], next: cursor },
      { records: [record('c')], next: null },
    ]);
    expect(await s.sweep.sweep()).toBe(2);
    const range = { from: AT - WINDOW_MS, to: AT - GRACE_MS };
    expect(s.asked).toEqual([
      { range, cursor: null, count: PAGE },
      { range, cursor, count: PAGE },
    ]);
    // A job that has not ended has no webhook.
    expect(s.enqueued).toEqual(['a', 'c']);
  });

  it('warns with the number of deliveries it had to add, and says nothing when none were missing', async () => {
    const lacking = sweepOver([{ records: [record('a'), record('b')], next: null }], { added: 2 });
    expect(await lacking.sweep.sweep()).toBe(4);
    expect(lacking.logged()).toEqual([expect.objectContaining({ level: 'warn', deliveries: 4, msg: expect.stringMatching(/^enqueued webhooks that finished jobs lacked/) })]);
    const complete = sweepOver([{ records: [record('a')], next: null }], { added: 0 });
    expect(await complete.sweep.sweep()).toBe(0);
    expect(complete.logged()).toEqual([]);
  });

  it('runs at once when started, then every period; a failed sweep is logged and the next one runs; stop ends it', async () => {
    const s = sweepOver([{ records: [], next: null }]);
    s.sweep.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000); // no page left: this sweep fails
    expect(s.asked).toHaveLength(2);
    expect(s.logged()).toEqual([expect.objectContaining({ level: 'warn', msg: 'webhook sweep failed', err: expect.objectContaining({ message: 'read past the last page' }) })]);
    s.refill([{ records: [], next: null }]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(s.asked).toHaveLength(3);
    await s.sweep.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.asked).toHaveLength(3);
  });

  it('never runs on an instance without webhooks (no reads every period for nothing)', async () => {
    const s = sweepOver([{ records: [record('a')], next: null }], { enabled: false });
    s.sweep.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.asked).toEqual([]);
    await s.sweep.stop();
  });
});
