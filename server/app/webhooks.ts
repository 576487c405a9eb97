/**
 * Signed webhooks: the outbox and its delivery loop, the finished-job observer that enqueues, and
 * the sweep that repairs an enqueue lost with its instance.
 */
import 'server-only';
import { createCatalogWebhooks } from '~/server/webhooks/catalog-webhooks';
import { createJobWebhooks } from '~/server/webhooks/job-webhooks';
import { createWebhookOutbox } from '~/server/webhooks/outbox';
import { createWebhookSweep, type WebhookSweepDeps } from '~/server/webhooks/sweep';
import type { Base, Lifecycle } from './base';

/** `finishedJobs` is called only once started, so it may reach services wired after this one. */
export function wireWebhooks({ adminRedis, keys, env, log, metrics, now, clock }: Base, finishedJobs: WebhookSweepDeps['finishedJobs']) {
  const webhookLog = log.child({ component: 'webhooks' });
  const webhooks = createWebhookOutbox({
    redis: adminRedis,
    keys: keys.admin,
    log: webhookLog,
    now,
    onAttempt: metrics.webhookAttempt,
    config: {
      urls: env.WEBHOOK_URLS,
      secret: env.WEBHOOK_SECRET,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      tickMs: env.WEBHOOK_TICK_MS,
      retentionSeconds: env.HISTORY_RETENTION_DAYS * 86400,
    },
  });
  const jobWebhooks = createJobWebhooks({ outbox: webhooks, now: clock, log: log.child({ component: 'jobs' }) });
  const catalogWebhooks = createCatalogWebhooks({ outbox: webhooks, now: clock, log: webhookLog });
  const webhookSweep = createWebhookSweep({ finishedJobs, outbox: webhooks, everyMs: env.WEBHOOK_SWEEP_MS, now: clock, log: webhookLog });
  const lifecycle: Lifecycle = {
    // Every instance delivers (the claim script hands each due delivery to one of them) and sweeps.
    start: () => {
      webhooks.start();
      webhookSweep.start();
    },
    // After the jobs: those that finished in the grace enqueued theirs; what is unsent stays due for any instance.
    shutdown: async () => {
      await Promise.all([jobWebhooks.settled(), catalogWebhooks.settled()]);
      await Promise.all([webhooks.stop(), webhookSweep.stop()]);
    },
  };
  return { webhooks, webhookSweep, jobObserver: jobWebhooks.observer, catalogEvents: catalogWebhooks.tell, lifecycle };
}
