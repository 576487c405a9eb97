/**
 * The finished-job observer that enqueues webhooks (server/webhooks/job-webhooks.ts), over an outbox
 * that the test holds: an enqueue that fails is logged with its job, and `settled()` (what a graceful
 * stop awaits) waits for the enqueues in flight. The real outbox and its deliveries are in webhooks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { FinishedJob } from '~/server/invalidation/observer';
import type { JobRecord } from '~/server/invalidation/schema';
import { createLogger } from '~/server/log/logger';
import { createJobWebhooks } from '~/server/webhooks/job-webhooks';
import type { JobWebhookPayload } from '~/server/webhooks/schema';

function capturedLog() {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', instance: 'job-webhooks-test', destination: { write: (line: string) => void lines.push(line) } });
  return { log, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const finished = (jobId: string): FinishedJob => {
  const record = { id: jobId, status: 'completed', createdAt: 1, finishedAt: 2 } as unknown as JobRecord;
  return { jobId, record, status: 'completed', result: {} as FinishedJob['result'], error: null };
};

describe('the webhooks of a finished job', () => {
  it('are enqueued once per job, from its record', async () => {
    const enqueued: JobWebhookPayload[] = [];
    const { log } = capturedLog();
    const jw = createJobWebhooks({ outbox: { enabled: true, enqueue: async (p) => (enqueued.push(p), 1) }, now: () => 5_000, log });
    jw.observer.finished?.(finished('j1'));
    await jw.settled();
    expect(enqueued).toEqual([expect.objectContaining({ type: 'invalidation.completed', timestamp: new Date(5_000).toISOString(), data: expect.objectContaining({ jobId: 'j1', status: 'completed' }) })]);
  });

  it('that cannot be enqueued are logged as an error with the job, and settle', async () => {
    const { log, entries } = capturedLog();
    const jw = createJobWebhooks({ outbox: { enabled: true, enqueue: () => Promise.reject(new Error('outbox down')) }, now: () => 0, log });
    jw.observer.finished?.(finished('j2'));
    await jw.settled();
    expect(entries()).toEqual([expect.objectContaining({ level: 'error', jobId: 'j2', msg: 'could not enqueue the webhooks of a finished job', err: expect.objectContaining({ message: 'outbox down' }) })]);
  });

  it('settled() waits for every enqueue in flight, and only for those', async () => {
    const releases: Array<() => void> = [];
    const { log } = capturedLog();
    const jw = createJobWebhooks({ outbox: { enabled: true, enqueue: () => new Promise<number>((resolve) => releases.push(() => resolve(1))) }, now: () => 0, log });
    jw.observer.finished?.(finished('j3'));
    jw.observer.finished?.(finished('j4'));
    let done = false;
    const settling = jw.settled().then(() => (done = true));
    releases[0]?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false); // j4 still in flight
    releases[1]?.();
    await settling;
    expect(done).toBe(true);
  });

  it('ask nothing of the outbox when webhooks are off, or for a record that has not ended', async () => {
    const asked: unknown[] = [];
    const { log, entries } = capturedLog();
    const outbox = (enabled: boolean) => ({ enabled, enqueue: async (p: JobWebhookPayload) => (asked.push(p), 1) });
    const off = createJobWebhooks({ outbox: outbox(false), now: () => 0, log });
    off.observer.finished?.(finished('j5'));
    const on = createJobWebhooks({ outbox: outbox(true), now: () => 0, log });
    const running = finished('j6');
    on.observer.finished?.({ ...running, record: { ...running.record, status: 'running' } });
    await Promise.all([off.settled(), on.settled()]);
    expect(asked).toEqual([]);
    expect(entries()).toEqual([]);
  });
});
