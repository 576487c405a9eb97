/**
 * Forged messages on the invalidation channel (issue 22, item 3): whoever may publish there (a
 * gateway's Redis user must) once made every participant HSET and PEXPIRE the key an announcement
 * named, the audit trail included. Three participants listen (this app's presence, the Node client,
 * the Python client): messages naming the audit trail or another key, a job id outside the grammar
 * and an unknown field are ignored and counted, nothing is dropped or written for them, and a
 * genuine job published after them (the channel is ordered, so it proves they were read) is still
 * confirmed by all three in the key derived from its id.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { joinInvalidations } from '~/clients/node/instance-client';
import { instanceProtocolKeys, type Announcement } from '~/clients/node/instance-protocol';
import { startPythonGateway } from '../../support/python-gateway';
import { client, closeAll, harness, redisUrl, runToEnd } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

const env = { INSTANCE_HEARTBEAT_MS: '50', INSTANCE_TTL_MS: '5000', INSTANCE_CONFIRM_TIMEOUT_MS: '3000', PROCESS_TIER_MAX_AGE_MS: '60000' };

describe('a forged announcement', () => {
  it('names no key a participant writes: the audit trail and an account keep their fields and no TTL; a genuine job is still confirmed by all three', async () => {
    const app = harness({ env, instanceId: 'app' });
    const redis = client(redisUrl());
    const keys = instanceProtocolKeys(app.ns.adminPrefix);
    const heard: string[] = [];
    const node = joinInvalidations({
      redis: client(redisUrl()),
      subscriber: client(redisUrl()),
      adminPrefix: app.ns.adminPrefix,
      heartbeatMs: 50,
      identity: { id: 'node-gateway', kind: 'gateway', version: 'test', since: Date.now() },
      onInvalidate: (a) => heard.push(a.jobId),
      onLost: () => {},
    });
    await app.presence.start();
    await app.cache.seed(['groq', 'xai']);
    await node.start();
    const py = await startPythonGateway({ redisUrl: redisUrl(), ns: app.ns });
    try {
      // What an attacker would want gone or changed: the audit trail (a stream) and an account (a hash).
      const audit = app.keys.admin.audit;
      const account = app.keys.admin.account('victim');
      await redis.xadd(audit, '*', 'action', 'token.create', 'actor', 'admin');
      await redis.hset(account, { username: 'root', role: 'admin' });
      const trail = await redis.xrange(audit, '-', '+');
      expect(await py.ask('read groq', 'read')).toMatchObject({ stored: true });
      await until(async () => expect((await app.cache.getProvider('groq')).tier).toBe('process'));

      const genuineId = '0mx5d1k2a0123456789';
      const base = { type: 'invalidate', jobId: genuineId, providers: { groq: '999999' }, global: null, at: Date.now() };
      const badId = 'x}:victim';
      const forged = [
        { ...base, ackKey: audit, ackTtlMs: 1 }, // the recipe
        { ...base, ackKey: account, ackTtlMs: 86_400_000 }, // a TTL in bounds, another key
        { ...base, ackKey: audit }, // no TTL at all
        { ...base, jobId: badId, ackKey: `${app.ns.adminPrefix}{instances}:acks:${badId}`, ackTtlMs: 86_400_000 }, // a job id outside the grammar
        { ...base, ackKey: keys.invalidationAcks(genuineId), ackTtlMs: 86_400_000, extra: audit }, // an unknown field
      ];
      for (const message of forged) await redis.publish(keys.invalidations, JSON.stringify(message));

      const job = await runToEnd(app, ['xai']);
      expect(job.result?.instances).toEqual({ confirmed: 3, total: 3, missing: [] });

      // Untouched: same entries, same fields, no TTL.
      expect(await redis.xrange(audit, '-', '+')).toEqual(trail);
      expect(await redis.pttl(audit)).toBe(-1);
      expect(await redis.hgetall(account)).toEqual({ username: 'root', role: 'admin' });
      expect(await redis.pttl(account)).toBe(-1);
      expect(await redis.exists(`${app.ns.adminPrefix}{instances}:acks:${badId}`, keys.invalidationAcks(genuineId))).toBe(0);
      // Not acted on: groq (named at 999999 by every forgery) is still held by the app and the Python client.
      expect((await app.cache.getProvider('groq')).tier).toBe('process');
      expect(await py.ask('get groq', 'get')).toMatchObject({ hit: true });
      expect(heard).toEqual([job.id]);
      // Counted, with reasons.
      expect(node.ignored()).toBe(forged.length);
      expect(app.presence.channel.ignored()).toBe(forged.length);
      expect(py.lines.filter((l) => l.event === 'ignored').map((l) => l.reason)).toEqual(['ack_ttl', 'ack_key', 'ack_key', 'job_id', 'malformed']);

      // The genuine job: acked by all three in the key derived from its id, with a bounded TTL.
      const acks = await redis.hgetall(keys.invalidationAcks(job.id));
      expect(Object.keys(acks).sort()).toEqual([app.presence.id, node.id, py.id].sort());
      expect(await redis.pttl(keys.invalidationAcks(job.id))).toBeGreaterThan(600_000);
    } finally {
      await py.stop();
      await node.stop();
      await app.shutdown(0);
    }
  });

  it('without ackKey or ackTtlMs (a later version may drop them): acked in the derived key with the default TTL', async () => {
    const app = harness({ env, instanceId: 'app' });
    const redis = client(redisUrl());
    const keys = instanceProtocolKeys(app.ns.adminPrefix);
    const node = joinInvalidations({
      redis: client(redisUrl()),
      subscriber: client(redisUrl()),
      adminPrefix: app.ns.adminPrefix,
      heartbeatMs: 50,
      identity: { id: 'node-gateway', kind: 'gateway', version: 'test', since: Date.now() },
      onInvalidate: () => {},
      onLost: () => {},
    });
    await node.start();
    const py = await startPythonGateway({ redisUrl: redisUrl(), ns: app.ns });
    try {
      const jobId = '0mx5d1k2affffffffff';
      const bare: Omit<Announcement, 'ackKey' | 'ackTtlMs'> = { type: 'invalidate', jobId, providers: { groq: '1' }, global: null, at: Date.now() };
      await redis.publish(keys.invalidations, JSON.stringify(bare));
      await until(async () => expect((await redis.hkeys(keys.invalidationAcks(jobId))).sort()).toEqual([node.id, py.id].sort()));
      expect(await redis.pttl(keys.invalidationAcks(jobId))).toBeGreaterThan(29 * 86_400_000);
      expect(node.ignored()).toBe(0);
      expect(py.lines.filter((l) => l.event === 'ignored')).toEqual([]);
    } finally {
      await py.stop();
      await node.stop();
      await app.shutdown(0);
    }
  });
});
