/**
 * Failures: a command Redis refuses, Redis stopped in the middle of a job. The job ends `failed`
 * with the error in words, and nothing is done later behind the admin's back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisProxy } from '~/scripts/lib/redis-proxy';
import { startRedisServer } from '~/scripts/lib/redis-server';
import { createCaller } from '~/server/trpc/root';
import { bootstrapAdmin } from '../../support/principals';
import { client, closeAll, collectEvents, harness, keysUnder, redisUrl } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);
const actor = { ...bootstrapAdmin, label: 'test' };

describe('a command Redis refuses', () => {
  it('fails the job, reports each refused command, and deletes nothing (the batch is one MULTI)', async () => {
    const admin = client();
    const seeded = harness();
    await seeded.cache.seed();
    const prefix = seeded.ns.catalogPrefix;
    const before = await keysUnder(admin, prefix);
    // An ACL user that may only read groq's keys, and write the other providers' and the full catalog.
    const user = `limited-${seeded.ns.id}`;
    const writable = seeded.registry.names().filter((n) => n !== 'groq').map((n) => `~${prefix}provider:{${n}}:*`);
    await admin.call('ACL', 'SETUSER', user, 'on', '>secret-pass', '+@all', 'resetkeys', `%R~${prefix}provider:{groq}:*`, ...writable, `~${prefix}{global}:*`);
    try {
      const url = new URL(redisUrl());
      Object.assign(url, { username: user, password: 'secret-pass' });
      const h = harness({ catalogUrl: url.toString(), ns: seeded.ns });
      const { jobId } = await h.invalidation.start({ providers: ['xai', 'groq', 'openai'], cacheType: 'models', cascade: true }, actor);
      const last = (await collectEvents(h, jobId)).at(-1)?.event;

      expect(last?.type).toBe('failed');
      if (last?.type !== 'failed') return;
      expect(last.error.message).toMatch(/refused the batch and applied none of it/);
      // Its deletion and its fence bump are both refused, so Redis discards the whole batch.
      expect(last.error.commandErrors).toEqual([
        { command: 'UNLINK', keys: [`${prefix}provider:{groq}:models`], error: expect.stringMatching(/NOPERM/) },
        { command: 'INCR', keys: [`${prefix}provider:{groq}:gen`], error: expect.stringMatching(/NOPERM/) },
      ]);
      expect(last.result).toMatchObject({ success: false, keysDeleted: 0 });
      expect(await keysUnder(admin, prefix)).toEqual(before);
      expect(await h.invalidation.get(jobId)).toMatchObject({ status: 'failed', error: { message: last.error.message } });
    } finally {
      await admin.call('ACL', 'DELUSER', user);
    }
  });
});

describe('a command that fails inside EXEC', () => {
  it('does not undo the others (MULTI has no rollback): the job fails naming it, and counts what was deleted', async () => {
    const h = harness();
    await h.cache.seed(['groq', 'xai']);
    const redis = client();
    await redis.set(h.keys.catalog.providerGeneration('groq'), 'not-a-number'); // INCR fails at EXEC time
    const { jobId } = await h.invalidation.start({ providers: ['groq', 'xai'], cascade: false }, actor);
    const last = (await collectEvents(h, jobId)).at(-1)?.event;
    expect(last?.type).toBe('failed');
    if (last?.type !== 'failed') return;
    expect(last.error.commandErrors).toEqual([{ command: 'INCR', keys: [h.keys.catalog.providerGeneration('groq')], error: expect.stringMatching(/not an integer/) }]);
    // Both models keys went; only xai is safely invalidated (groq's fence did not move).
    expect(last.result).toMatchObject({ success: false, keysDeleted: 2, providersInvalidated: 1 });
    expect(await redis.exists(h.keys.catalog.providerModels('groq'), h.keys.catalog.providerModels('xai'))).toBe(0);
    expect(await redis.get(h.keys.catalog.providerGeneration('xai'))).toBe('1');
  });
});

describe('Redis stopped in the middle of a job', () => {
  it('ends the job failed once Redis is back, never replays the deletion, and the API answers meanwhile', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'redis-outage-'));
    let server = await startRedisServer({ dir, persist: true });
    const proxy = await startRedisProxy({ target: { host: '127.0.0.1', port: server.port } });
    try {
      const h = harness({ catalogUrl: proxy.url, adminUrl: server.url, retryDelaysMs: Array<number>(200).fill(50) });
      await h.cache.seed(['groq']);
      await h.catalogRedis.ping();
      proxy.pause(); // the deletion will wait in the proxy: the job is mid-run
      const { jobId } = await h.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: true }, actor);
      await until(async () => expect((await h.invalidation.get(jobId)).status).toBe('running'));

      await server.stop();
      proxy.resume(); // the held MULTI reaches a dead server

      const caller = createCaller({ services: h, actor });
      await expect(caller.invalidation.get({ jobId })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

      server = await startRedisServer({ dir, port: server.port, persist: true });
      await until(async () => expect((await h.invalidation.get(jobId)).status).toBe('failed'));
      const record = await h.invalidation.get(jobId);
      expect(record.error?.message).toMatch(/Lost the connection to Redis during the batch/);
      const events = (await collectEvents(h, jobId)).map((e) => e.event.type);
      expect(events).toEqual(['queued', 'started', 'failed']);
      // The deletion was not applied and is not replayed after the reconnect.
      await h.catalogRedis.ping();
      const direct = client(server.url);
      expect(await direct.exists(h.keys.catalog.providerModels('groq'), h.keys.catalog.fullCatalog)).toBe(2);
      // The app goes on: a new job works.
      const again = await h.invalidation.start({ providers: ['groq'], cacheType: 'models', cascade: true }, actor);
      expect((await collectEvents(h, again.jobId)).at(-1)?.event).toMatchObject({ type: 'completed', result: { keysDeleted: 2 } });
    } finally {
      await closeAll();
      await proxy.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
