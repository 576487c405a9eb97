/**
 * Signed webhooks against loopback receivers, on the real Redis outbox: a receiver that fails twice
 * then accepts (three attempts, one webhook-id, each signature valid), one that never answers
 * (timeouts, then given up in words), deliveries that outlive the instance that enqueued them, and
 * two instances ticking over the same outbox (each delivery sent once).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { WebhookDelivery } from '~/server/webhooks/schema';
import { GRACE_MS, PAGE, WINDOW_MS } from '~/server/webhooks/sweep';
import { startProxy } from '../../support/proxy';
import { closeAll, harness, namespace, type Harness } from '../../support/redis';
import { until } from '../../support/until';
import { startReceiver, WEBHOOK_SECRET, type Receiver } from '../../support/webhook-receiver';

const receivers: Receiver[] = [];
const harnesses: Harness[] = [];

function instance(receiver: Receiver | Receiver[], extra: Record<string, string> = {}, ns = namespace(), now?: () => number) {
  const urls = (Array.isArray(receiver) ? receiver : [receiver]).map((r) => r.url).join(',');
  const h = harness({ ns, now, env: { WEBHOOK_URLS: urls, WEBHOOK_SECRET, WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_TICK_MS: '20', WEBHOOK_TIMEOUT_MS: '2000', ...extra } });
  harnesses.push(h);
  return h;
}

/** Without WEBHOOK_URLS a job's terminal write lands and nothing is enqueued: what a crash between the two leaves. */
function diedBeforeEnqueueing(ns: ReturnType<typeof namespace>, options: Parameters<typeof harness>[0] = {}) {
  const h = harness({ ...options, ns });
  harnesses.push(h);
  return h;
}

async function receiver(policy: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(policy);
  receivers.push(r);
  return r;
}

async function finishedJob(h: Harness, providers: string[] = ['groq']) {
  await h.cache.seed(providers);
  const { jobId } = await h.invalidation.start({ providers }, { kind: 'token', label: 'webhook test' });
  await h.runner.drain();
  return jobId;
}

const settled = (h: Harness, jobId: string, count = 1) =>
  until(async () => {
    const deliveries = await h.webhooks.deliveries(jobId);
    expect(deliveries).toHaveLength(count);
    expect(deliveries.every((d) => d.status !== 'pending')).toBe(true);
    return deliveries;
  });

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.shutdown(0)));
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await closeAll();
});

