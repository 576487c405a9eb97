/**
 * The Python participant (clients/python/catalog_confirm.py, driven by demo_gateway.py under
 * /usr/bin/python3) beside an app instance on one Redis: a real job counts it among the confirmed
 * and it drops its copy before acking with the record the TypeScript client writes; after a gap in
 * a provider's sequence it drops every copy; while its subscriber is lost it serves and keeps
 * nothing, is named missing, and takes part again once back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisProxy } from '~/scripts/lib/redis-proxy';
import { compilePython, startPythonGateway, type PythonGateway } from '../../support/python-gateway';
import { client, closeAll, harness, redisUrl, type Harness, runToEnd } from '../../support/redis';
import { until } from '../../support/until';

afterAll(closeAll);

const env = { INSTANCE_HEARTBEAT_MS: '50', INSTANCE_TTL_MS: '5000', INSTANCE_CONFIRM_TIMEOUT_MS: '2000', PROCESS_TIER_MAX_AGE_MS: '60000' };

async function withGateway(run: (app: Harness, py: PythonGateway) => Promise<void>, subscriberUrl?: string, maxAgeMs?: number) {
  const app = harness({ env, instanceId: 'app' });
  await app.presence.start();
  await app.cache.seed(['groq', 'xai']);
  const py = await startPythonGateway({ redisUrl: redisUrl(), subscriberUrl, ns: app.ns, maxAgeMs });
  try {
    await run(app, py);
  } finally {
    await py.stop();
    await app.shutdown(0);
  }
}

describe('the Python client', () => {
  it('compiles under /usr/bin/python3 with redis-py importable', () => {
    const { status, output } = compilePython();
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('is counted among the confirmed, drops its copy before acking, and acks as the TypeScript client does', () =>
    withGateway(async (app, py) => {
      const read = await py.ask('read groq', 'read');
      expect(read).toMatchObject({ stored: true });
      expect(await py.ask('read xai', 'read')).toMatchObject({ stored: true });
      expect(await py.ask('get groq', 'get')).toMatchObject({ hit: true });
      // Listed as the panel lists it, with what its next heartbeat reported.
      await until(async () => expect((await app.presence.list()).find((i) => i.id === py.id)).toMatchObject({ kind: 'gateway', version: 'demo-gateway', entries: 2 }));

      const mark = py.mark();
      const job = await runToEnd(app, ['groq']);
      expect(job.status).toBe('completed');
      expect(job.result?.instances).toEqual({ confirmed: 2, total: 2, missing: [] });
      await py.seen({ event: 'dropped', provider: 'groq' }, mark);
      expect(await py.ask('get groq', 'get')).toMatchObject({ hit: false });
      expect(await py.ask('get xai', 'get')).toMatchObject({ hit: true }); // not named: kept

      const acks = await client().hgetall(app.keys.admin.instances.invalidationAcks(job.id));
      const python = JSON.parse(acks[py.id] ?? 'null') as Record<string, unknown>;
      const node = JSON.parse(acks[app.presence.id] ?? 'null') as Record<string, unknown>;
      expect(python).toEqual({ providers: { groq: String(Number(read.gen) + 1) }, global: expect.stringMatching(/^\d+$/), at: expect.any(Number) });
      expect(Object.keys(python)).toEqual(Object.keys(node));
      expect({ ...python, at: 0 }).toEqual({ ...node, at: 0 });
    }));

  it('drops every copy after a gap in a provider sequence, and still confirms', () =>
    withGateway(async (app, py) => {
      expect(await py.ask('read groq', 'read')).toMatchObject({ stored: true });
      expect(await py.ask('read xai', 'read')).toMatchObject({ stored: true });
      // An invalidation whose announcement this gateway never saw: groq's generation moves on without it.
      await client().incr(app.keys.catalog.providerGeneration('groq'));
      const mark = py.mark();
      const job = await runToEnd(app, ['groq']);
      expect(job.result?.instances).toEqual({ confirmed: 2, total: 2, missing: [] });
      await py.seen({ event: 'flushed', reason: 'gap' }, mark);
      expect(await py.ask('get xai', 'get')).toMatchObject({ hit: false });
      expect(await py.ask('status', 'status')).toMatchObject({ healthy: true, entries: 0 });
    }));

  it('serves no copy older than its maximum age, with nothing announced', () =>
    withGateway(
      async (_app, py) => {
        expect(await py.ask('read groq', 'read')).toMatchObject({ stored: true });
        await until(async () => expect(await py.ask('get groq', 'get')).toMatchObject({ hit: false }));
      },
      undefined,
      300,
    ));

  it('serves and keeps nothing while its subscriber is lost, is named missing, and confirms again once back', async () => {
    const url = new URL(redisUrl());
    const proxy = await startRedisProxy({ target: { host: url.hostname, port: Number(url.port) } });
    try {
      await withGateway(async (app, py) => {
        expect(await py.ask('read groq', 'read')).toMatchObject({ stored: true });
        const mark = py.mark();
        proxy.refuseConnections(true);
        proxy.dropConnections();
        await py.seen({ event: 'flushed', reason: 'lost' }, mark);
        expect(await py.ask('get groq', 'get')).toMatchObject({ hit: false });
        expect(await py.ask('read groq', 'read')).toMatchObject({ stored: false });
        const job = await runToEnd(app, ['groq']);
        expect(job.status).toBe('completed');
        expect(job.result?.instances).toMatchObject({ confirmed: 1, total: 2, missing: [{ id: py.id, lastHeartbeatAt: expect.any(Number) }] });

        proxy.refuseConnections(false);
        await until(async () => expect(await py.ask('status', 'status')).toMatchObject({ healthy: true }));
        await app.cache.getProvider('groq'); // the job deleted it: the app's read rebuilds it
        expect(await py.ask('read groq', 'read')).toMatchObject({ stored: true });
        const back = py.mark();
        const second = await runToEnd(app, ['groq']);
        expect(second.result?.instances).toEqual({ confirmed: 2, total: 2, missing: [] });
        await py.seen({ event: 'dropped', provider: 'groq' }, back);
      }, proxy.url);
    } finally {
      await proxy.close();
    }
  });
});
