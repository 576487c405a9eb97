/**
 * A finished job's webhooks, enqueued by the instance whose terminal write landed, from the record
 * that write returned (no second read). The enqueue runs after the job's subscribers were told; a
 * graceful stop waits for the enqueues in flight, so a job finished during the grace keeps its
 * webhooks. An instance that dies between the write and the enqueue is repaired by the sweep.
 */
import 'server-only';
import type { JobObserver } from '~/server/invalidation/observer';
import type { Logger } from '~/server/log/logger';
import { jobPayload, type WebhookOutbox } from './outbox';

export function createJobWebhooks({ outbox, now, log }: { outbox: Pick<WebhookOutbox, 'enqueue' | 'enabled'>; now: () => number; log: Logger }) {
  const enqueues = new Set<Promise<unknown>>();
  const observer: JobObserver = {
    finished(e) {
      if (!outbox.enabled) return;
      const payload = jobPayload(e.record, now());
      if (!payload) return;
      const work: Promise<unknown> = outbox
        .enqueue(payload)
        .catch((err: unknown) => log.error({ jobId: e.jobId, err }, 'could not enqueue the webhooks of a finished job'))
        .finally(() => enqueues.delete(work));
      enqueues.add(work);
    },
  };
  return {
    observer,
    /** Resolves when every enqueue in flight has settled. */
    settled: () => Promise.all([...enqueues]).then(() => undefined),
  };
}