describe('webhooks', () => {
  it('retries a receiver that fails twice, then accepts: three attempts, one webhook-id, each signed (Standard Webhooks)', async () => {
    const r = await receiver((n) => (n <= 2 ? 500 : 204));
    const h = instance(r);
    h.webhooks.start();
    const jobId = await finishedJob(h);
    const [delivery] = (await settled(h, jobId)) as [WebhookDelivery];

    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
    expect(delivery.attempts.map((a) => a.error)).toEqual(['answered 500', 'answered 500', null]);
    expect(delivery.endpoint).toBe(r.url);
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((q) => q.headers['webhook-id']))).toEqual(new Set([`msg_${jobId}`]));
    const verifier = new Webhook(WEBHOOK_SECRET);
    for (const q of r.received) {
      const payload = verifier.verify(q.body, q.headers as Record<string, string>) as { type: string; data: { jobId: string; status: string; result: { keysDeleted: number } } };
      expect(payload).toMatchObject({ type: 'invalidation.completed', data: { jobId, status: 'completed' } });
      expect(payload.data.result.keysDeleted).toBeGreaterThan(0);
    }
    // The signature is what the spec says, computed by hand: v1,base64(HMAC-SHA256(secret, "id.timestamp.body")).
    const { createHmac } = await import('node:crypto');
    const q = r.received[0] as (typeof r.received)[0];
    const expected = createHmac('sha256', Buffer.from(WEBHOOK_SECRET.slice(6), 'base64')).update(`${String(q.headers['webhook-id'])}.${String(q.headers['webhook-timestamp'])}.${q.body}`).digest('base64');
    expect(String(q.headers['webhook-signature']).split(' ')).toContain(`v1,${expected}`);
    // Tampered bodies do not verify.
    expect(() => verifier.verify(q.body.replace('completed', 'failed'), q.headers as Record<string, string>)).toThrow();
  });

  it('gives up on a receiver that never answers, in words, after its attempts time out', async () => {
    const r = await receiver(() => 'hang');
    const h = instance(r, { WEBHOOK_TIMEOUT_MS: '100', WEBHOOK_MAX_ATTEMPTS: '2' });
    h.webhooks.start();
    const jobId = await finishedJob(h);
    const [delivery] = (await settled(h, jobId)) as [WebhookDelivery];

    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a) => [a.status, a.error])).toEqual([
      [null, 'no answer within 100 ms'],
      [null, 'no answer within 100 ms'],
    ]);
    expect(delivery.error).toBe('gave up after 2 attempts; the last one: no answer within 100 ms');
    expect(r.received).toHaveLength(2);
  });

  it('sends failed jobs too, one delivery per endpoint', async () => {
    const [a, b] = [await receiver(() => 200), await receiver(() => 200)];
    const urls = [a, b].map((r) => r.url).join(',');
    // The catalog's Redis refuses connections: the batch fails, the failure is recorded in the admin Redis.
    const h = harness({ catalogUrl: 'redis://127.0.0.1:1', env: { WEBHOOK_URLS: urls, WEBHOOK_SECRET, WEBHOOK_TICK_MS: '20' } });
    harnesses.push(h);
    h.webhooks.start();
    const { jobId } = await h.invalidation.start({ providers: ['groq'] }, { kind: 'token', label: 'webhook test' });
    await h.runner.drain();
    const deliveries = await settled(h, jobId, 2);
    expect(deliveries.map((d) => [d.endpoint, d.status, d.type])).toEqual([
      [a.url, 'delivered', 'invalidation.failed'],
      [b.url, 'delivered', 'invalidation.failed'],
    ]);
    const body = JSON.parse((a.received[0] as { body: string }).body) as { data: { status: string; error: { message: string } } };
    expect(body.data.status).toBe('failed');
    expect(body.data.error.message).toMatch(/Redis/);
    expect(b.received).toHaveLength(1);
  });

  it('a delivery enqueued by an instance that stops before sending it is sent by another instance', async () => {
    const r = await receiver(() => 200);
    const ns = namespace();
    const first = instance(r, {}, ns);
    // The first instance never starts its delivery loop (as if it died right after the job).
    const jobId = await finishedJob(first);
    // A graceful stop waits for the enqueue of a job that just finished.
    await first.shutdown(0);
    expect((await first.webhooks.deliveries(jobId)).map((d) => d.status)).toEqual(['pending']);
    expect(r.received).toHaveLength(0);

    const second = instance(r, {}, ns);
    second.webhooks.start();
    const [delivery] = (await settled(second, jobId)) as [WebhookDelivery];
    expect(delivery.status).toBe('delivered');
    expect(r.received).toHaveLength(1);
  });

  it('two instances ticking over one outbox send each delivery once', async () => {
    const r = await receiver(() => 200);
    const ns = namespace();
    const [a, b] = [instance(r, {}, ns), instance(r, {}, ns)];
    const jobIds: string[] = [];
    for (let i = 0; i < 6; i++) jobIds.push(await finishedJob(i % 2 ? a : b, ['groq']));
    // Both loops race for the same due deliveries.
    a.webhooks.start();
    b.webhooks.start();
    for (const jobId of jobIds) await settled(a, jobId);
    expect(r.received).toHaveLength(6);
    expect(new Set(r.received.map((q) => q.headers['webhook-id']))).toEqual(new Set(jobIds.map((id) => `msg_${id}`)));
  });

  it('a finished job whose instance died before enqueueing gets its webhooks from a sweep, once; too recent or too old, nothing', async () => {
    const r = await receiver(() => 204);
    const ns = namespace();
    const died = diedBeforeEnqueueing(ns);
    const jobId = await finishedJob(died);
    expect(await died.webhooks.deliveries(jobId)).toEqual([]);

    const at = (offsetMs: number) => instance(r, {}, ns, () => Date.now() + offsetMs);
    // Within the grace its own instance is a round trip from enqueueing; past the window it is not repaired.
    expect(await at(0).webhookSweep.sweep()).toBe(0);
    expect(await at(WINDOW_MS + 60_000).webhookSweep.sweep()).toBe(0);
    expect(await died.webhooks.deliveries(jobId)).toEqual([]);

    const sweeper = at(GRACE_MS + 1_000);
    expect(await sweeper.webhookSweep.sweep()).toBe(1);
    sweeper.webhooks.start();
    const [delivery] = (await settled(sweeper, jobId)) as [WebhookDelivery];
    expect(delivery).toMatchObject({ status: 'delivered', webhookId: `msg_${jobId}` });
    // Swept again (by every instance, every period): the delivery exists, nothing more is sent.
    expect(await sweeper.webhookSweep.sweep()).toBe(0);
    expect(await at(GRACE_MS + 2_000).webhookSweep.sweep()).toBe(0);
    expect(r.received).toHaveLength(1);
    expect(JSON.parse(r.received[0]?.body ?? '{}')).toMatchObject({ type: 'invalidation.completed', data: { jobId, status: 'completed' } });
  });

  it('a long job whose terminal write lands after more newer jobs than a page were created and ended gets its webhook from a sweep, once', async () => {
    const r = await receiver(() => 204);
    const proxy = await startProxy();
    try {
      const ns = namespace();
      // Both instances die before enqueueing; repeats of a provider never wait (no coalescing window).
      const env = { COALESCE_WINDOW_MS: '0' };
      const slow = diedBeforeEnqueueing(ns, { catalogVia: proxy, env });
      const quick = diedBeforeEnqueueing(ns, { env });
      await slow.catalogRedis.ping();
      proxy.pause(); // the long job's deletions wait in the proxy: it is running, its terminal write still to come
      const { jobId: long } = await slow.invalidation.start({ providers: ['groq'] }, { kind: 'token', label: 'long' });
      await until(async () => expect((await quick.invalidation.get(long)).status).toBe('running'));
      // More than the sweep reads per page (and than the 50 newest it once read): it ends on a later page.
      const short: string[] = [];
      for (let i = 0; i < PAGE + 10; i++) {
        short.push((await quick.invalidation.start({ providers: ['xai'] }, { kind: 'token', label: 'short' })).jobId);
        await quick.runner.drain();
      }
      proxy.resume();
      await slow.runner.drain();
      const ended = await Promise.all([long, ...short].map((id) => quick.invalidation.get(id)));
      expect(ended.map((j) => j.status)).toEqual(ended.map(() => 'completed'));
      // Created first, ended last: every other job was created after it and ended before it.
      const endedLong = ended[0]?.finishedAt ?? 0;
      expect(ended.slice(1).every((j) => j.createdAt > (ended[0]?.createdAt ?? 0) && (j.finishedAt ?? Infinity) <= endedLong)).toBe(true);
      expect(await quick.webhooks.deliveries(long)).toEqual([]);

      const sweeper = instance(r, {}, ns, () => Date.now() + GRACE_MS + 1_000);
      const repaired = await sweeper.webhookSweep.sweep();
      expect((await sweeper.webhooks.deliveries(long)).map((d) => d.webhookId)).toEqual([`msg_${long}`]);
      expect(repaired).toBe(short.length + 1);
      expect(await sweeper.webhookSweep.sweep()).toBe(0);
      sweeper.webhooks.start();
      await settled(sweeper, long);
      await until(() => expect(r.received).toHaveLength(short.length + 1));
      expect(r.received.filter((q) => q.headers['webhook-id'] === `msg_${long}`)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('a started sweep repairs at once, then again every WEBHOOK_SWEEP_MS', async () => {
    const r = await receiver(() => 204);
    const ns = namespace();
    const died = diedBeforeEnqueueing(ns);
    const first = await finishedJob(died);
    const sweeper = instance(r, { WEBHOOK_SWEEP_MS: '100' }, ns, () => Date.now() + GRACE_MS + 1_000);
    sweeper.webhooks.start();
    sweeper.webhookSweep.start();
    await until(() => expect(r.received).toHaveLength(1));
    // Lost after the first sweep: only a later one can find it.
    const second = await finishedJob(died, ['xai']);
    await until(() => expect(r.received).toHaveLength(2));
    expect(r.received.map((q) => q.headers['webhook-id'])).toEqual([`msg_${first}`, `msg_${second}`]);
  });
});
