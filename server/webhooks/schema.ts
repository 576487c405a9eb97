/** A webhook delivery as the job detail shows it (shared with the browser: no secret, no body). */
import { z } from 'zod';
import { redactUrl } from '~/server/lib/redact';

export const webhookAttemptSchema = z.object({
  at: z.number(),
  durationMs: z.number(),
  /** The endpoint's HTTP status, when it answered. */
  status: z.number().nullable(),
  /** In words, when the attempt failed ("answered 500", "no answer within 10000 ms"). */
  error: z.string().nullable(),
});
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  /** The `webhook-id` header, the same on every attempt: receivers deduplicate by it. */
  webhookId: z.string(),
  /** The endpoint without its query or credentials (they may carry a secret). */
  endpoint: z.string(),
  type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  createdAt: z.number(),
  /** When the next attempt is due (pending only). */
  nextAt: z.number().nullable(),
  /** Why it was given up, in words (failed only). */
  error: z.string().nullable(),
  attempts: z.array(webhookAttemptSchema),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** Every event a webhook endpoint receives (each endpoint of WEBHOOK_URLS gets all of them). */
export const WEBHOOK_EVENTS = ['invalidation.completed', 'invalidation.failed', 'catalog.held', 'catalog.changed'] as const;
export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** What receivers get: the Standard Webhooks envelope around the finished job. */
export interface JobWebhookPayload {
  type: 'invalidation.completed' | 'invalidation.failed';
  timestamp: string;
  data: Record<string, unknown> & { jobId: string; status: 'completed' | 'failed' };
}

/**
 * The envelope around a catalog event: `catalog.held` (a candidate the guard did not publish: its
 * broken rules and its changes against the last published catalog) or `catalog.changed` (a
 * publication that changed something: its changes, the job, who approved it).
 */
export interface CatalogWebhookPayload {
  type: 'catalog.held' | 'catalog.changed';
  timestamp: string;
  data: Record<string, unknown> & { provider: string };
}

export type WebhookPayload = JobWebhookPayload | CatalogWebhookPayload;

/** `https://user:pw@hooks.example.com/x?token=…` → `https://hooks.example.com/x` (the one redaction, server/lib/redact.ts). */
export const displayEndpoint = redactUrl;
