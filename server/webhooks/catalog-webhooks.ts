/**
 * The catalog's webhooks: `catalog.held` when the guard holds a candidate, `catalog.changed` when a
 * publication (a refresh, a reader's rebuild, an approval) changed something, each with its changes
 * model by model. Enqueued in the outbox like a job's (signed, retried, one instance sends each),
 * by the instance that wrote, after its write landed. Not atomic with the write: an instance that
 * dies between the two loses the webhook (the history keeps the change; the sweep repairs jobs only).
 */
import 'server-only';
import type { CatalogEvent } from '~/server/catalog/history/schema';
import type { Logger } from '~/server/log/logger';
import type { WebhookOutbox } from './outbox';
import type { CatalogWebhookPayload } from './schema';

/** The envelope and the subject the deliveries are idempotent by. */
export function catalogPayload(event: CatalogEvent, at: number): { payload: CatalogWebhookPayload; subject: string } {
  const { type, ...data } = event;
  const named = type === 'catalog.held' ? event.id : event.publication;
  return {
    payload: { type, timestamp: new Date(at).toISOString(), data: { ...data, at: new Date(event.at).toISOString(), reviewUrl: `/review/${event.provider}` } },
    subject: `${type.replace('.', '-')}-${named}`,
  };
}

export function createCatalogWebhooks({ outbox, now, log }: { outbox: Pick<WebhookOutbox, 'enqueueFor' | 'enabled'>; now: () => number; log: Logger }) {
  const enqueues = new Set<Promise<unknown>>();
  return {
    /** The cache's `onCatalogEvent`: never throws, never delays the write that told it. */
    tell(event: CatalogEvent): void {
      if (!outbox.enabled) return;
      const { payload, subject } = catalogPayload(event, now());
      const work: Promise<unknown> = outbox
        .enqueueFor(subject, payload)
        .catch((err: unknown) => log.error({ provider: event.provider, type: event.type, err }, 'could not enqueue a catalog webhook'))
        .finally(() => enqueues.delete(work));
      enqueues.add(work);
    },
    /** Resolves when every enqueue in flight has settled. */
    settled: () => Promise.all([...enqueues]).then(() => undefined),
  };
}
