/**
 * Signed webhooks for finished jobs (Standard Webhooks v1), through an outbox in Redis, so a
 * delivery survives the restart of the instance that enqueued it and is sent by one instance.
 *
 * - **Enqueue:** when a job's terminal write lands (the observer hook in server/invalidation), one
 *   delivery per endpoint of WEBHOOK_URLS is written (script: idempotent per id) and due at once.
 *   Not atomic with the terminal write (another slot on a cluster): the composition root's sweep
 *   (server/webhooks/sweep.ts) enqueues again what recently finished jobs lack.
 * - **Deliver:** every instance ticks (WEBHOOK_TICK_MS, and at once after enqueueing); a claim script
 *   hands each due delivery to one of them for WEBHOOK_TIMEOUT_MS plus a margin (scripts.ts). It
 *   POSTs the JSON body with `webhook-id` (the same on every attempt), `webhook-timestamp` and
 *   `webhook-signature` (`v1,` + base64 HMAC-SHA256 of "id.timestamp.body" under WEBHOOK_SECRET), and
 *   records the attempt (time, status, error) fenced by its claim.
 * - **Retry:** not 2xx (or no answer in time) → again after base × 2^(n−1), halved to whole by jitter,
 *   capped at 10 min; after WEBHOOK_MAX_ATTEMPTS it gives up, in words. 410 Gone gives up at once
 *   (the spec's "disable me").
 * Cost: enqueue 1 round trip; each attempt 3 (claim, read, record), off any request's path.
 */
import 'server-only';
import type { RedisClient } from '~/server/redis/cluster';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '~/server/log/logger';
import { every } from '~/server/lib/every';
import { mapLimit } from '~/server/lib/map-limit';
import { errorText } from '~/server/lib/redact';
import type { AdminKeys } from '~/server/redis/keys';
import { callScript, defineScripts } from '~/server/redis/scripts';
import { displayEndpoint, webhookAttemptSchema, type JobWebhookPayload, type WebhookAttempt, type WebhookPayload, type WebhookDelivery } from './schema';
import { claimDeliveries, enqueueDelivery, recordAttempt, WEBHOOK_SCRIPTS } from './scripts';

export interface WebhookConfig {
  urls: readonly string[];
  /** `whsec_` + base64; required when there are URLs (env.ts checks). */
  secret: string | undefined;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  tickMs: number;
  retentionSeconds: number;
}

export interface WebhookDeps {
  redis: RedisClient;
  keys: AdminKeys;
  config: WebhookConfig;
  log: Logger;
  now?: () => number;
  random?: () => number;
  /** Told after each attempt (metrics). */
  onAttempt?: (outcome: 'delivered' | 'retry' | 'gave_up', seconds: number) => void;
}

export type WebhookOutbox = ReturnType<typeof createWebhookOutbox>;

const MAX_DELAY_MS = 10 * 60_000;
/** Deliveries one instance claims per tick (and sends at once, in parallel). */
const CLAIM_BATCH = 16;

