/**
 * Two instances over one Redis, each with its process tier and its invalidation subscriber: a
 * job is confirmed by both, a read on either right after it sees fresh data, and an instance whose
 * subscriber connection is cut serves no in-process copy, is named missing, and refills once back;
 * the announcing instance counts itself in process, having dropped its own copies first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisProxy } from '~/scripts/lib/redis-proxy';
import { closeAll, harness, redisUrl, type Harness, runToEnd } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

/** A job id in the grammar: participants ack only those, in the key derived from it. */
const SELF_JOB = '0mx5d1k2a5e1f5e1f00';

const env = { INSTANCE_HEARTBEAT_MS: '50', INSTANCE_TTL_MS: '5000', INSTANCE_CONFIRM_TIMEOUT_MS: '400', PROCESS_TIER_MAX_AGE_MS: '60000' };

/** Reads until the tier serves it (the first read fills it). */
async function warm(h: Harness, name: string) {
  await until(async () => expect((await h.cache.getProvider(name)).tier).toBe('process'));
}

describe('confirmed invalidations', () => {
  it('2 of 2 confirm; a read on either right after the job sees the rebuilt copy', async () => {
    const a = harness({ env, instanceId: 'a' });
    const b = harness({ env, ns: a.ns, instanceId: 'b' });
    try {
      await Promise.all([a.presence.start(), b.presence.start()]);
      await a.cache.seed(['groq']);
      await Promise.all([warm(a, 'groq'), warm(b, 'groq')]);
      const before = (await b.cache.getProvider('groq')).catalog.cachedAt;
      const job = await runToEnd(a, ['groq']);
      expect(job.status).toBe('completed');
      expect(job.result?.instances).toEqual({ confirmed: 2, total: 2, missing: [] });
      for (const h of [a, b]) {
        const read = await h.cache.getProvider('groq');
        expect(read.tier).toBeUndefined();
        expect(read.catalog.cachedAt).toBeGreaterThanOrEqual(before);
      }
      const listed = await a.presence.list();
      expect(listed.map((i) => i.id).sort()).toEqual([a.presence.id, b.presence.id].sort());
      expect(listed.every((i) => i.kind === 'app' && i.entries >= 0)).toBe(true);
    } finally {
      await Promise.all([a.shutdown(0), b.shutdown(0)]);
    }
  });

  it('an instance whose subscriber silently stops answering (no disconnect) stops serving copies once its PINGs go unanswered', async () => {
    const url = new URL(redisUrl());
    const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    const a = harness({ env, instanceId: 'a' });
    const b = harness({ env, ns: a.ns, instanceId: 'b', adminUrl: proxy.url });
    try {
      await Promise.all([a.presence.start(), b.presence.start()]);
      await a.cache.seed(['groq']);
      await warm(b, 'groq');
      const connections = proxy.connections();
      // A partition: b's connections stay open but nothing it sends reaches Redis, so no PONG comes back.
      proxy.pause();
      await until(async () => expect((await b.cache.getProvider('groq')).tier).toBeUndefined());
      expect(proxy.connections()).toBe(connections);
      const job = await runToEnd(a, ['groq']);
      expect(job.result?.instances).toMatchObject({ confirmed: 1, total: 2, missing: [{ id: b.presence.id }] });
      proxy.resume();
      await warm(b, 'groq');
    } finally {
      proxy.resume();
      await Promise.all([a.shutdown(0), b.shutdown(0)]);
      await proxy.close();
    }
  });

  it('an instance whose subscriber is cut serves no copy, is named missing, and the job still completes', async () => {
    const url = new URL(redisUrl());
    const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    const a = harness({ env, instanceId: 'a' });
    const b = harness({ env, ns: a.ns, instanceId: 'b', adminUrl: proxy.url }); // b's admin connections (its subscriber) go through the proxy
    try {
      await Promise.all([a.presence.start(), b.presence.start()]);
      await a.cache.seed(['groq']);
      await warm(b, 'groq');
      proxy.refuseConnections(true);
      proxy.dropConnections();
      // At once: no in-process hit on b (its copies were dropped with the channel).
      await until(async () => expect((await b.cache.getProvider('groq')).tier).toBeUndefined());
      const job = await runToEnd(a, ['groq']);
      expect(job.status).toBe('completed');
      expect(job.result?.instances).toMatchObject({ confirmed: 1, total: 2, missing: [{ id: b.presence.id, lastHeartbeatAt: expect.any(Number) }] });
      expect((await b.cache.getProvider('groq')).tier).toBeUndefined();
      // Back: healthy again after a PING answered behind the resubscription, then the tier refills.
      proxy.refuseConnections(false);
      await warm(b, 'groq');
      const second = await runToEnd(a, ['groq']);
      expect(second.result?.instances).toEqual({ confirmed: 2, total: 2, missing: [] });
    } finally {
      await Promise.all([a.shutdown(0), b.shutdown(0)]);
      await proxy.close();
    }
  });

  it('the announcing instance drops its own copies in process: confirmed before its subscriber hears anything', async () => {
    const a = harness({ env, instanceId: 'a' });
    try {
      await a.presence.start();
      await a.cache.seed(['groq']);
      await warm(a, 'groq');
      const only = new Map([[a.presence.id, Date.now()]]);
      const confirmed = await a.presence.confirm(SELF_JOB, new Map([['groq', '999999']]), undefined, only);
      // No I/O has happened since: the copy is gone because the job dropped it, not the subscriber.
      const read = a.cache.getProvider('groq');
      expect(confirmed).toEqual({ confirmed: 1, total: 1, missing: [] });
      expect((await read).tier).toBeUndefined();
      // Its subscriber still acks through Redis, as every participant does.
      await until(async () => expect(await a.adminRedis.hkeys(a.keys.admin.instances.invalidationAcks(SELF_JOB))).toEqual([a.presence.id]));
    } finally {
      await a.shutdown(0);
    }
  });
});
