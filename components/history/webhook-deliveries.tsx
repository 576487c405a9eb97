'use client';

import { formatClock, formatMs, plural } from '~/components/common/format';
import { useWebhookDeliveries } from './use-webhook-deliveries';
import type { WebhookDelivery } from '~/server/webhooks/schema';

const badge: Record<WebhookDelivery['status'], string> = { delivered: 'badge badge-ok', failed: 'badge badge-bad', pending: 'badge badge-info' };

/** The job's webhook deliveries (WEBHOOK_URLS) and every attempt of each: time, answer, error. */
export function WebhookDeliveries({ jobId, finished }: { jobId: string; finished: boolean }) {
  const deliveries = useWebhookDeliveries(jobId, finished);
  if (!finished || !deliveries.data?.length) return null;
  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading" className="section-title">
        Webhooks
      </h2>
      <ul className="webhook-deliveries" aria-label="Webhook deliveries">
        {deliveries.data.map((d) => (
          <li key={d.id}>
            <p>
              <span className={badge[d.status]}>{d.status}</span> <code>{d.endpoint}</code> <span className="muted">({d.webhookId}, {plural(d.attempts.length, 'attempt')})</span>
            </p>
            {d.error ? <p className="muted">{d.error}</p> : null}
            {d.nextAt ? <p className="muted">Next attempt at {formatClock(d.nextAt, true)}</p> : null}
            <ol aria-label={`Attempts to ${d.endpoint}`}>
              {d.attempts.map((a, i) => (
                <li key={i}>
                  <time dateTime={new Date(a.at).toISOString()}>{formatClock(a.at, true)}</time>: {a.status !== null ? `HTTP ${a.status}` : 'no answer'}
                  {a.error ? `, ${a.error}` : ''} ({formatMs(a.durationMs)})
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
    </section>
  );
}