export function createWebhookOutbox({ redis, keys, config, log, now = Date.now, random = Math.random, onAttempt = () => {} }: WebhookDeps) {
  defineScripts(redis, WEBHOOK_SCRIPTS);
  const signer = config.secret ? new Webhook(config.secret) : null;
  const claimMs = config.timeoutMs + 5_000;

  /** A finished job's deliveries, one per endpoint; returns how many were new. Nothing to do without endpoints. */
  const enqueue = (payload: JobWebhookPayload): Promise<number> => enqueueFor(payload.data.jobId, payload);

  /**
   * One delivery per endpoint of any event, idempotent per `subject` (what it is about: a job's id,
   * or a catalog event's `catalog-changed-<publication>`; no dots), its deliveries listed under it.
   */
  async function enqueueFor(subject: string, payload: WebhookPayload): Promise<number> {
    if (!config.urls.length || !signer) return 0;
    const at = now();
    const body = JSON.stringify(payload);
    let added = 0;
    for (const [i, url] of config.urls.entries()) {
      const id = `${subject}.${i}`;
      const fields = { id, url, webhookId: `msg_${subject}`, type: payload.type, status: 'pending', createdAt: String(at), nextAt: String(at), error: '', body };
      added += Number(
        await callScript(redis, enqueueDelivery, { due: keys.webhookDue, delivery: keys.webhookDelivery(id), jobDeliveries: keys.webhookJobDeliveries(subject) }, { id, dueAt: at, retentionSeconds: config.retentionSeconds, fields: Object.entries(fields).flat() }),
      );
    }
    if (added) loop.kick();
    return added;
  }

  /** Claims what is due and sends it; returns how many attempts this instance made. */
  async function tick(): Promise<number> {
    const at = now();
    const claim = at + claimMs;
    const ids = (await callScript(redis, claimDeliveries, { due: keys.webhookDue }, { now: at, claimUntil: claim, limit: CLAIM_BATCH })) as string[];
    await mapLimit(ids, CLAIM_BATCH, (id) => attempt(id, claim).catch((err: unknown) => log.warn({ deliveryId: id, err }, 'webhook attempt could not be recorded')));
    return ids.length;
  }

  async function attempt(id: string, claim: number): Promise<void> {
    const [hash, attemptsSoFar] = await Promise.all([redis.hgetall(keys.webhookDelivery(id)), redis.llen(keys.webhookAttempts(id))]);
    if (!hash.url || !hash.body || !hash.webhookId || !signer) {
      // Gone (expired, or written by a version that cannot be read): drop its due entry for good.
      await record(id, claim, { at: now(), durationMs: 0, status: null, error: 'the delivery record is missing' }, 'failed', 0, 'the delivery record is missing');
      return;
    }
    const n = attemptsSoFar + 1;
    const started = now();
    const sent = await post(hash.url, hash.webhookId, hash.body);
    const result: WebhookAttempt = { at: started, durationMs: now() - started, ...sent };
    const ok = sent.status !== null && sent.status >= 200 && sent.status < 300;
    const gone = sent.status === 410;
    const jobId = hash.id?.split('.')[0];
    const where = { jobId, deliveryId: id, endpoint: displayEndpoint(hash.url), attempt: n, status: sent.status };
    if (ok) {
      await record(id, claim, result, 'delivered', 0, '');
      log.info(where, 'webhook delivered');
      onAttempt('delivered', result.durationMs / 1000);
    } else if (gone || n >= config.maxAttempts) {
      const why = gone ? 'the endpoint answered 410 Gone (it asks for no more deliveries)' : `gave up after ${n} attempts; the last one: ${sent.error}`;
      await record(id, claim, result, 'failed', 0, why);
      log.warn({ ...where, error: why }, 'webhook given up');
      onAttempt('gave_up', result.durationMs / 1000);
    } else {
      const nextAt = now() + backoff(n);
      await record(id, claim, result, 'retry', nextAt, '');
      log.info({ ...where, error: sent.error, nextAt: new Date(nextAt).toISOString() }, 'webhook attempt failed; will retry');
      onAttempt('retry', result.durationMs / 1000);
    }
  }

  function record(id: string, claim: number, a: WebhookAttempt, outcome: 'delivered' | 'retry' | 'failed', nextAt: number, error: string) {
    return callScript(
      redis,
      recordAttempt,
      { due: keys.webhookDue, delivery: keys.webhookDelivery(id), attempts: keys.webhookAttempts(id) },
      { id, claim, attempt: JSON.stringify(a), outcome, nextAt, error, retentionSeconds: config.retentionSeconds },
    );
  }

  /** Exponential from the base, with jitter in [½, 1] of it, capped. */
  function backoff(attempt: number): number {
    const full = Math.min(MAX_DELAY_MS, config.retryBaseMs * 2 ** (attempt - 1));
    return Math.round(full * (0.5 + random() / 2));
  }

  async function post(url: string, webhookId: string, body: string): Promise<{ status: number | null; error: string | null }> {
    const timestamp = new Date(now());
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'catalog-invalidator-webhooks',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': (signer as Webhook).sign(webhookId, timestamp, body),
    };
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(config.timeoutMs) });
      await response.body?.cancel().catch(() => {});
      return { status: response.status, error: response.ok ? null : `answered ${response.status}` };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') return { status: null, error: `no answer within ${config.timeoutMs} ms` };
      // fetch's message may quote the URL (user:password, a token in the query): redacted.
      return { status: null, error: `could not connect (${e.cause?.code ?? errorText(e)})` };
    }
  }

  /** Every delivery of a job with its attempts, in endpoint order (2 round trips). */
  async function deliveries(jobId: string): Promise<WebhookDelivery[]> {
    const ids = await redis.lrange(keys.webhookJobDeliveries(jobId), 0, -1);
    if (!ids.length) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.webhookDelivery(id)).lrange(keys.webhookAttempts(id), 0, -1);
    const replies = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const hash = (replies[i * 2]?.[1] ?? {}) as Record<string, string>;
      const attempts = ((replies[i * 2 + 1]?.[1] ?? []) as string[]).flatMap((line) => {
        const parsed = webhookAttemptSchema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      });
      if (!hash.id) return [];
      const status = hash.status === 'delivered' || hash.status === 'failed' ? hash.status : 'pending';
      return [
        {
          id,
          webhookId: hash.webhookId ?? '',
          endpoint: displayEndpoint(hash.url ?? ''),
          type: hash.type ?? '',
          status,
          createdAt: Number(hash.createdAt),
          nextAt: status === 'pending' && hash.nextAt ? Number(hash.nextAt) : null,
          error: hash.error || null,
          attempts,
        },
      ];
    });
  }

  const loop = every(config.tickMs, tick, (err) => log.warn({ err }, 'webhook tick failed'));

  return {
    enqueue,
    enqueueFor,
    tick,
    deliveries,
    enabled: config.urls.length > 0,
    /** Starts the delivery loop (the app does; tests drive `tick` or start it). */
    start(): void {
      if (config.urls.length) loop.start(0);
    },
    /** Stops ticking and waits for the tick in flight; unsent deliveries stay due for any instance. */
    stop: () => loop.stop(),
  };
}

/** The envelope receivers get for a finished job: the record, minus nothing secret (it holds none). */
export function jobPayload(record: { id: string; status: string } & Record<string, unknown>, at: number): JobWebhookPayload | null {
  if (record.status !== 'completed' && record.status !== 'failed') return null;
  const { id, askers: _askers, ...rest } = record;
  return { type: `invalidation.${record.status}`, timestamp: new Date(at).toISOString(), data: { jobId: id, ...rest, status: record.status, statusUrl: `/api/admin/invalidations/${id}` } };
}
